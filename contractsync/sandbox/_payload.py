"""How big a request may be, and what an org answers when it is bigger.

- URI and headers together: 16,384 bytes. A longer URI gets **414 URI Too Long**, a request
  whose URI fits but whose URI plus headers do not gets **431 Request Header Fields Too
  Large** (salesforce-api.md 3.1, 12.1; Salesforce Help article 000386264). These come from
  Salesforce's edge, before the REST layer, so they carry no ``errorCode``.
- A non-multipart body: 50 MB. Real orgs answer 400 ``JSON_PARSER_ERROR`` "Maximum size of
  request reached. Maximum size of request is 52428800 bytes." (simple-salesforce#195).
- A multipart blob upload (8.2): 2 GB for ContentVersion, 500 MB for other objects.
- A Bulk 2.0 upload: 150 MB once base64-encoded (5.3), checked by ``_bulk_ingest``.

The edge also treats repeated slashes in a path as one, as Salesforce's does: clients that
keep an instance URL with a trailing slash (the ``sf`` CLI after ``org login access-token``
stores ``https://host/``) send ``//services/data/...`` and a real org answers it.

Bodies are read in chunks and stop being kept once over the limit; the rest is drained, not
stored, so the client still reads the refusal instead of a reset connection.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ._errors import SalesforceError

__all__ = [
    "MAX_JSON_BODY_BYTES",
    "MAX_MULTIPART_BYTES",
    "MAX_MULTIPART_CONTENT_VERSION_BYTES",
    "MAX_URI_AND_HEADERS_BYTES",
    "EdgeLimits",
    "body_too_large",
    "read_body",
]

MAX_URI_AND_HEADERS_BYTES = 16_384
MAX_JSON_BODY_BYTES = 52_428_800
MAX_MULTIPART_CONTENT_VERSION_BYTES = 2 * 1024**3
MAX_MULTIPART_BYTES = 500 * 1024**2

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def body_too_large(limit: int) -> SalesforceError:
    """The refusal of a body over ``limit`` bytes."""
    return SalesforceError.of(
        400,
        "JSON_PARSER_ERROR",
        f"Maximum size of request reached. Maximum size of request is {limit} bytes.",
        with_fields=False,
    )


async def read_body(receive: Receive, limit: int) -> tuple[bytes | None, int]:
    """(body, size) of a request; body is None when size went over ``limit``."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        elif chunks:
            chunks.clear()
        more = bool(message.get("more_body", False))
    return (b"".join(chunks) if size <= limit else None), size


def _uri_bytes(scope: Scope) -> int:
    raw_path: bytes = scope.get("raw_path") or str(scope.get("path", "")).encode()
    query: bytes = scope.get("query_string", b"")
    return len(raw_path) + (len(query) + 1 if query else 0)


def _header_bytes(scope: Scope) -> int:
    # "Name: value\r\n" per header, as they crossed the wire.
    return sum(len(name) + len(value) + 4 for name, value in scope.get("headers", ()))


_REPEATED_SLASHES = re.compile(r"/{2,}")
_REPEATED_SLASHES_BYTES = re.compile(rb"/{2,}")


def _single_slashes(scope: Scope) -> Scope:
    """The scope with runs of slashes in its path collapsed (``//services`` is ``/services``)."""
    path = str(scope.get("path", ""))
    if "//" not in path:
        return scope
    raw_path = scope.get("raw_path")
    collapsed = dict(scope)
    collapsed["path"] = _REPEATED_SLASHES.sub("/", path)
    if isinstance(raw_path, bytes):
        collapsed["raw_path"] = _REPEATED_SLASHES_BYTES.sub(b"/", raw_path)
    return collapsed


class EdgeLimits:
    """ASGI middleware: 414 / 431 for requests whose URI or headers are too long."""

    def __init__(self, app: AsgiApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        uri = _uri_bytes(scope)
        if uri > MAX_URI_AND_HEADERS_BYTES:
            refusal: tuple[int, bytes] | None = (414, b"URI Too Long")
        elif uri + _header_bytes(scope) > MAX_URI_AND_HEADERS_BYTES:
            refusal = (431, b"Request Header Fields Too Large")
        else:
            refusal = None
        if refusal is None:
            await self.app(_single_slashes(scope), receive, send)
            return
        await read_body(receive, 0)
        status, text = refusal
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain;charset=UTF-8"),
                    (b"content-length", str(len(text)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": text})
