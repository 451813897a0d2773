"""Record writes: insert, update, upsert by key and delete, with the platform's validation.

Validation follows the order Salesforce applies it: the body is deserialised into known
fields (``INVALID_FIELD``, ``INVALID_FIELD_FOR_INSERT_UPDATE``, ``JSON_PARSER_ERROR``, type and
length errors), then the save checks run (required fields, references, object rules, unique
values). Every check is driven by the describe attributes in ``_schema_defs``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import _behaviours
from ._errors import ApiError, SalesforceError, not_found
from ._events import is_event, not_supported, publish_event
from ._ids import InvalidIdError, format_id, normalize_id
from ._schema import Schema
from ._schema_defs import FieldDef, ObjectDef
from ._store import Store
from ._values import Locator, coerce_value, format_datetime

__all__ = ["Dml", "MultipleMatches", "WriteContext", "key_of"]

_ID_SEQUENCE_START = 8_675_309  # mixed-case ids from the first record exercise the checksum


@dataclass(frozen=True, slots=True)
class WriteContext:
    """Who writes, when, and through which API version (for returned URLs)."""

    user_id: str
    now: dt.datetime
    version: str
    # Formatted once: every write stamps three or four fields (Bulk jobs write many rows).
    stamp: str = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stamp", format_datetime(self.now))


class MultipleMatches(Exception):  # noqa: N818 - named after the HTTP 300 it becomes
    """An external id value that matches several records (HTTP 300)."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(ids)
        self.ids = ids


def key_of(field: FieldDef, value: Any) -> str:
    """Index form of a unique/external id value: case-folded unless caseSensitive (2.3)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if field.case_sensitive else text.lower()


def _no_locator(_key: str) -> tuple[int, int]:
    return 1, 1


class Dml:
    """Writes records of one org, enforcing the schema's rules."""

    def __init__(self, schema: Schema, store: Store) -> None:
        self.schema = schema
        self.store = store

    # -- lookups ---------------------------------------------------------------------------
    def live_record(self, obj: ObjectDef, record_id: str) -> dict[str, Any]:
        """A record that exists and is not in the Recycle Bin, or the REST fault."""
        full = self.check_id(obj, record_id)
        record = self.store.get(obj.name, full)
        if record is None:
            raise not_found()
        if record.get("IsDeleted"):
            raise SalesforceError.of(404, "ENTITY_IS_DELETED", "entity is deleted")
        return record

    def check_id(self, obj: ObjectDef, record_id: str) -> str:
        """The 18-char id, or MALFORMED_ID when it is not an id of ``obj`` (8.3)."""
        try:
            full = normalize_id(record_id)
        except InvalidIdError:
            full = ""
        if not full or full[:3] != obj.key_prefix:
            raise SalesforceError.of(
                400,
                "MALFORMED_ID",
                f"{obj.label} ID: id value of incorrect type: {record_id}",
                ("Id",),
            )
        return full

    def find_by_key(self, obj: ObjectDef, field: FieldDef, value: Any) -> list[str]:
        if field.type == "id":
            try:
                full = normalize_id(str(value))
            except InvalidIdError:
                return []
            record = self.store.get(obj.name, full)
            return [full] if record and not record.get("IsDeleted") else []
        return self.store.find_by_key(obj.name, field.name, key_of(field, value))

    # -- writes ----------------------------------------------------------------------------
    def insert(
        self, obj: ObjectDef, body: Any, ctx: WriteContext, locate: Locator = _no_locator
    ) -> str:
        if not obj.createable:
            raise _readonly_object(obj)
        values = self._deserialize(obj, body, "insert", locate, ctx)
        record: dict[str, Any] = {f.name: None for f in obj.fields}
        for f in obj.fields:
            if f.type == "boolean":
                record[f.name] = bool(f.default_value)
            elif f.picklist_values and f.defaulted_on_create:
                record[f.name] = f.default_picklist_value()
            elif f.default_value is not None:
                record[f.name] = f.default_value
        record.update(values)
        missing = [
            f.name for f in obj.fields if f.required_on_create and record.get(f.name) is None
        ]
        if missing:
            raise _required(missing)
        if is_event(obj):
            return publish_event(self.store, obj, record, ctx)
        record_id = format_id(
            obj.key_prefix, self.store.next_sequence(obj.key_prefix, _ID_SEQUENCE_START)
        )
        record["Id"] = record_id
        _stamp(obj, record, ctx, created=True)
        if obj.field("OwnerId") and record.get("OwnerId") is None:
            record["OwnerId"] = ctx.user_id
        self._check_references(obj, record, set(values) | {"OwnerId"})
        _behaviours.before_write(self, obj, record, set(values), None, ctx)
        self._check_unique(obj, record)
        self._save(obj, record, ctx)
        _behaviours.after_insert(self, obj, record, ctx)
        return record_id

    def update(
        self,
        obj: ObjectDef,
        record_id: str,
        body: Any,
        ctx: WriteContext,
        locate: Locator = _no_locator,
    ) -> None:
        if is_event(obj):
            raise not_supported(obj, "update")
        existing = self.live_record(obj, record_id)
        if not obj.updateable:
            raise _readonly_object(obj)
        values = self._deserialize(obj, body, "update", locate, ctx, existing["Id"])
        cleared = [
            name
            for name, value in values.items()
            if value is None and (f := obj.field(name)) is not None and not f.nillable
        ]
        if cleared:
            raise _required(cleared)
        record = dict(existing) | values
        _stamp(obj, record, ctx, created=False)
        self._check_references(obj, record, set(values))
        _behaviours.before_write(self, obj, record, set(values), existing, ctx)
        self._check_unique(obj, record)
        self._save(obj, record, ctx)

    def upsert(  # noqa: PLR0917 - mirrors the REST resource's parts
        self,
        obj: ObjectDef,
        field: FieldDef,
        value: str,
        body: Any,
        ctx: WriteContext,
        locate: Locator = _no_locator,
    ) -> tuple[str, bool]:
        """(id, created) after matching ``field`` = ``value`` (salesforce-api.md 2.3)."""
        if not isinstance(body, dict):
            return self.insert(obj, body, ctx, locate), True
        if field.type != "id" and any(k.lower() == "id" for k in body):
            raise _not_writable(["Id"])
        matches = self.find_by_key(obj, field, value) if value else []
        if len(matches) > 1:
            raise MultipleMatches(matches)
        if matches:
            self.update(obj, matches[0], body, ctx, locate)
            return matches[0], False
        if field.type == "id" and value:
            # An Id that matches nothing cannot be created with that Id.
            self.check_id(obj, value)
            raise not_found()
        payload = dict(body)
        if field.type != "id":
            payload = {k: v for k, v in payload.items() if k.lower() != field.name.lower()}
            payload[field.name] = value
        return self.insert(obj, payload, ctx, locate), True

    def delete(self, obj: ObjectDef, record_id: str, ctx: WriteContext) -> None:
        if is_event(obj):
            raise not_supported(obj, "delete")
        record = self.live_record(obj, record_id)
        if not obj.deletable:
            raise SalesforceError.of(
                400, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id"
            )
        self.delete_record(obj, record, ctx)

    def delete_record(self, obj: ObjectDef, record: dict[str, Any], ctx: WriteContext) -> None:
        """Move a record to the Recycle Bin, and the children that cascade with it."""
        record = dict(record, IsDeleted=True)
        _stamp(obj, record, ctx, created=False)
        self.store.mark_deleted(record, when=ctx.stamp)
        for child, ref in self.schema.child_relationships(obj.name):
            if not ref.cascade_delete:
                continue
            for row in self.store.scan(child.name, include_deleted=False):
                if row.get(ref.name) == record["Id"]:
                    self.delete_record(child, row, ctx)
        _behaviours.after_delete(self, obj, record, ctx)

    def system_insert(self, obj: ObjectDef, values: Mapping[str, Any], ctx: WriteContext) -> str:
        """Insert a record the platform creates itself (no permission checks)."""
        record: dict[str, Any] = {f.name: None for f in obj.fields}
        record.update({f.name: False for f in obj.fields if f.type == "boolean"})
        record.update(values)
        record["Id"] = format_id(
            obj.key_prefix, self.store.next_sequence(obj.key_prefix, _ID_SEQUENCE_START)
        )
        _stamp(obj, record, ctx, created=True)
        if obj.field("OwnerId") and record.get("OwnerId") is None:
            record["OwnerId"] = ctx.user_id
        self._save(obj, record, ctx)
        return str(record["Id"])

    def system_update(self, obj: ObjectDef, record: dict[str, Any], ctx: WriteContext) -> None:
        _stamp(obj, record, ctx, created=False)
        self._save(obj, record, ctx)

    # -- steps -----------------------------------------------------------------------------
    def _deserialize(  # noqa: PLR0917 - internal step, called twice
        self,
        obj: ObjectDef,
        body: Any,
        operation: str,
        locate: Locator,
        ctx: WriteContext,
        own_id: str | None = None,
    ) -> dict[str, Any]:
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
            raise _not_writable(forbidden)
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

    def _check_references(self, obj: ObjectDef, record: dict[str, Any], written: set[str]) -> None:
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

    def _check_unique(self, obj: ObjectDef, record: dict[str, Any]) -> None:
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

    def _save(self, obj: ObjectDef, record: dict[str, Any], ctx: WriteContext) -> None:
        modstamp = record.get("SystemModstamp") or ctx.stamp
        self.store.put(obj.name, record, modstamp=str(modstamp))
        keys = {
            f.name: key_of(f, record[f.name])
            for f in obj.fields
            if (f.is_key or f.unique) and f.type != "id" and record.get(f.name) is not None
        }
        self.store.set_keys(obj.name, record["Id"], keys)


def _stamp(obj: ObjectDef, record: dict[str, Any], ctx: WriteContext, *, created: bool) -> None:
    names = ["LastModifiedDate", "SystemModstamp"] + (["CreatedDate"] if created else [])
    for name in names:
        if obj.field(name):
            record[name] = ctx.stamp
    for name in ["LastModifiedById"] + (["CreatedById"] if created else []):
        if obj.field(name):
            record[name] = ctx.user_id
    if created and obj.field("IsDeleted"):
        record["IsDeleted"] = False


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


def _not_writable(names: list[str]) -> SalesforceError:
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


def _readonly_object(obj: ObjectDef) -> SalesforceError:
    return SalesforceError.of(
        400,
        "INSUFFICIENT_ACCESS_OR_READONLY",
        f"You do not have the level of access necessary to perform the operation you requested"
        f" on {obj.name}.",
    )
