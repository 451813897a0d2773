"""The ``/sobjects`` resources: describe, CRUD, upsert by external id, updated/deleted.

Status codes follow salesforce-api.md 2.2-2.4: create 201, update and delete 204, upsert
201/200 (204 before API 46.0)/300/404, and single-resource errors as a JSON array.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._api import ApiRequest, ApiResponse, json_locator
from ._describe import describe_global, describe_object, object_summary
from ._dml import MultipleMatches
from ._errors import SalesforceError, not_found
from ._ids import is_id_shaped
from ._org import Org
from ._schema_defs import ObjectDef
from ._values import format_datetime, parse_datetime

__all__ = ["handle_sobjects", "method_not_allowed", "record_json", "select_fields"]

_UPSERT_200_SINCE = 46.0  # 2.3: 200 + "created": false from API 46.0; 204 before


def method_not_allowed(method: str, allowed: str) -> SalesforceError:
    return SalesforceError.of(
        405,
        "METHOD_NOT_ALLOWED",
        f"HTTP Method '{method}' not allowed. Allowed are {allowed}",
        with_fields=False,
    )


def record_url(version: str, sobject: str, record_id: str) -> str:
    return f"/services/data/v{version}/sobjects/{sobject}/{record_id}"


def record_json(
    obj: ObjectDef, record: dict[str, Any], version: str, fields: list[str] | None = None
) -> dict[str, Any]:
    """A record as REST returns it: ``attributes`` first, then the fields (nulls included)."""
    body: dict[str, Any] = {
        "attributes": {"type": obj.name, "url": record_url(version, obj.name, record["Id"])}
    }
    names = fields if fields is not None else [f.name for f in obj.fields]
    for name in names:
        body[name] = record.get(name)
    if fields is not None and "Id" not in body:
        # ?fields= responses still carry the record's Id.
        body["Id"] = record["Id"]
    return body


def select_fields(obj: ObjectDef, raw: str | None) -> list[str] | None:
    """Canonical names of a ``fields=A,B`` parameter, or INVALID_FIELD."""
    if raw is None:
        return None
    names = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        field = obj.field(part)
        if field is None:
            raise SalesforceError.of(
                400,
                "INVALID_FIELD",
                f"No such column '{part}' on entity '{obj.name}'. If you are attempting to use a"
                " custom field, be sure to append the '__c' after the custom field name. Please"
                " reference your WSDL or the describe call for the appropriate names.",
                with_fields=False,
            )
        names.append(field.name)
    return names


def handle_sobjects(org: Org, req: ApiRequest) -> ApiResponse:
    parts = req.segments[1:]
    if not parts:
        if req.method != "GET":
            raise method_not_allowed(req.method, "GET,HEAD")
        return ApiResponse(200, describe_global(org.schema, req.version))
    obj = org.schema.object(parts[0])
    if obj is None:
        raise not_found()
    rest = parts[1:]
    if not rest:
        return _collection(org, obj, req)
    if rest[0] == "describe" and len(rest) == 1:
        if req.method != "GET":
            raise method_not_allowed(req.method, "GET,HEAD")
        return ApiResponse(200, describe_object(org.schema, obj, req.version))
    if rest[0] in ("updated", "deleted") and len(rest) == 1:
        if req.method != "GET":
            raise method_not_allowed(req.method, "GET,HEAD")
        return _changes(org, obj, req, rest[0])
    key_field = obj.field(rest[0])
    if key_field is not None and key_field.is_key and len(rest) <= 2:
        return _by_key(org, obj, req, rest[0], rest[1] if len(rest) == 2 else "")
    if len(rest) == 1:
        return _record(org, obj, req, rest[0])
    if len(rest) == 2 and is_id_shaped(rest[0]):
        return _blob(org, obj, req, rest[0], rest[1])
    if len(rest) == 2:
        raise not_found(
            f"Provided external ID field does not exist or is not accessible: {rest[0]}"
        )
    raise not_found()


def _collection(org: Org, obj: ObjectDef, req: ApiRequest) -> ApiResponse:
    if req.method == "GET":
        return ApiResponse(
            200, {"objectDescribe": object_summary(obj, req.version), "recentItems": []}
        )
    if req.method != "POST":
        raise method_not_allowed(req.method, "GET,HEAD,POST")
    ctx = org.context(req.version, req.user_id)
    with org.store.atomic():
        record_id = org.dml.insert(obj, req.json(), ctx, json_locator(req.body))
    return ApiResponse(
        201,
        {"id": record_id, "success": True, "errors": []},
        {"Location": record_url(req.version, obj.name, record_id)},
    )


def _record(org: Org, obj: ObjectDef, req: ApiRequest, raw_id: str) -> ApiResponse:
    if not is_id_shaped(raw_id):
        # 2.3: a segment that is neither an id nor a key field is read as a missing field.
        raise not_found(f"Provided external ID field does not exist or is not accessible: {raw_id}")
    ctx = org.context(req.version, req.user_id)
    if req.method == "GET":
        record = org.dml.live_record(obj, raw_id)
        fields = select_fields(obj, req.params.get("fields"))
        return ApiResponse(200, record_json(obj, record, req.version, fields))
    if req.method == "PATCH":
        with org.store.atomic():
            org.dml.update(obj, raw_id, req.json(), ctx, json_locator(req.body))
        return ApiResponse(204)
    if req.method == "DELETE":
        with org.store.atomic():
            org.dml.delete(obj, raw_id, ctx)
        return ApiResponse(204)
    raise method_not_allowed(req.method, "GET,HEAD,PATCH,DELETE")


def _by_key(org: Org, obj: ObjectDef, req: ApiRequest, field_name: str, value: str) -> ApiResponse:
    field = obj.field(field_name)
    assert field is not None  # noqa: S101 - checked by the router
    ctx = org.context(req.version, req.user_id)
    if req.method == "POST" and field.type == "id" and not value:
        # 2.2: POST /sobjects/{Obj}/Id creates a record (v37+).
        with org.store.atomic():
            record_id = org.dml.insert(obj, req.json(), ctx, json_locator(req.body))
        return ApiResponse(201, {"id": record_id, "success": True, "errors": []})
    if req.method == "PATCH":
        body = req.json()
        try:
            with org.store.atomic():
                record_id, created = org.dml.upsert(
                    obj, field, value, body, ctx, json_locator(req.body)
                )
        except MultipleMatches as many:
            return _multiple(req, obj, many.ids)
        if created:
            result: dict[str, Any] = {"id": record_id, "success": True, "errors": []}
            if req.version_number >= _UPSERT_200_SINCE:
                result["created"] = True
            return ApiResponse(201, result)
        if req.version_number >= _UPSERT_200_SINCE:
            return ApiResponse(
                200, {"id": record_id, "success": True, "errors": [], "created": False}
            )
        return ApiResponse(204)
    if req.method not in ("GET", "DELETE"):
        raise method_not_allowed(req.method, "GET,HEAD,PATCH,DELETE")
    matches = org.dml.find_by_key(obj, field, value) if value else []
    if len(matches) > 1:
        return _multiple(req, obj, matches)
    if not matches:
        raise not_found()
    if req.method == "DELETE":
        with org.store.atomic():
            org.dml.delete(obj, matches[0], ctx)
        return ApiResponse(204)
    record = org.dml.live_record(obj, matches[0])
    fields = select_fields(obj, req.params.get("fields"))
    return ApiResponse(200, record_json(obj, record, req.version, fields))


def _multiple(req: ApiRequest, obj: ObjectDef, ids: list[str]) -> ApiResponse:
    return ApiResponse(300, [record_url(req.version, obj.name, i) for i in ids])


def _blob(org: Org, obj: ObjectDef, req: ApiRequest, raw_id: str, field_name: str) -> ApiResponse:
    field = obj.field(field_name)
    if field is None or field.type != "base64":
        raise not_found()
    if req.method != "GET":
        raise method_not_allowed(req.method, "GET,HEAD")
    record = org.dml.live_record(obj, raw_id)
    data = org.store.get_blob(record["Id"], field.name)
    if data is None:
        raise not_found()
    return ApiResponse(200, raw=data, content_type="application/octetstream")


def _changes(org: Org, obj: ObjectDef, req: ApiRequest, kind: str) -> ApiResponse:
    """2.4: ids changed or deleted in [start, end], windows truncated to the minute."""
    bounds = []
    for name in ("start", "end"):
        raw = req.params.get(name)
        if raw is None:
            raise SalesforceError.of(
                400, "MISSING_ARGUMENT", f"Missing argument: {name}", with_fields=False
            )
        moment = parse_datetime(raw)
        if moment is None:
            raise SalesforceError.of(
                400,
                "INVALID_REPLICATION_DATE",
                f"Unable to parse the {name} date: {raw}",
                with_fields=False,
            )
        bounds.append(moment.replace(second=0, microsecond=0))
    start, end = bounds
    now = org.now().replace(second=0, microsecond=0)
    end = min(end, now)
    if end < start:
        raise SalesforceError.of(
            400,
            "INVALID_REPLICATION_DATE",
            "startDate must chronologically precede endDate by more than one minute",
            with_fields=False,
        )
    stop = format_datetime(end + dt.timedelta(minutes=1))
    if kind == "updated":
        ids = org.store.modified_between(obj.name, format_datetime(start), stop)
        return ApiResponse(200, {"ids": ids, "latestDateCovered": format_datetime(end)})
    rows = org.store.deleted_between(obj.name, format_datetime(start), stop)
    earliest = org.store.earliest_deletion(obj.name) or format_datetime(start)
    return ApiResponse(
        200,
        {
            "deletedRecords": [{"id": i, "deletedDate": d} for i, d in rows],
            "earliestDateAvailable": earliest[:17] + "00.000+0000",
            "latestDateCovered": format_datetime(end),
        },
    )
