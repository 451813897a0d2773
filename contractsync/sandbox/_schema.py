"""The org's objects and fields: the standard objects under ``schema/`` plus custom ones.

Custom fields, objects and platform events (``Ext_Id__c``, ``Invoice__c``, ``Synced__e``) are
added at run time (the admin API, Metadata deploys) and persisted by the store as a
replayable log.
"""

from __future__ import annotations

import re
import string
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from ._schema_custom import event_object_data, record_object_data
from ._schema_defs import FieldDef, ObjectDef, SchemaError
from ._schema_json import field_from_json, load_standard, object_from_json

__all__ = ["Schema"]

_CUSTOM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__c$")
# Platform events are custom objects whose name ends in __e (salesforce-api.md 7.1).
_CUSTOM_OBJECT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__[ce]$")
# e00/e01 are the ids of publish results, not event types (salesforce-api.md 8.3).
_RESERVED_EVENT_PREFIXES = frozenset({"e00", "e01"})
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


class Schema:
    """Every object of the org; implements the SOQL engine's ``SchemaView``."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._system, standard = load_standard()
        self._objects: dict[str, ObjectDef] = {}
        for spec in standard:
            self._put(object_from_json(spec, self._system))
        # Custom definitions in the order they were added, replayed on restart.
        self._custom_log: list[dict[str, Any]] = []

    # -- lookups ---------------------------------------------------------------------------
    def object(self, name: str) -> ObjectDef | None:
        """An object by case-insensitive API name."""
        return self._objects.get(name.lower())

    def objects(self) -> list[ObjectDef]:
        """Every object, sorted by name as global describe lists them."""
        return sorted(self._objects.values(), key=lambda o: o.name)

    def object_for_id(self, record_id: str) -> ObjectDef | None:
        """The object whose key prefix starts ``record_id``."""
        prefix = record_id[:3]
        return next((o for o in self._objects.values() if o.key_prefix == prefix), None)

    def child_relationships(self, parent: str) -> list[tuple[ObjectDef, FieldDef]]:
        """(child object, reference field) pairs that point at ``parent``."""
        found = []
        for child in self.objects():
            for ref in child.fields:
                if ref.type == "reference" and parent in ref.reference_to:
                    found.append((child, ref))
        return found

    # -- SchemaView ------------------------------------------------------------------------
    def object_name(self, name: str) -> str | None:
        found = self.object(name)
        return found.name if found else None

    def field(self, sobject: str, name: str) -> FieldDef | None:
        found = self.object(sobject)
        return found.field(name) if found else None

    def fields(self, sobject: str) -> Sequence[FieldDef]:
        found = self.object(sobject)
        return found.fields if found else ()

    def parent_relationship(
        self, sobject: str, relationship_name: str
    ) -> tuple[FieldDef, str] | None:
        found = self.object(sobject)
        ref = found.relationship(relationship_name) if found else None
        if ref is None:
            return None
        return ref, ref.reference_to[0]

    def child_relationship(
        self, sobject: str, relationship_name: str
    ) -> tuple[str, FieldDef] | None:
        parent = self.object(sobject)
        if parent is None:
            return None
        lowered = relationship_name.lower()
        for child, ref in self.child_relationships(parent.name):
            if ref.child_relationship_name and ref.child_relationship_name.lower() == lowered:
                return child.name, ref
        return None

    # -- customisation ---------------------------------------------------------------------
    def custom_log(self) -> list[dict[str, Any]]:
        """The custom definitions added so far, for the store to persist."""
        with self._lock:
            return list(self._custom_log)

    def replay(self, log: Iterable[Mapping[str, Any]]) -> None:
        """Re-apply persisted custom definitions after a restart."""
        for entry in log:
            if entry["kind"] == "field":
                self.add_custom_field(entry["sobject"], entry["spec"])
            elif entry["kind"] == "field_update":
                self.replace_custom_field(entry["sobject"], entry["spec"])
            elif entry["kind"] == "field_removal":
                self.remove_custom_field(entry["sobject"], entry["name"])
            elif entry["kind"] == "object_update":
                self.relabel_object(entry["sobject"], entry["label"], entry["labelPlural"])
            else:
                self.add_custom_object(entry["spec"])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Undo every customisation made in the block if it raises (a rolled-back deploy)."""
        with self._lock:
            objects, log = dict(self._objects), list(self._custom_log)
            try:
                yield
            except BaseException:
                self._objects, self._custom_log = objects, log
                raise

    def add_custom_field(self, sobject: str, spec: Mapping[str, Any]) -> FieldDef:
        """Add a custom field (``Ext_Id__c``) to an object, as a Metadata deploy would."""
        with self._lock:
            target = self.object(sobject)
            if target is None:
                raise SchemaError(f"sObject type '{sobject}' is not supported.")
            new_field = _custom_field(spec)
            if target.field(new_field.name):
                raise SchemaError(f"{target.name}.{new_field.name} already exists")
            self._check_references(new_field)
            self._put(_with_fields(target, (*target.fields, new_field)))
            self._custom_log.append({"kind": "field", "sobject": target.name, "spec": dict(spec)})
            return new_field

    def replace_custom_field(self, sobject: str, spec: Mapping[str, Any]) -> FieldDef:
        """Redefine an existing custom field in place (a redeploy that changes it)."""
        with self._lock:
            target = self.object(sobject)
            new_field = _custom_field(spec)
            old = target.field(new_field.name) if target else None
            if target is None or old is None or not old.custom:
                raise SchemaError(f"{sobject}.{new_field.name} is not a custom field")
            self._check_references(new_field)
            fields = tuple(new_field if f is old else f for f in target.fields)
            self._put(_with_fields(target, fields))
            entry = {"kind": "field_update", "sobject": target.name, "spec": dict(spec)}
            self._custom_log.append(entry)
            return new_field

    def remove_custom_field(self, sobject: str, name: str) -> None:
        """Delete a custom field (Setup's Delete, or a destructive deploy); its values go
        with it, and writes or queries naming it fail as in an org that never had it."""
        with self._lock:
            target = self.object(sobject)
            old = target.field(name) if target else None
            if target is None or old is None or not old.custom:
                raise SchemaError(f"{sobject}.{name} is not a custom field")
            self._put(_with_fields(target, tuple(f for f in target.fields if f is not old)))
            entry = {"kind": "field_removal", "sobject": target.name, "name": old.name}
            self._custom_log.append(entry)

    def relabel_object(self, sobject: str, label: str, label_plural: str) -> ObjectDef:
        """Change a custom object's labels (a redeploy of its ``.object`` file)."""
        with self._lock:
            target = self.object(sobject)
            if target is None or not target.custom:
                raise SchemaError(f"{sobject} is not a custom object")
            changed = _with_fields(target, target.fields, label=label, label_plural=label_plural)
            self._put(changed)
            self._custom_log.append(
                {
                    "kind": "object_update",
                    "sobject": target.name,
                    "label": label,
                    "labelPlural": label_plural,
                }
            )
            return changed

    def add_custom_object(self, spec: Mapping[str, Any]) -> ObjectDef:
        """Add a custom object (``Invoice__c``) or platform event (``Synced__e``)."""
        with self._lock:
            name = str(spec.get("name", ""))
            if not _CUSTOM_OBJECT_NAME.match(name):
                raise SchemaError(
                    f"custom object name must look like Name__c or Name__e, got {name!r}"
                )
            if self.object(name):
                raise SchemaError(f"{name} already exists")
            if name.endswith("__e"):
                data = event_object_data(name, spec, self._next_custom_prefix("e"))
            else:
                prefix = self._next_custom_prefix("a")
                data = record_object_data(name, spec, prefix, list(self._system))
            created = object_from_json(data, self._system, custom=True)
            self._put(created)
            self._custom_log.append({"kind": "object", "spec": dict(spec)})
            for field_spec in spec.get("fields", ()):
                self.add_custom_field(name, field_spec)
                self._custom_log.pop()
            found = self.object(name)
            assert found is not None  # noqa: S101 - just stored under this name
            return found

    def _put(self, obj: ObjectDef) -> None:
        self._objects[obj.name.lower()] = obj

    def _next_custom_prefix(self, first: str) -> str:
        used = {o.key_prefix for o in self._objects.values()} | _RESERVED_EVENT_PREFIXES
        for index in range(62 * 62):
            prefix = first + _BASE62[index // 62] + _BASE62[index % 62]
            if prefix not in used:
                return prefix
        raise SchemaError("no key prefixes left for custom objects")

    def _check_references(self, new_field: FieldDef) -> None:
        for target in new_field.reference_to:
            if self.object(target) is None:
                raise SchemaError(f"{new_field.name}: referenceTo names unknown object {target}")


def _custom_field(spec: Mapping[str, Any]) -> FieldDef:
    name = str(spec.get("name", ""))
    if not _CUSTOM_NAME.match(name):
        raise SchemaError(f"custom field name must look like Name__c, got {name!r}")
    data = dict(spec)
    if data.pop("required", False):
        data["nillable"] = False
    if data.get("type") == "reference" and "relationshipName" not in data:
        data["relationshipName"] = name[:-3] + "__r"
    if data.get("type") in ("id",):
        raise SchemaError(f"{name}: a custom field cannot have type 'id'")
    for flag in ("createable", "updateable", "calculated", "autoNumber", "defaultedOnCreate"):
        data.pop(flag, None)
    if "defaultValue" in data and data.get("type") != "boolean":
        data["defaultedOnCreate"] = True
    return field_from_json(data, custom=True)


def _with_fields(
    obj: ObjectDef,
    fields: tuple[FieldDef, ...],
    *,
    label: str | None = None,
    label_plural: str | None = None,
) -> ObjectDef:
    return ObjectDef(
        name=obj.name,
        label=label or obj.label,
        label_plural=label_plural or obj.label_plural,
        key_prefix=obj.key_prefix,
        fields=fields,
        custom=obj.custom,
        createable=obj.createable,
        updateable=obj.updateable,
        deletable=obj.deletable,
        queryable=obj.queryable,
        extras=obj.extras,
    )
