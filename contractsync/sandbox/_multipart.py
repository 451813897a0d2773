"""Multipart blob inserts: ``entity_content`` JSON plus the binary file in its own part.

``POST /sobjects/ContentVersion`` with ``multipart/form-data`` (what ``sf data create file``
sends) carries the record's fields as JSON in a part named ``entity_content`` (or
``entity_document`` / ``entity_attachment`` for other blob objects) and the bytes in a part
named after the blob field, ``VersionData`` or ``Body`` (salesforce-api.md 8.2). The sandbox
turns such a request into the JSON one, so both paths share every rule.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import replace
from typing import Any

from ._api import ApiRequest
from ._errors import SalesforceError

__all__ = ["from_multipart", "is_multipart"]

# Size limits of multipart uploads are enforced while the body is read (_payload).
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)
_NAME = re.compile(r'\bname="([^"]*)"', re.IGNORECASE)


def is_multipart(req: ApiRequest) -> bool:
    return req.headers.get("content-type", "").lower().startswith("multipart/form-data")


def _refused(message: str) -> SalesforceError:
    return SalesforceError.of(400, "INVALID_MULTIPART_REQUEST", message, with_fields=False)


def from_multipart(req: ApiRequest) -> ApiRequest:
    """The same request with a JSON body: entity fields plus the file, base64-encoded."""
    match = _BOUNDARY.search(req.headers.get("content-type", ""))
    if match is None:
        raise _refused("The multipart request has no boundary in its Content-Type")
    parts = _parts(req.body, match[1].encode())
    entity_names = [n for n in parts if n.startswith("entity_")]
    if len(entity_names) != 1:
        raise _refused("The multipart request needs exactly one entity_content part (JSON)")
    try:
        entity: Any = json.loads(parts.pop(entity_names[0]))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _refused("The entity_content part is not valid JSON") from None
    if not isinstance(entity, dict):
        raise _refused("The entity_content part must be a JSON object")
    if len(parts) != 1:
        raise _refused(
            "The multipart request needs exactly one binary part, named after the blob field"
        )
    ((field, data),) = parts.items()
    body = entity | {field: base64.b64encode(data).decode("ascii")}
    headers = dict(req.headers) | {"content-type": "application/json"}
    return replace(req, headers=headers, body=json.dumps(body).encode())


def _parts(body: bytes, boundary: bytes) -> dict[str, bytes]:
    """Part name -> content of a ``multipart/form-data`` body."""
    found: dict[str, bytes] = {}
    chunks = body.split(b"--" + boundary)
    for raw in chunks[1:]:
        if raw.startswith(b"--"):
            break
        chunk = raw.removeprefix(b"\r\n").removeprefix(b"\n")
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            head, sep, content = chunk.partition(b"\n\n")
        if not sep:
            raise _refused("A multipart part has no blank line after its headers")
        if content.endswith(b"\r\n"):
            content = content[:-2]
        elif content.endswith(b"\n"):
            content = content[:-1]
        name = _NAME.search(head.decode("latin-1"))
        if name is None:
            raise _refused("A multipart part has no Content-Disposition name")
        found[name[1]] = content
    return found
