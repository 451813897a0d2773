"""sObject Collections: ``/composite/sobjects`` create, update, upsert, delete, retrieve.

Up to 200 records per call, one API call each, results in input order with per-record
errors keyed ``statusCode`` (salesforce-api.md 4.2). With ``allOrNone`` every record runs,
then the whole transaction rolls back if one failed; the good ones report
``ALL_OR_NONE_OPERATION_ROLLED_BACK``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._api import ApiRequest, ApiResponse
from ._dml import MultipleMatches, key_of
from ._errors import ApiError, SalesforceError, not_found
from ._ids import InvalidIdError, normalize_id
from ._org import Org
from ._sobjects import method_not_allowed, record_json, select_fields

__all__ = ["handle_collections"]

MAX_RECORDS = 200
_ROLLED_BACK = ApiError(
    "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "Record rolled back because not all records were valid and the request was using"
    " AllOrNone header",
)

LockDraw = Callable[[], bool]
RecordOp = Callable[[], dict[str, Any]]


class _Rollback(Exception):  # noqa: N818 - control flow, never escapes this module
    pass


def _too_many() -> SalesforceError:
    return SalesforceError.of(
        400,
        "EXCEEDED_ID_LIMIT",
        "record limit reached. cannot submit more than 200 records into this call",
        with_fields=False,
    )


def handle_collections(org: Org, req: ApiRequest, lock_draw: LockDraw) -> ApiResponse:
    parts = req.segments[2:]
    if not parts:
        if req.method == "POST":
            return _write(org, req, lock_draw, "create", None)
        if req.method == "PATCH":
            return _write(org, req, lock_draw, "update", None)
        if req.method == "DELETE":
            return _delete(org, req, lock_draw)
        raise method_not_allowed(req.method, "DELETE,PATCH,POST")
    obj = org.schema.object(parts[0])
    if obj is None:
        raise not_found()
    if len(parts) == 1:
        if req.method in ("GET", "POST"):
            return _retrieve(org, req, obj.name)
        raise method_not_allowed(req.method, "GET,HEAD,POST")
    if len(parts) == 2:
        field = obj.field(parts[1])
        if field is None or not field.is_key:
            raise not_found()
        if req.method != "PATCH":
            raise method_not_allowed(req.method, "PATCH")
        return _write(org, req, lock_draw, "upsert", (obj.name, field.name))
    raise not_found()


def _records(req: ApiRequest) -> tuple[bool, list[Any]]:
    body = req.json()
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise SalesforceError.of(
            400,
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of SObject[] from missing 'records' value at"
            " [line:1, column:1]",
            with_fields=False,
        )
    if len(records) > MAX_RECORDS:
        raise _too_many()
    return bool(body.get("allOrNone", False)), records


def _write(
    org: Org, req: ApiRequest, lock_draw: LockDraw, kind: str, upsert_key: tuple[str, str] | None
) -> ApiResponse:
    all_or_none, records = _records(req)
    ctx = org.context(req.version, req.user_id)
    seen_keys: dict[str, int] = {}
    if upsert_key is not None:
        obj = org.schema.object(upsert_key[0])
        field = obj.field(upsert_key[1]) if obj else None
        assert obj is not None  # noqa: S101 - checked by the router
        assert field is not None  # noqa: S101
        for record in records:
            value = _value_of(record, field.name)
            if value is not None:
                k = key_of(field, value)
                seen_keys[k] = seen_keys.get(k, 0) + 1

    def op_for(record: Any) -> tuple[str | None, RecordOp]:
        if not isinstance(record, dict):
            return None, _fails(ApiError("JSON_PARSER_ERROR", "record is not a JSON object"))
        attributes = record.get("attributes") or {}
        type_name = attributes.get("type") if isinstance(attributes, dict) else None
        record_id = _value_of(record, "Id")
        if kind == "upsert":
            assert upsert_key is not None  # noqa: S101
            type_name = upsert_key[0]
        elif type_name is None and kind == "update" and isinstance(record_id, str):
            found = org.schema.object_for_id(record_id)
            type_name = found.name if found else None
        obj = org.schema.object(str(type_name)) if type_name else None
        if obj is None:
            message = (
                f"sObject type '{type_name}' is not supported."
                if type_name
                else "sObject type must be specified in attributes"
            )
            return record_id, _fails(ApiError("INVALID_TYPE", message))
        if kind == "create":

            def create() -> dict[str, Any]:
                new_id = org.dml.insert(obj, record, ctx)
                return {"id": new_id, "success": True, "errors": []}

            return None, create
        if kind == "update":
            if not isinstance(record_id, str) or not record_id:
                return None, _fails(
                    ApiError("MISSING_ARGUMENT", "Id not specified in an update call")
                )

            def update() -> dict[str, Any]:
                org.dml.update(obj, record_id, record, ctx)
                return {"id": normalize_id(record_id), "success": True, "errors": []}

            return record_id, update
        assert upsert_key is not None  # noqa: S101
        field = obj.field(upsert_key[1])
        assert field is not None  # noqa: S101
        value = _value_of(record, field.name)
        if value is None:
            return None, _fails(
                ApiError("MISSING_ARGUMENT", f"{field.name} not specified", (field.name,))
            )
        if seen_keys.get(key_of(field, value), 0) > 1:
            return None, _fails(
                ApiError(
                    "DUPLICATE_EXTERNAL_ID",
                    f"Duplicate external id specified: {value}",
                    (field.name,),
                )
            )

        def upsert() -> dict[str, Any]:
            try:
                new_id, created = org.dml.upsert(obj, field, str(value), record, ctx)
            except MultipleMatches as many:
                raise SalesforceError.of(
                    300,
                    "DUPLICATE_EXTERNAL_ID",
                    f"{field.name}: More than 1 record found for external id field:"
                    f" [{', '.join(many.ids)}]",
                    (field.name,),
                ) from None
            return {"id": new_id, "success": True, "errors": [], "created": created}

        return None, upsert

    ops = [op_for(r) for r in records]
    return ApiResponse(200, _run(org, ops, all_or_none, lock_draw))


def _delete(org: Org, req: ApiRequest, lock_draw: LockDraw) -> ApiResponse:
    ids = [i for i in (req.params.get("ids") or "").split(",") if i]
    if len(ids) > MAX_RECORDS:
        raise _too_many()
    all_or_none = (req.params.get("allOrNone") or "false").lower() == "true"
    ctx = org.context(req.version, req.user_id)

    def op_for(raw_id: str) -> tuple[str | None, RecordOp]:
        obj = org.schema.object_for_id(raw_id)
        if obj is None:
            return raw_id, _fails(ApiError("MALFORMED_ID", f"malformed id {raw_id}"))

        def delete() -> dict[str, Any]:
            org.dml.delete(obj, raw_id, ctx)
            return {"id": normalize_id(raw_id), "success": True, "errors": []}

        return raw_id, delete

    return ApiResponse(200, _run(org, [op_for(i) for i in ids], all_or_none, lock_draw))


def _run(
    org: Org, ops: list[tuple[str | None, RecordOp]], all_or_none: bool, lock_draw: LockDraw
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    failed = False
    try:
        with org.store.atomic():
            for given_id, op in ops:
                if lock_draw():
                    failed = True
                    results.append(_failure(given_id, _locked(given_id)))
                    continue
                try:
                    with org.store.atomic():
                        results.append(op())
                except SalesforceError as error:
                    failed = True
                    results.append(_failure(given_id, _per_record(error.first)))
            if all_or_none and failed:
                raise _Rollback  # noqa: TRY301 - unwinds the outer transaction
    except _Rollback:
        results = [r if not r["success"] else _failure(None, _ROLLED_BACK) for r in results]
    return results


def _locked(given_id: str | None) -> ApiError:
    return ApiError(
        "UNABLE_TO_LOCK_ROW",
        f"unable to obtain exclusive access to this record or 1 records: {given_id or ''}".rstrip(),
    )


def _per_record(error: ApiError) -> ApiError:
    """Per-record results have no NOT_FOUND: a missing row is a bad cross reference."""
    if error.code == "NOT_FOUND":
        return ApiError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
    return error


def _failure(given_id: str | None, error: ApiError) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if given_id:
        try:
            result["id"] = normalize_id(given_id)
        except InvalidIdError:
            result["id"] = given_id
    result |= {"success": False, "errors": [error.per_record()]}
    return result


def _fails(error: ApiError) -> RecordOp:
    def op() -> dict[str, Any]:
        raise SalesforceError(400, [error])

    return op


def _value_of(record: Any, name: str) -> Any:
    if not isinstance(record, dict):
        return None
    return next((v for k, v in record.items() if k.lower() == name.lower()), None)


def _retrieve(org: Org, req: ApiRequest, sobject: str) -> ApiResponse:
    obj = org.schema.object(sobject)
    assert obj is not None  # noqa: S101 - checked by the caller
    if req.method == "POST":
        body = req.json()
        ids = body.get("ids") if isinstance(body, dict) else None
        fields_list = body.get("fields") if isinstance(body, dict) else None
        raw_fields = ",".join(fields_list) if isinstance(fields_list, list) else None
        id_list = [str(i) for i in ids] if isinstance(ids, list) else []
    else:
        id_list = [i for i in (req.params.get("ids") or "").split(",") if i]
        raw_fields = req.params.get("fields")
    if not raw_fields:
        raise SalesforceError.of(
            400, "MISSING_ARGUMENT", "The fields parameter is required", with_fields=False
        )
    if len(id_list) > (2000 if req.method == "POST" else MAX_RECORDS):
        raise _too_many()
    fields = select_fields(obj, raw_fields)
    out: list[dict[str, Any] | None] = []
    for raw_id in id_list:
        try:
            record = org.dml.live_record(obj, raw_id)
        except SalesforceError:
            out.append(None)
            continue
        out.append(record_json(obj, record, req.version, fields))
    return ApiResponse(200, out)
