"""Record writes: insert, update, upsert by key and delete, with the platform's validation.

Validation follows the order Salesforce applies it: the body is deserialised into known
fields (``INVALID_FIELD``, ``INVALID_FIELD_FOR_INSERT_UPDATE``, ``JSON_PARSER_ERROR``, type and
length errors), then the save checks run (required fields, references, object rules, unique
values). The checks themselves live in ``_dml_checks``; the order is kept here, in the writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import _behaviours
from ._dml_checks import WriteChecks, key_of, not_writable, readonly_object
from ._errors import SalesforceError, not_found
from ._events import is_event, not_supported, publish_event
from ._ids import InvalidIdError, format_id, normalize_id
from ._schema import Schema
from ._schema_defs import FieldDef, ObjectDef
from ._store import Store
from ._values import Locator, format_datetime

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


def _no_locator(_key: str) -> tuple[int, int]:
    return 1, 1


class Dml:
    """Writes records of one org, enforcing the schema's rules."""

    def __init__(self, schema: Schema, store: Store) -> None:
        self.schema = schema
        self.store = store
        self.checks = WriteChecks(schema, store)

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
        """Ids of the records whose ``field`` (Id, unique or external id) holds ``value``."""
        return self.checks.find_by_key(obj, field, value)

    # -- writes ----------------------------------------------------------------------------
    def insert(
        self, obj: ObjectDef, body: Any, ctx: WriteContext, locate: Locator = _no_locator
    ) -> str:
        if not obj.createable:
            raise readonly_object(obj)
        values = self.checks.deserialize(obj, body, "insert", locate)
        record: dict[str, Any] = {f.name: None for f in obj.fields}
        for f in obj.fields:
            if f.type == "boolean":
                record[f.name] = bool(f.default_value)
            elif f.picklist_values and f.defaulted_on_create:
                record[f.name] = f.default_picklist_value()
            elif f.default_value is not None:
                record[f.name] = f.default_value
        record.update(values)
        self.checks.check_required(obj, record)
        if is_event(obj):
            return publish_event(self.store, obj, record, ctx)
        record_id = format_id(
            obj.key_prefix, self.store.next_sequence(obj.key_prefix, _ID_SEQUENCE_START)
        )
        record["Id"] = record_id
        _stamp(obj, record, ctx, created=True)
        if obj.field("OwnerId") and record.get("OwnerId") is None:
            record["OwnerId"] = ctx.user_id
        self.checks.check_references(obj, record, set(values) | {"OwnerId"})
        _behaviours.before_write(self, obj, record, set(values), None, ctx)
        self.checks.check_unique(obj, record)
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
            raise readonly_object(obj)
        values = self.checks.deserialize(obj, body, "update", locate, own_id=existing["Id"])
        self.checks.check_not_cleared(obj, values)
        record = dict(existing) | values
        _stamp(obj, record, ctx, created=False)
        self.checks.check_references(obj, record, set(values))
        _behaviours.before_write(self, obj, record, set(values), existing, ctx)
        self.checks.check_unique(obj, record)
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
            raise not_writable(["Id"])
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
