"""The request and response values every REST resource handler works with.

Resources are plain functions of an ``ApiRequest``; the ASGI layer builds the request, and
``/composite`` builds sub-requests the same way, so one code path serves both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._errors import SalesforceError

__all__ = ["ApiRequest", "ApiResponse", "json_locator", "parse_json"]


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """One call under ``/services/data/vNN.N/`` (path relative to that prefix)."""

    method: str
    version: str
    segments: tuple[str, ...]
    params: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes
    user_id: str

    @property
    def version_number(self) -> float:
        return float(self.version)

    def json(self) -> Any:
        return parse_json(self.body)


@dataclass(slots=True)
class ApiResponse:
    """Status, JSON body (or raw bytes) and headers of a REST answer."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json;charset=UTF-8"

    @classmethod
    def of_error(cls, error: SalesforceError) -> ApiResponse:
        return cls(error.status, error.rest_body())


def parse_json(body: bytes) -> Any:
    """Decode a request body, failing the way Salesforce's Jackson parser does."""
    text = body.decode("utf-8", errors="replace")
    if not text.strip():
        raise SalesforceError.of(
            400,
            "JSON_PARSER_ERROR",
            "No content to map due to end-of-input at [line:1, column:0]",
            with_fields=False,
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        char = text[exc.pos] if exc.pos < len(text) else ""
        what = f"'{char}' (code {ord(char)})" if char else "end-of-input"
        raise SalesforceError.of(
            400,
            "JSON_PARSER_ERROR",
            f"Unexpected character ({what}): expected a valid value (JSON String, Number, Array,"
            f" Object or token 'null', 'true' or 'false') at [line:{exc.lineno},"
            f" column:{exc.colno}]",
            with_fields=False,
        ) from None


def json_locator(body: bytes) -> Any:
    """Map a body key to the (line, column) just past its value, as Jackson reports."""
    text = body.decode("utf-8", errors="replace")

    def locate(key: str) -> tuple[int, int]:
        match = re.search(r'"' + re.escape(key) + r'"\s*:\s*', text)
        if match is None:
            return 1, 1
        end = _value_end(text, match.end())
        line = text.count("\n", 0, end) + 1
        column = end - (text.rfind("\n", 0, end) + 1) + 1
        return line, column

    return locate


def _value_end(text: str, start: int) -> int:
    if start < len(text) and text[start] in "[{":
        # Jackson reports a structural token where it starts.
        return start
    if start < len(text) and text[start] == '"':
        index = start + 1
        while index < len(text):
            if text[index] == "\\":
                index += 2
                continue
            if text[index] == '"':
                return index + 1
            index += 1
        return len(text)
    index = start
    while index < len(text) and text[index] not in ",}]\n":
        index += 1
    return index
