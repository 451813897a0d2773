"""The ASGI application: URL layout of a Salesforce org plus the sandbox-only admin API.

Every request first passes the edge's size check (414/431 over 16 KB of URI and headers,
``_payload``). Every ``/services/data/vNN.N/`` call then passes the same gate a real org
applies: session check (401 ``INVALID_SESSION_ID``), body size (400 ``JSON_PARSER_ERROR``
over 50 MB), fault injection (latency, 503, concurrency 403, hung requests), API allocation
(403 ``REQUEST_LIMIT_EXCEEDED``), then the resource; the response carries
``Sforce-Limit-Info`` (salesforce-api.md 2.5, 4.6). Admin endpoints live under
``/__sandbox__/`` so no real client can hit them by accident.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import _bulk_ingest, _payload
from ._api import ApiRequest, ApiResponse, parse_json
from ._auth import (
    OAuthError,
    Sessions,
    bearer_token,
    identity_json,
    soap_login,
    token_grant,
    userinfo_json,
)
from ._describe import describe_field
from ._errors import SalesforceError, not_found
from ._events import EARLIEST, events_after
from ._faults import FaultInjector, FaultPlan
from ._limits import ApiUsage
from ._metadata_soap import metadata_endpoint
from ._org import Org
from ._payload import AsgiApp, EdgeLimits, Receive, body_too_large, read_body
from ._rest import OLDEST_VERSION, RestApi, endpoint_family, versions
from ._schema_defs import SchemaError

__all__ = ["AppState", "build_app"]

_LOG = logging.getLogger("contractsync.sandbox")
_ALL_METHODS = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"]
_VERSION = re.compile(r"^v(\d{2}\.\d)$")
_JSON = "application/json;charset=UTF-8"
# 12.1: a REST request times out after 10 minutes; a hung request gives up then at the latest.
_HANG_LIMIT_S = 600.0


@dataclass(slots=True)
class AppState:
    """Everything the handlers share; one per running org."""

    org: Org
    sessions: Sessions
    usage: ApiUsage
    faults: FaultInjector
    rest: RestApi
    instance_url: str
    api_version: str


def _json_response(
    status: int, body: Any, headers: dict[str, str] | None = None, *, pretty: bool = False
) -> Response:
    if status == 204 or (body is None and status < 300):
        return Response(status_code=status, headers=headers)
    text = json.dumps(body, indent=2 if pretty else None, ensure_ascii=False)
    return Response(text.encode(), status_code=status, headers=headers, media_type=_JSON)


def _error(error: SalesforceError, headers: dict[str, str] | None = None) -> Response:
    return _json_response(error.status, error.rest_body(), headers)


def _segments(request: Request, prefix: str) -> list[str]:
    """Path segments after ``prefix``, split before percent-decoding (ids may hold '/')."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    tail = path[len(prefix) :] if path.startswith(prefix) else path
    return [unquote(s) for s in tail.split("/") if s]


class _Handlers:
    """Route handlers of one org."""

    def __init__(self, state: AppState) -> None:
        self.state = state

    async def data(self, request: Request) -> Response:
        segments = _segments(request, "/services/data")
        if not segments:
            return _json_response(200, versions(float(self.state.api_version)))
        match = _VERSION.match(segments[0])
        if match is None or float(match[1]) > float(self.state.api_version):
            return _error(not_found())
        version = match[1]
        if float(version) < OLDEST_VERSION:
            return _error(
                SalesforceError.of(
                    410,
                    "GONE",
                    f"The requested API version ({version}) has been retired and is no longer"
                    " supported.",
                    with_fields=False,
                )
            )
        token = bearer_token(request.headers)
        try:
            if token is None:
                raise SalesforceError.of(
                    401, "INVALID_SESSION_ID", "Session expired or invalid", with_fields=False
                )
            user_id = self.state.sessions.user_for(token)
        except SalesforceError as error:
            return _error(error)
        rest_segments = tuple(segments[1:])
        limit, too_large = _body_limit(
            request.method.upper(), rest_segments, request.headers.get("content-type", "")
        )
        body, size = await read_body(request.receive, limit)
        if body is None:
            return _error(too_large(size))
        delay = self.state.faults.delay_seconds()
        if delay:
            await asyncio.sleep(delay)
        family = endpoint_family(rest_segments)
        # Collections and Bulk jobs lock per record, not per request (3.2).
        per_record = family in ("composite", "bulk")
        fault = self.state.faults.draw(family, exclude=("lock",) if per_record else ())
        now = self.state.org.now()
        refusal = await self._refusal(fault, request)
        if refusal is not None:
            return _error(refusal)
        try:
            used = self.state.usage.count_call(now)
        except SalesforceError as error:
            return _error(error, {"Sforce-Limit-Info": self.state.usage.header(now)})
        limit_header = {"Sforce-Limit-Info": self.state.usage.header(now, used)}
        if fault == "lock":
            target = rest_segments[2] if len(rest_segments) > 2 else ""
            return _error(
                SalesforceError.of(
                    400,
                    "UNABLE_TO_LOCK_ROW",
                    "unable to obtain exclusive access to this record or 1 records:"
                    f" {target}".rstrip(),
                    with_fields=False,
                ),
                limit_header,
            )
        api_request = ApiRequest(
            method=request.method.upper(),
            version=version,
            segments=rest_segments,
            params=dict(parse_qsl(request.url.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=body,
            user_id=user_id,
        )
        answer = self.state.rest.dispatch(api_request)
        if fault == "unknown_after_commit":
            # 3.2: the write above committed; the client only sees the failure.
            return _error(self._unknown_exception(), limit_header)
        return _render(answer, limit_header, pretty=request.headers.get("x-prettyprint") == "1")

    async def _refusal(self, fault: str | None, request: Request) -> SalesforceError | None:
        """The error a drawn fault answers before the call runs (None: the call runs)."""
        if fault == "hang":
            # 12.2: the request never answers; the client's timeout ends it (or the server
            # stopping). Nothing ran, so retrying is safe.
            with self.state.faults.holding():
                await _until_disconnected(request.receive, _HANG_LIMIT_S)
            return SalesforceError.of(
                503, "SERVER_UNAVAILABLE", "Server unavailable", with_fields=False
            )
        if fault == "unavailable":
            return SalesforceError.of(
                503, "SERVER_UNAVAILABLE", "Server unavailable", with_fields=False
            )
        if fault == "concurrent":
            return SalesforceError.of(
                403,
                "REQUEST_LIMIT_EXCEEDED",
                "ConcurrentRequests (Concurrent API Requests) Limit exceeded.",
                with_fields=False,
            )
        return None

    def _unknown_exception(self) -> SalesforceError:
        return SalesforceError.of(
            500,
            "UNKNOWN_EXCEPTION",
            "An unexpected error occurred. Please include this ErrorId if you contact"
            f" support: {self.state.faults.error_id()}",
            with_fields=False,
        )

    async def token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        # The "auth" fault family: token requests fail, stall or hang like any other call.
        delay = self.state.faults.delay_seconds()
        if delay:
            await asyncio.sleep(delay)
        fault = self.state.faults.draw("auth", exclude=("lock",))
        refusal = await self._refusal(fault, request)
        if refusal is not None:
            return _error(refusal)
        try:
            body = token_grant(
                self.state.org,
                self.state.sessions,
                form,
                request.headers.get("authorization"),
                self.state.instance_url,
            )
        except OAuthError as refused:
            return _json_response(refused.status, refused.body())
        if fault == "unknown_after_commit":
            return _error(self._unknown_exception())
        return _json_response(200, body)

    async def soap(self, request: Request) -> Response:
        version = request.path_params["version"]
        status, envelope = soap_login(
            self.state.org,
            self.state.sessions,
            await request.body(),
            version,
            self.state.instance_url,
        )
        return Response(envelope.encode(), status_code=status, media_type="text/xml;charset=UTF-8")

    def _session_user(self, request: Request) -> str:
        token = bearer_token(request.headers) or request.query_params.get("oauth_token")
        if not token:
            raise SalesforceError.of(
                401, "INVALID_SESSION_ID", "Session expired or invalid", with_fields=False
            )
        return self.state.sessions.user_for(token)

    async def identity(self, request: Request) -> Response:
        try:
            user_id = self._session_user(request)
        except SalesforceError as error:
            return _error(error)
        if request.path_params["org_id"] != self.state.org.identity.org_id or (
            request.path_params["user_id"] != user_id
        ):
            return _error(SalesforceError.of(403, "Bad_Id", "Bad_Id", with_fields=False))
        version = request.query_params.get("version", "{version}")
        if version == "latest":
            version = self.state.api_version
        return _json_response(
            200, identity_json(self.state.org, user_id, self.state.instance_url, version)
        )

    async def userinfo(self, request: Request) -> Response:
        try:
            user_id = self._session_user(request)
        except SalesforceError as error:
            return _error(error)
        return _json_response(200, userinfo_json(self.state.org, user_id, self.state.instance_url))

    async def admin(self, request: Request) -> Response:
        try:
            self._session_user(request)
            return await _admin(self.state, request)
        except SalesforceError as error:
            return _error(error)
        except (SchemaError, ValueError, KeyError, TypeError) as bad:
            return _error(SalesforceError.of(400, "INVALID_INPUT", str(bad), with_fields=False))

    async def not_found_handler(self, request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException) and exc.status_code == 405:
            return _error(
                SalesforceError.of(
                    405,
                    "METHOD_NOT_ALLOWED",
                    f"HTTP Method '{request.method}' not allowed.",
                    with_fields=False,
                )
            )
        return _error(not_found())

    async def server_error(self, request: Request, exc: Exception) -> Response:
        _LOG.exception("sandbox org failed on %s %s", request.method, request.url.path)
        return _error(self._unknown_exception())


def _body_limit(
    method: str, segments: tuple[str, ...], content_type: str
) -> tuple[int, Callable[[int], SalesforceError]]:
    """The most bytes a REST request's body may have, and the refusal of a bigger one."""
    if method == "PUT" and segments[:2] == ("jobs", "ingest") and segments[3:] == ("batches",):
        return _bulk_ingest.MAX_UPLOAD_BASE64_BYTES, _bulk_ingest.upload_too_large
    if segments[:1] == ("sobjects",) and content_type.lower().startswith("multipart/form-data"):
        content_version = len(segments) > 1 and segments[1].lower() == "contentversion"
        multipart_limit = (
            _payload.MAX_MULTIPART_CONTENT_VERSION_BYTES
            if content_version
            else _payload.MAX_MULTIPART_BYTES
        )
        return multipart_limit, lambda _size: body_too_large(multipart_limit)
    json_limit = _payload.MAX_JSON_BODY_BYTES
    return json_limit, lambda _size: body_too_large(json_limit)


async def _until_disconnected(receive: Receive, limit_s: float) -> None:
    """Wait until the client goes away (or the server stops), at most ``limit_s``."""

    async def disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(disconnect(), timeout=limit_s)


def build_app(state: AppState) -> AsgiApp:
    """The org's ASGI app."""
    handlers = _Handlers(state)
    routes = [
        Route("/services/data", handlers.data, methods=_ALL_METHODS),
        Route("/services/data/{rest:path}", handlers.data, methods=_ALL_METHODS),
        Route("/services/oauth2/token", handlers.token, methods=["POST"]),
        Route("/services/oauth2/userinfo", handlers.userinfo, methods=["GET", "POST"]),
        Route("/id/{org_id}/{user_id}", handlers.identity, methods=["GET"]),
        Route("/services/Soap/u/{version}", handlers.soap, methods=["POST"]),
        Route("/services/Soap/m/{rest:path}", metadata_endpoint(state), methods=["POST"]),
        Route("/__sandbox__/{rest:path}", handlers.admin, methods=_ALL_METHODS),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            404: handlers.not_found_handler,
            405: handlers.not_found_handler,
            500: handlers.server_error,
        },
    )
    return EdgeLimits(app)


def _render(answer: ApiResponse, headers: dict[str, str], *, pretty: bool) -> Response:
    merged = headers | answer.headers
    if answer.raw is not None:
        return Response(
            answer.raw, status_code=answer.status, headers=merged, media_type=answer.content_type
        )
    return _json_response(answer.status, answer.body, merged, pretty=pretty)


async def _admin(state: AppState, request: Request) -> Response:
    """Sandbox-only controls: faults, custom schema, API allocation, JWT certificates."""
    parts = _segments(request, "/__sandbox__")
    method = request.method.upper()
    body = await request.body()
    if parts == ["faults"]:
        if method == "GET":
            return _json_response(
                200, state.faults.plan.to_json() | {"hanging": state.faults.hanging}
            )
        if method == "PUT":
            data = parse_json(body)
            plan = FaultPlan.parse(data["spec"]) if "spec" in data else FaultPlan.from_json(data)
            state.faults.configure(plan)
            return _json_response(200, plan.to_json())
    if parts == ["schema", "sobjects"] and method == "POST":
        created = state.org.add_custom_object(parse_json(body))
        return _json_response(201, {"name": created.name, "keyPrefix": created.key_prefix})
    if (
        len(parts) == 4
        and parts[:2] == ["schema", "sobjects"]
        and parts[3] == "fields"
        and (method == "POST")
    ):
        field = state.org.add_custom_field(parts[2], parse_json(body))
        return _json_response(201, describe_field(field))
    if parts == ["limits"] and method == "PUT":
        data = parse_json(body)
        state.usage.daily_limit = int(data["daily_api_limit"])
        return _json_response(200, {"daily_api_limit": state.usage.daily_limit})
    if parts == ["limits", "reset"] and method == "POST":
        state.usage.reset()
        return Response(status_code=204)
    if parts == ["jwt-certificates"] and method == "POST":
        state.org.add_jwt_certificate(body.decode())
        return Response(status_code=204)
    if parts == ["clock"] and method == "GET":
        return _json_response(200, {"now": state.org.now().isoformat()})
    if parts[:1] == ["events"] and len(parts) <= 2 and method == "GET":
        # 7.1: the sandbox's event tap, read from a replay position (-2 earliest, -1 latest).
        sobject = parts[1] if len(parts) == 2 else None
        replay = int(request.query_params.get("replayId", EARLIEST))
        limit = int(request.query_params.get("limit", 1000))
        return _json_response(200, events_after(state.org.store, sobject, replay, limit))
    raise not_found()
