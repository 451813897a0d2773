"""Routing of ``/services/data/vNN.N/...`` calls to their resources.

``RestApi.dispatch`` is a pure function of an ``ApiRequest``: it never raises for a client
mistake, it answers with the Salesforce error. The ASGI layer wraps it with authentication,
API-call counting and fault injection; ``/composite`` calls it for each subrequest.
"""

from __future__ import annotations

from typing import Any

from ._api import ApiRequest, ApiResponse
from ._batch import handle_batch
from ._bulk_ingest import BulkIngest
from ._bulk_jobs import BulkJobs, JobRunner
from ._bulk_query import BulkQuery
from ._collections import handle_collections
from ._composite import handle_composite
from ._errors import SalesforceError, not_found
from ._events import check_queryable, enqueued, is_event, not_supported
from ._faults import FaultInjector
from ._graph import handle_graph
from ._limits import ApiUsage
from ._multipart import from_multipart, is_multipart
from ._org import Org
from ._query import QueryCursors, handle_query
from ._sobjects import handle_sobjects, method_not_allowed
from ._soql import SoqlError, parse_soql
from ._tooling import handle_tooling
from ._tree import handle_tree

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
    if head == "jobs":
        return "bulk"
    if head == "sobjects" and (len(segments) <= 1 or segments[-1] == "describe"):
        return "describe"
    return "rest"


class RestApi:
    """The REST resources of one org."""

    def __init__(
        self, org: Org, usage: ApiUsage, faults: FaultInjector, *, instance_url: str = ""
    ) -> None:
        self.org = org
        self.instance_url = instance_url
        self.usage = usage
        self.faults = faults
        self.cursors = QueryCursors()
        jobs = BulkJobs(org.store)
        runner = JobRunner()
        self.ingest = BulkIngest(org, usage, jobs, runner, lambda: faults.draw_lock("bulk"))
        self.bulk_query = BulkQuery(org, usage, jobs, runner)
        self._resumed = False

    def dispatch(self, req: ApiRequest) -> ApiResponse:
        try:
            return self._route(req)
        except SalesforceError as error:
            return ApiResponse.of_error(error)

    def _route(self, req: ApiRequest) -> ApiResponse:
        if not req.segments:
            if req.method != "GET":
                raise method_not_allowed(req.method, "GET,HEAD")
            resources = self._resources(req.version)
            # 2.1: the map also names the caller's identity URL (jsforce's identity() reads it).
            identity = f"{self.instance_url}/id/{self.org.identity.org_id}/{req.user_id}"
            return ApiResponse(200, resources | {"identity": identity})
        head = req.segments[0]
        if head == "sobjects":
            return self._sobjects(req)
        if head in ("query", "queryAll"):
            self._refuse_event_query(req)
            return handle_query(self.org, self.cursors, req)
        if head == "limits":
            return self._limits(req)
        if head == "tooling":
            return handle_tooling(req)
        if head == "composite":
            return self._composite(req)
        if head == "jobs" and len(req.segments) > 1:
            if not self._resumed:
                self._resumed = True
                self.ingest.resume()
            if req.segments[1] == "ingest":
                return self.ingest.handle(req)
            if req.segments[1] == "query":
                return self.bulk_query.handle(req)
        raise not_found()

    def _sobjects(self, req: ApiRequest) -> ApiResponse:
        obj = self.org.schema.object(req.segments[1]) if len(req.segments) > 1 else None
        if obj is not None and is_event(obj):
            return self._event(req)
        if req.method == "POST" and len(req.segments) == 2 and is_multipart(req):
            return handle_sobjects(self.org, from_multipart(req))
        return handle_sobjects(self.org, req)

    def _event(self, req: ApiRequest) -> ApiResponse:
        """7.1: publishing answers 201 with OPERATION_ENQUEUED; events cannot be read back."""
        obj = self.org.schema.object(req.segments[1])
        assert obj is not None  # noqa: S101 - checked by the caller
        if len(req.segments) == 3 and req.method == "GET" and req.segments[2] != "describe":
            raise not_supported(obj, "retrieve")
        answer = handle_sobjects(self.org, req)
        if req.method == "POST" and answer.status == 201:
            answer = ApiResponse(201, self._with_enqueued(answer.body))
        return answer

    def _with_enqueued(self, result: dict[str, Any]) -> dict[str, Any]:
        entry = enqueued(self.org.store, str(result.get("id", "")))
        if entry is None or not result.get("success"):
            return result
        return result | {"errors": [entry.per_record()]}

    def _composite(self, req: ApiRequest) -> ApiResponse:
        kind = req.segments[1] if len(req.segments) > 1 else ""
        if not kind:
            if req.method != "POST":
                raise method_not_allowed(req.method, "POST")
            return handle_composite(req, self.dispatch, self.org.store.atomic)
        if kind == "sobjects":
            answer = handle_collections(self.org, req, lambda: self.faults.draw_lock("composite"))
            if req.method == "POST" and len(req.segments) == 2 and isinstance(answer.body, list):
                answer.body = [self._with_enqueued(r) for r in answer.body]
            return answer
        if kind == "tree":
            return handle_tree(self.org, req)
        if kind == "graph" and len(req.segments) == 2:
            return handle_graph(req, self.dispatch, self.org.store.atomic)
        if kind == "batch" and len(req.segments) == 2:
            return handle_batch(req, self.dispatch, lambda: self.usage.count_call(self.org.now()))
        raise not_found()

    def _refuse_event_query(self, req: ApiRequest) -> None:
        text = req.params.get("q")
        if len(req.segments) != 1 or not text:
            return
        try:
            check_queryable(self.org.schema, parse_soql(text))
        except SoqlError as error:
            if error.error_code == "INVALID_TYPE_FOR_OPERATION":
                raise SalesforceError.of(
                    400, error.error_code, error.message, with_fields=False
                ) from None
            # Other parse errors are reported by the query resource itself.

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
