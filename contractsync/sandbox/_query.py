"""``query`` and ``queryAll`` over the SOQL engine, with ``nextRecordsUrl`` paging.

Pages hold up to 2,000 rows, or the ``Sforce-Query-Options: batchSize`` the client asks for
(200-2,000); the locator is a path ``.../query/01g...-<offset>`` (salesforce-api.md 6.1).
Cursors live in memory and die with the server, as real ones die after idling.
``columns=true`` answers the query's column layout instead of its rows (``_query_columns``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from ._api import ApiRequest, ApiResponse
from ._errors import SalesforceError
from ._ids import format_id
from ._org import Org
from ._query_columns import query_columns
from ._sobjects import method_not_allowed
from ._soql import SoqlError, execute_soql, parse_soql

__all__ = ["QueryCursors", "handle_query"]

_DEFAULT_BATCH = 2000
_MIN_BATCH = 200
_MAX_CURSORS = 50  # older cursors are evicted, as a per-user cursor cap would


@dataclass(slots=True)
class _Cursor:
    records: list[dict[str, Any]]
    total_size: int
    batch: int


class QueryCursors:
    """Open query locators, newest last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cursors: OrderedDict[str, _Cursor] = OrderedDict()
        self._sequence = 0

    def open(self, cursor: _Cursor) -> str:
        with self._lock:
            self._sequence += 1
            locator = format_id("01g", self._sequence)
            self._cursors[locator] = cursor
            while len(self._cursors) > _MAX_CURSORS:
                self._cursors.popitem(last=False)
            return locator

    def get(self, locator: str) -> _Cursor | None:
        with self._lock:
            return self._cursors.get(locator)


def _invalid_locator() -> SalesforceError:
    return SalesforceError.of(
        400, "INVALID_QUERY_LOCATOR", "invalid query locator", with_fields=False
    )


def _batch_size(req: ApiRequest) -> int:
    options = req.headers.get("sforce-query-options", "")
    for item in options.split(","):
        name, _, value = item.partition("=")
        if name.strip().lower() == "batchsize" and value.strip().isdigit():
            return max(_MIN_BATCH, min(_DEFAULT_BATCH, int(value.strip())))
    return _DEFAULT_BATCH


def handle_query(org: Org, cursors: QueryCursors, req: ApiRequest) -> ApiResponse:
    resource = req.segments[0]
    include_deleted = resource == "queryAll"
    if req.method != "GET":
        raise method_not_allowed(req.method, "GET,HEAD")
    if len(req.segments) == 2:
        return _more(cursors, req, resource, req.segments[1])
    if len(req.segments) > 2:
        raise _invalid_locator()
    text = req.params.get("q")
    if not text:
        raise SalesforceError.of(
            400, "MALFORMED_QUERY", "A query string has to be specified", with_fields=False
        )
    try:
        query = parse_soql(text)
        result = execute_soql(
            query,
            org.schema,
            org.store,
            now=org.now(),
            api_version=req.version,
            include_deleted=include_deleted,
        )
    except SoqlError as error:
        raise SalesforceError.of(400, error.error_code, error.message, with_fields=False) from None
    if req.params.get("columns", "").lower() == "true":
        return ApiResponse(200, query_columns(query, org.schema))
    cursor = _Cursor(result.records, result.total_size, _batch_size(req))
    return ApiResponse(200, _page(cursors, cursor, req, resource, locator=None, offset=0))


def _more(cursors: QueryCursors, req: ApiRequest, resource: str, token: str) -> ApiResponse:
    locator, _, offset_text = token.rpartition("-")
    cursor = cursors.get(locator) if offset_text.isdigit() else None
    if cursor is None or int(offset_text) > len(cursor.records):
        raise _invalid_locator()
    return ApiResponse(
        200, _page(cursors, cursor, req, resource, locator=locator, offset=int(offset_text))
    )


def _page(
    cursors: QueryCursors,
    cursor: _Cursor,
    req: ApiRequest,
    resource: str,
    *,
    locator: str | None,
    offset: int,
) -> dict[str, Any]:
    end = offset + cursor.batch
    page = cursor.records[offset:end]
    body: dict[str, Any] = {"totalSize": cursor.total_size, "done": end >= len(cursor.records)}
    if not body["done"]:
        locator = locator or cursors.open(cursor)
        body["nextRecordsUrl"] = f"/services/data/v{req.version}/{resource}/{locator}-{end}"
    body["records"] = page
    return body
