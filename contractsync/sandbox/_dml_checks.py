"""Write validation for ``_dml``: what a body may set and what a record may hold once saved.

``WriteChecks.deserialize`` turns a REST body into known fields the way the platform's parser
does (``INVALID_FIELD``, ``INVALID_FIELD_FOR_INSERT_UPDATE``, ``JSON_PARSER_ERROR``, type and
length errors) and resolves parent references given by external id. The save checks (required
fields, references, unique values) run on the merged record. ``Dml`` decides when each runs;
every check is driven by the describe attributes in ``_schema_defs``.
"""

from __future__ import annotations

from typing import Any

from ._errors import ApiError, SalesforceError
from ._ids import InvalidIdError, normalize_id
from ._schema import Schema
from ._schema_defs import FieldDef, ObjectDef
from ._store import Store
from ._values import Locator, coerce_value

__all__ = ["WriteChecks", "key_of", "not_writable", "readonly_object"]


def key_of(field: FieldDef, value: Any) -> str:
    """Index form of a unique/external id value: case-folded unless caseSensitive (2.3)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if field.case_sensitive else text.lower()


class WriteChecks:
    """The platform's write validation over one org's schema and records."""

    def __init__(self, schema: Schema, store: Store) -> None:
        self.schema = schema
        self.store = store

    def find_by_key(self, obj: ObjectDef, field: FieldDef, value: Any) -> list[str]:
        if field.type == "id":
            try:
                full = normalize_id(str(value))
            except InvalidIdError:
                return []
            record = self.store.get(obj.name, full)
            return [full] if record and not record.get("IsDeleted") else []
        return self.store.find_by_key(obj.name, field.name, key_of(field, value))

    # -- the body --------------------------------------------------------------------------
    def deserialize(
        self,
        obj: ObjectDef,
        body: Any,
        operation: str,
        locate: Locator,
        *,
        own_id: str | None = None,
    ) -> dict[str, Any]:
        """The field values ``body`` writes, for ``operation`` "insert" or "update"."""
        if not isinstance(body, dict):
            raise SalesforceError.of(
                400,
                "JSON_PARSER_ERROR",
                f"Cannot deserialize instance of {obj.name} from {_token_of(body)} value"
                " or request may be missing a required field at [line:1, column:1]",
                with_fields=False,
            )
        fields: list[tuple[str, FieldDef, Any]] = []
        parents: list[tuple[FieldDef, Any]] = []
        for key, value in body.items():
            if key == "attributes":
                continue
            field = obj.field(key)
            if field is None:
                ref = obj.relationship(key)
                if ref is not None and isinstance(value, dict):
                    parents.append((ref, value))
                    continue
                raise SalesforceError.of(
                    400,
                    "INVALID_FIELD",
                    f"No such column '{key}' on sobject of type {obj.name}",
                    with_fields=False,
                )
            fields.append((key, field, value))
        if operation == "insert" and any(field.name == "Id" for _k, field, _v in fields):
            raise SalesforceError.of(
                400,
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                "cannot specify Id in an insert call",
                ("Id",),
            )
        forbidden = [
            field.name
            for _key, field, value in fields
            if field.name != "Id"
            and not (field.createable if operation == "insert" else field.updateable)
        ]
        forbidden += [
            field.name
            for _key, field, value in fields
            if field.name == "Id" and not (isinstance(value, str) and _same_id(value, own_id))
        ]
        forbidden += [
            ref.name
            for ref, _v in parents
            if not (ref.createable if operation == "insert" else ref.updateable)
        ]
        if forbidden:
            raise not_writable(forbidden)
        values: dict[str, Any] = {}
        for key, field, value in fields:
            if field.name == "Id":
                continue
            values[field.name] = coerce_value(field, value, key, locate)
        for ref, value in parents:
            values[ref.name] = self._resolve_parent(ref, value)
        return values

    def _resolve_parent(self, ref: FieldDef, value: dict[str, Any]) -> str:
        """Parent by external id: ``"Account": {"Ext_Id__c": "A-1"}`` (2.3)."""
        attributes = value.get("attributes") or {}
        keys = [(k, v) for k, v in value.items() if k != "attributes"]
        target_name = attributes.get("type") if isinstance(attributes, dict) else None
        if target_name is None and len(ref.reference_to) == 1:
            target_name = ref.reference_to[0]
        target = self.schema.object(str(target_name)) if target_name else None
        if target is None or target.name not in ref.reference_to or len(keys) != 1:
            raise SalesforceError.of(
                400,
                "INVALID_FIELD",
                f"{ref.relationship_name}: a foreign key reference needs attributes.type"
                " and exactly one external id field",
                with_fields=False,
            )
        key_name, key_value = keys[0]
        key_field = target.field(key_name)
        if key_field is None or not key_field.is_key:
            raise SalesforceError.of(
                400,
                "INVALID_FIELD",
                f"Field {key_name} is not an external id or idLookup field on {target.name}",
                with_fields=False,
            )
        matches = self.find_by_key(target, key_field, key_value)
        if not matches:
            raise SalesforceError.of(
                400,
                "INVALID_FIELD",
                f"Foreign key external ID: {key_value} not found for field {key_field.name}"
                f" in entity {target.name}",
                with_fields=False,
            )
        if len(matches) > 1:
            raise SalesforceError.of(
                400,
                "DUPLICATE_EXTERNAL_ID",
                f"Foreign key external ID: {key_value} matches more than one record for field"
                f" {key_field.name} in entity {target.name}: [{', '.join(matches)}]",
                (ref.name,),
            )
        return matches[0]

    # -- the record ------------------------------------------------------------------------
    @staticmethod
    def check_required(obj: ObjectDef, record: dict[str, Any]) -> None:
        """REQUIRED_FIELD_MISSING for a new record (defaults applied) that leaves one empty."""
        missing = [
            f.name for f in obj.fields if f.required_on_create and record.get(f.name) is None
        ]
        if missing:
            raise _required(missing)

    @staticmethod
    def check_not_cleared(obj: ObjectDef, values: dict[str, Any]) -> None:
        """REQUIRED_FIELD_MISSING for an update that sets a non-nillable field to null."""
        cleared = [
            name
            for name, value in values.items()
            if value is None and (f := obj.field(name)) is not None and not f.nillable
        ]
        if cleared:
            raise _required(cleared)

    def check_references(self, obj: ObjectDef, record: dict[str, Any], written: set[str]) -> None:
        order = [f.name for f in obj.fields]
        for name in sorted(written, key=order.index):
            field = obj.field(name)
            target_id = record.get(name)
            if field is None or field.type != "reference" or target_id is None:
                continue
            target_obj = self.schema.object_for_id(target_id)
            if target_obj is None or target_obj.name not in field.reference_to:
                raise SalesforceError.of(
                    400,
                    "INVALID_CROSS_REFERENCE_KEY",
                    f"{field.label}: id value of incorrect type: {target_id}",
                    (field.name,),
                )
            target = self.store.get(target_obj.name, target_id)
            if target is None:
                raise SalesforceError.of(
                    400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"
                )
            if target.get("IsDeleted"):
                raise SalesforceError.of(400, "ENTITY_IS_DELETED", "entity is deleted")
            if target_obj.name == "User" and target.get("IsActive") is False:
                raise SalesforceError.of(
                    400,
                    "INACTIVE_OWNER_OR_USER",
                    f"operation performed with inactive user [{target_id}] as owner of"
                    f" {obj.name.lower()}",
                )

    def check_unique(self, obj: ObjectDef, record: dict[str, Any]) -> None:
        for field in obj.fields:
            value = record.get(field.name)
            if not field.unique or value is None:
                continue
            others = [
                i
                for i in self.store.find_by_key(obj.name, field.name, key_of(field, value))
                if i != record["Id"]
            ]
            if others:
                raise SalesforceError.of(
                    400,
                    "DUPLICATE_VALUE",
                    f"duplicate value found: {field.name} duplicates value on record with id:"
                    f" {others[0]}",
                )


def _same_id(value: str, own_id: str | None) -> bool:
    try:
        return own_id is not None and normalize_id(value) == own_id
    except InvalidIdError:
        return False


def _token_of(body: Any) -> str:
    return "START_ARRAY" if isinstance(body, list) else "VALUE_STRING"


def _required(names: list[str]) -> SalesforceError:
    return SalesforceError.of(
        400,
        "REQUIRED_FIELD_MISSING",
        f"Required fields are missing: [{', '.join(names)}]",
        tuple(names),
    )


def not_writable(names: list[str]) -> SalesforceError:
    """Fields the caller may not set: the platform answers as for field-level security."""
    return SalesforceError(
        400,
        [
            ApiError(
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                f"Unable to create/update fields: {', '.join(names)}. Please check the security"
                " settings of this field and verify that it is read/write for your profile or"
                " permission set.",
                tuple(names),
            )
        ],
    )


def readonly_object(obj: ObjectDef) -> SalesforceError:
    """A write to an object that is not createable or updateable."""
    return SalesforceError.of(
        400,
        "INSUFFICIENT_ACCESS_OR_READONLY",
        f"You do not have the level of access necessary to perform the operation you requested"
        f" on {obj.name}.",
    )
