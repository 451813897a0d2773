"""``POST /composite/batch``: up to 25 independent subrequests, run in order.

Each subrequest commits on its own (no references, no rollback) and counts as one API call;
``url`` is relative to ``/services/data/`` and the body key is ``richInput``. With
``haltOnError`` the subrequests after the first failure answer 412
``BATCH_PROCESSING_HALTED`` (salesforce-api.md 4.5, 4.6).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ._api import ApiRequest, ApiResponse
from ._errors import SalesforceError
from ._sobjects import method_not_allowed

__all__ = ["handle_batch"]

MAX_SUBREQUESTS = 25
_URL = re.compile(r"^v(\d+\.\d)(/.*)?$")
_HALTED = {"errorCode": "BATCH_PROCESSING_HALTED", "message": "Batch processing halted per request"}

Dispatch = Callable[[ApiRequest], ApiResponse]
CountCall = Callable[[], object]


def handle_batch(req: ApiRequest, dispatch: Dispatch, count_call: CountCall) -> ApiResponse:
    """``count_call`` charges one more API call (the envelope already paid for the first)."""
    if req.method != "POST":
        raise method_not_allowed(req.method, "POST")
    body = req.json()
    subrequests = body.get("batchRequests") if isinstance(body, dict) else None
    if not isinstance(subrequests, list) or not subrequests:
        raise SalesforceError.of(
            400,
            "JSON_PARSER_ERROR",
            "The request body must contain a non-empty batchRequests array",
            with_fields=False,
        )
    if len(subrequests) > MAX_SUBREQUESTS:
        raise SalesforceError.of(
            400,
            "LIMIT_EXCEEDED",
            f"Limit Exceeded: The number of batch requests ({len(subrequests)}) exceeds the"
            f" maximum of {MAX_SUBREQUESTS}.",
            with_fields=False,
        )
    halt = bool(body.get("haltOnError", False))
    results: list[dict[str, Any]] = []
    halted = False
    for index, sub in enumerate(subrequests):
        if halted:
            results.append({"statusCode": 412, "result": [_HALTED]})
            continue
        try:
            if index:
                count_call()
            answer = _run(req, sub, dispatch)
        except SalesforceError as error:
            answer = ApiResponse.of_error(error)
        result = answer.body if answer.status != 204 else None
        results.append({"statusCode": answer.status, "result": result})
        halted = halt and answer.status >= 400
    return ApiResponse(
        200,
        {"hasErrors": any(r["statusCode"] >= 400 for r in results), "results": results},
    )


def _run(req: ApiRequest, sub: Any, dispatch: Dispatch) -> ApiResponse:
    if not isinstance(sub, dict):
        raise _invalid("Each batch request needs a method and a url")
    url = str(sub.get("url", "")).removeprefix("/services/data/").lstrip("/")
    parts = urlsplit(url)
    match = _URL.match(parts.path)
    target = (match[2] or "").strip("/") if match else ""
    if match is None or target.startswith("composite"):
        raise _invalid(f"Invalid url for a batch request: {sub.get('url')}")
    rich = sub.get("richInput")
    return dispatch(
        ApiRequest(
            method=str(sub.get("method", "GET")).upper(),
            version=match[1],
            segments=tuple(s for s in target.split("/") if s),
            params=dict(parse_qsl(parts.query)),
            headers={},
            body=b"" if rich is None else json.dumps(rich).encode(),
            user_id=req.user_id,
        )
    )


def _invalid(message: str) -> SalesforceError:
    return SalesforceError.of(400, "INVALID_INPUT", message, with_fields=False)
