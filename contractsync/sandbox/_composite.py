"""``POST /composite``: up to 25 subrequests in one transaction-aware call.

Subrequests run in order and may reference earlier results with ``@{refId.path}``. With
``allOrNone`` the first failure rolls everything back: it keeps its real error and every
other subrequest reports ``PROCESSING_HALTED``. Without it, failures stay local and only
subrequests that reference a failed one are halted. The envelope is always HTTP 200 and the
call counts once against the API allocation (salesforce-api.md 4.1, 4.6).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ._api import ApiRequest, ApiResponse
from ._errors import SalesforceError

__all__ = ["MAX_SUBREQUESTS", "handle_composite"]

MAX_SUBREQUESTS = 25
_REFERENCE = re.compile(r"@\{([A-Za-z0-9_]+)\.([^}]+)\}")
_URL = re.compile(r"^/services/data/v(\d+\.\d)(/.*)?$")
_HALTED = "The transaction was rolled back since another operation in the same transaction failed."

Dispatch = Callable[[ApiRequest], ApiResponse]


class _Unresolved(Exception):  # noqa: N818 - control flow inside this module
    def __init__(self, expression: str, reference: str) -> None:
        super().__init__(expression)
        self.expression = expression
        self.reference = reference


class _Rollback(Exception):  # noqa: N818 - control flow inside this module
    pass


def _halted(message: str = _HALTED) -> dict[str, Any]:
    return {"errorCode": "PROCESSING_HALTED", "message": message}


def handle_composite(req: ApiRequest, dispatch: Dispatch, atomic: Callable[[], Any]) -> ApiResponse:
    body = req.json()
    subrequests = body.get("compositeRequest") if isinstance(body, dict) else None
    if not isinstance(subrequests, list) or not subrequests:
        raise SalesforceError.of(
            400,
            "JSON_PARSER_ERROR",
            "The request body must contain a non-empty compositeRequest array",
            with_fields=False,
        )
    if len(subrequests) > MAX_SUBREQUESTS:
        raise SalesforceError.of(
            400,
            "LIMIT_EXCEEDED",
            f"Limit Exceeded: The number of subrequests ({len(subrequests)}) exceeds the"
            f" maximum of {MAX_SUBREQUESTS}.",
            with_fields=False,
        )
    all_or_none = bool(body.get("allOrNone", False))
    seen: set[str] = set()
    for sub in subrequests:
        ref = sub.get("referenceId") if isinstance(sub, dict) else None
        if not isinstance(ref, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", ref):
            raise SalesforceError.of(
                400,
                "INVALID_INPUT",
                f"Invalid reference id: {ref}. Reference ids must start with a letter and"
                " contain only alphanumeric characters and underscores.",
                with_fields=False,
            )
        if ref in seen:
            raise SalesforceError.of(
                400, "INVALID_INPUT", f"Duplicate reference id: {ref}", with_fields=False
            )
        seen.add(ref)

    responses: list[dict[str, Any]] = []
    outputs: dict[str, Any] = {}
    failed_at: int | None = None
    try:
        with atomic():
            for index, sub in enumerate(subrequests):
                result = _run_one(req, sub, outputs, dispatch)
                responses.append(result)
                if result["httpStatusCode"] < 400:
                    outputs[sub["referenceId"]] = result["body"]
                elif all_or_none:
                    failed_at = index
                    raise _Rollback  # noqa: TRY301 - unwinds the outer transaction
    except _Rollback:
        pass
    if failed_at is not None:
        halted = []
        for index, sub in enumerate(subrequests):
            if index == failed_at:
                halted.append(responses[index])
            else:
                halted.append(_response(sub["referenceId"], 400, [_halted()]))
        responses = halted
    return ApiResponse(200, {"compositeResponse": responses})


def _response(reference: str, status: int, body: Any, headers: Any = None) -> dict[str, Any]:
    return {
        "body": body,
        "httpHeaders": headers or {},
        "httpStatusCode": status,
        "referenceId": reference,
    }


def _run_one(
    req: ApiRequest,
    sub: dict[str, Any],
    outputs: dict[str, Any],
    dispatch: Dispatch,
) -> dict[str, Any]:
    reference = sub["referenceId"]
    try:
        url = _substitute(str(sub.get("url", "")), outputs)
        body = _substitute_json(sub.get("body"), outputs)
    except _Unresolved as missing:
        return _response(
            reference,
            400,
            [
                _halted(
                    f"Invalid reference specified. No value for {missing.expression} found in"
                    f" {missing.reference}. Provided referenceId ('{missing.reference}') must"
                    " be in the list of compositeRequest.referenceId"
                )
            ],
        )
    match = _URL.match(urlsplit(url).path)
    target = (match[2] or "").strip("/") if match else ""
    # Nested composite calls are not allowed; collections are (4.1).
    if match is None or (
        target.startswith("composite") and not target.startswith("composite/sobjects")
    ):
        return _response(
            reference,
            400,
            [{"errorCode": "INVALID_INPUT", "message": f"Invalid url for a subrequest: {url}"}],
        )
    raw = b"" if body is None else json.dumps(body).encode()
    sub_request = ApiRequest(
        method=str(sub.get("method", "GET")).upper(),
        version=match[1],
        segments=tuple(s for s in (match[2] or "").split("/") if s),
        params=dict(parse_qsl(urlsplit(url).query)),
        headers={k.lower(): str(v) for k, v in (sub.get("httpHeaders") or {}).items()}
        | {k: v for k, v in req.headers.items() if k in ("sforce-query-options",)},
        body=raw,
        user_id=req.user_id,
    )
    answer = dispatch(sub_request)
    headers = {"Location": answer.headers["Location"]} if "Location" in answer.headers else {}
    return _response(reference, answer.status, answer.body, headers)


def _walk(value: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(value, list) or index >= len(value):
                raise KeyError(path)
            value = value[index]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise KeyError(path)
    return value


def _substitute(text: str, outputs: dict[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        reference, path = match[1], match[2]
        try:
            value = _walk(outputs[reference], path)
        except KeyError:
            raise _Unresolved(f"{reference}.{path}", reference) from None
        return "" if value is None else str(value)

    return _REFERENCE.sub(replace, text)


def _substitute_json(value: Any, outputs: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return _substitute(value, outputs)
    if isinstance(value, list):
        return [_substitute_json(v, outputs) for v in value]
    if isinstance(value, dict):
        return {k: _substitute_json(v, outputs) for k, v in value.items()}
    return value
