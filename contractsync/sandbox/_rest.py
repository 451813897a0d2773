"""Routing of ``/services/data/vNN.N/...`` calls to their resources.

``RestApi.dispatch`` is a pure function of an ``ApiRequest``: it never raises for a client
mistake, it answers with the Salesforce error. The ASGI layer wraps it with authentication,
API-call counting and fault injection; ``/composite`` calls it for each subrequest.
"""

from __future__ import annotations

from typing import Any

from ._api import ApiRequest, ApiResponse
from ._collections import handle_collections
from ._composite import handle_composite
from ._errors import SalesforceError, not_found
from ._faults import FaultInjector
from ._limits import ApiUsage
from ._org import Org
from ._query import QueryCursors, handle_query
from ._sobjects import handle_sobjects, method_not_allowed

__all__ = ["OLDEST_VERSION", "RestApi", "endpoint_family", "release_label", "versions"]

OLDEST_VERSION = 31.0  # 1.3: 21.0-30.0 were retired in Summer '25


def release_label(version: float) -> str:
    """Release name of an API version: 59.0 is Winter '24, three releases a year."""
    offset = int(version) - 59
    season = ("Winter", "Spring", "Summer")[offset % 3]
    return f"{season} '{24 + offset // 3:02d}"


def versions(latest: float) -> list[dict[str, str]]:
    """``GET /services/data/``: every supported version, oldest first (2.1)."""
    out = []
    number = OLDEST_VERSION
    while number <= latest:
        out.append(
            {
                "label": release_label(number),
                "url": f"/services/data/v{number:.1f}",
                "version": f"{number:.1f}",
            }
        )
        number += 1
    return out


def endpoint_family(segments: tuple[str, ...]) -> str:
    """The fault-injection family of a REST call."""
    head = segments[0] if segments else ""
    if head in ("query", "queryAll"):
        return "query"
    if head == "composite":
        return "composite"
    if head == "limits":
        return "limits"
    if head == "sobjects" and (len(segments) <= 1 or segments[-1] == "describe"):
        return "describe"
    return "rest"


class RestApi:
    """The REST resources of one org."""

    def __init__(self, org: Org, usage: ApiUsage, faults: FaultInjector) -> None:
        self.org = org
        self.usage = usage
        self.faults = faults
        self.cursors = QueryCursors()

    def dispatch(self, req: ApiRequest) -> ApiResponse:
        try:
            return self._route(req)
        except SalesforceError as error:
            return ApiResponse.of_error(error)

    def _route(self, req: ApiRequest) -> ApiResponse:
        if not req.segments:
            if req.method != "GET":
                raise method_not_allowed(req.method, "GET,HEAD")
            return ApiResponse(200, self._resources(req.version))
        head = req.segments[0]
        if head == "sobjects":
            return handle_sobjects(self.org, req)
        if head in ("query", "queryAll"):
            return handle_query(self.org, self.cursors, req)
        if head == "limits":
            return self._limits(req)
        if head == "composite":
            if len(req.segments) == 1:
                if req.method != "POST":
                    raise method_not_allowed(req.method, "POST")
                return handle_composite(req, self.dispatch, self.org.store.atomic)
            if req.segments[1] == "sobjects":
                return handle_collections(self.org, req, lambda: self.faults.draw_lock("composite"))
        raise not_found()

    def _limits(self, req: ApiRequest) -> ApiResponse:
        if req.method != "GET":
            raise method_not_allowed(req.method, "GET,HEAD")
        if len(req.segments) == 1:
            return ApiResponse(200, self.usage.limits(self.org.now()))
        if req.segments[1:] == ("recordCount",):
            wanted = [n for n in (req.params.get("sObjects") or "").split(",") if n]
            objects = (
                [o for o in (self.org.schema.object(n) for n in wanted) if o is not None]
                if wanted
                else self.org.schema.objects()
            )
            counts = [{"count": self.org.store.count(o.name), "name": o.name} for o in objects]
            return ApiResponse(200, {"sObjects": counts})
        raise not_found()

    @staticmethod
    def _resources(version: str) -> dict[str, Any]:
        base = f"/services/data/v{version}"
        names = [
            "tooling",
            "metadata",
            "jobs",
            "sobjects",
            "query",
            "queryAll",
            "limits",
            "composite",
            "search",
            "recent",
            "parameterizedSearch",
            "ui-api",
            "connect",
            "analytics",
            "actions",
        ]
        return {name: f"{base}/{name}" for name in names}
