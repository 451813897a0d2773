"""``POST /composite/tree/{Obj}``: create a parent and its children in one all-or-nothing call.

Up to 200 records in all, 5 levels deep, 5 object types, new records only; each record names
a ``referenceId``. Success is 201 with every record's id, failure 400 with the failing
records' per-record errors, and nothing committed (salesforce-api.md 4.3). 1 API call.
"""

from __future__ import annotations

from typing import Any

from ._api import ApiRequest, ApiResponse
from ._errors import SalesforceError, not_found
from ._org import Org
from ._schema_defs import ObjectDef
from ._sobjects import method_not_allowed

__all__ = ["handle_tree"]

MAX_RECORDS = 200
MAX_DEPTH = 5
MAX_TYPES = 5


class _Rollback(Exception):  # noqa: N818 - control flow inside this module
    pass


def _input_error(message: str, code: str = "INVALID_INPUT") -> SalesforceError:
    return SalesforceError.of(400, code, message, with_fields=False)


def handle_tree(org: Org, req: ApiRequest) -> ApiResponse:
    parts = req.segments[2:]
    if len(parts) != 1:
        raise not_found()
    if req.method != "POST":
        raise method_not_allowed(req.method, "POST")
    obj = org.schema.object(parts[0])
    if obj is None:
        raise not_found()
    body = req.json()
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list) or not records:
        raise SalesforceError.of(
            400,
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of SObjectTreeRequest from missing 'records' value at"
            " [line:1, column:1]",
            with_fields=False,
        )
    tree = _Tree(org, req)
    tree.check(obj, records, depth=1)
    if tree.count > MAX_RECORDS:
        raise _input_error(
            f"The request has {tree.count} records; a tree request can create at most"
            f" {MAX_RECORDS}.",
            "LIMIT_EXCEEDED",
        )
    if len(tree.types) > MAX_TYPES:
        raise _input_error(
            f"The request has {len(tree.types)} object types; a tree request allows at most"
            f" {MAX_TYPES}.",
            "LIMIT_EXCEEDED",
        )
    try:
        with org.store.atomic():
            for record in records:
                tree.insert(obj, record, parent=None)
            if tree.errors:
                raise _Rollback  # noqa: TRY301 - unwinds the transaction
    except _Rollback:
        return ApiResponse(400, {"hasErrors": True, "results": tree.errors})
    return ApiResponse(201, {"hasErrors": False, "results": tree.created})


class _Tree:
    def __init__(self, org: Org, req: ApiRequest) -> None:
        self.org = org
        self.ctx = org.context(req.version, req.user_id)
        self.count = 0
        self.types: set[str] = set()
        self.references: set[str] = set()
        self.created: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []

    def check(self, obj: ObjectDef, records: list[Any], *, depth: int) -> None:
        """Shape and limits, before anything is written."""
        if depth > MAX_DEPTH:
            raise _input_error(f"The tree is more than {MAX_DEPTH} levels deep.", "LIMIT_EXCEEDED")
        for record in records:
            attributes = record.get("attributes") if isinstance(record, dict) else None
            if not isinstance(attributes, dict):
                raise _input_error("Each record needs attributes with type and referenceId.")
            reference = attributes.get("referenceId")
            if not isinstance(reference, str) or not reference:
                raise _input_error("Include a reference ID for each record in the request.")
            if reference in self.references:
                raise _input_error(f"Duplicate ReferenceId provided in the request: {reference}")
            self.references.add(reference)
            if str(attributes.get("type", "")).lower() != obj.name.lower():
                raise _input_error(
                    f"The record {reference} has type {attributes.get('type')}; expected"
                    f" {obj.name}."
                )
            if any(k.lower() == "id" for k in record):
                raise _input_error(f"The record {reference} has an Id; a tree creates records.")
            self.count += 1
            self.types.add(obj.name)
            for child, _ref, nested in self._children(obj, record):
                self.check(child, nested, depth=depth + 1)

    def _children(
        self, obj: ObjectDef, record: dict[str, Any]
    ) -> list[tuple[ObjectDef, str, list[Any]]]:
        found = []
        for key, value in record.items():
            relation = self.org.schema.child_relationship(obj.name, key)
            if relation is None:
                continue
            child = self.org.schema.object(relation[0])
            nested = value.get("records") if isinstance(value, dict) else None
            if child is None or not isinstance(nested, list):
                raise _input_error(f'{key} must hold {{"records": [...]}}')
            found.append((child, relation[1].name, nested))
        return found

    def insert(
        self, obj: ObjectDef, record: dict[str, Any], parent: tuple[str, str] | None
    ) -> None:
        reference = record["attributes"]["referenceId"]
        children = self._children(obj, record)
        child_keys = {k.lower() for k in record if self.org.schema.child_relationship(obj.name, k)}
        body = {k: v for k, v in record.items() if k.lower() not in child_keys}
        if parent is not None:
            body[parent[0]] = parent[1]
        try:
            with self.org.store.atomic():
                new_id = self.org.dml.insert(obj, body, self.ctx)
        except SalesforceError as error:
            self.errors.append(
                {"referenceId": reference, "errors": [e.per_record() for e in error.errors]}
            )
            return  # its children cannot be linked to it
        self.created.append({"referenceId": reference, "id": new_id})
        for child, field, nested in children:
            for child_record in nested:
                self.insert(child, child_record, (field, new_id))
