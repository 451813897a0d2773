"""The org's objects and fields, loaded from the JSON files under ``schema/``.

Standard objects are data, not code: each ``schema/<Object>.json`` lists the fields describe
reports, with only the attributes that differ from the per-type defaults. Custom fields,
objects and platform events (``Ext_Id__c``, ``Invoice__c``, ``Synced__e``) are added at run
time (the admin API, Metadata deploys) and persisted by the store as a replayable log.
"""

from __future__ import annotations

import json
import re
import string
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ._schema_custom import event_object_data, record_object_data

__all__ = ["FieldDef", "ObjectDef", "PicklistEntry", "Schema", "SchemaError"]

_TEXT_TYPES = frozenset(
    {"string", "textarea", "email", "url", "phone", "picklist", "multipicklist", "combobox"}
    | {"encryptedstring"}
)
_NUMBER_TYPES = frozenset({"int", "double", "currency", "percent"})
_SUPPORTED_TYPES = (
    _TEXT_TYPES
    | _NUMBER_TYPES
    | {"id", "boolean", "date", "datetime", "time", "reference", "base64"}
)
_SOAP_TYPES = {
    "id": "tns:ID",
    "reference": "tns:ID",
    "boolean": "xsd:boolean",
    "int": "xsd:int",
    "double": "xsd:double",
    "currency": "xsd:double",
    "percent": "xsd:double",
    "date": "xsd:date",
    "datetime": "xsd:dateTime",
    "time": "xsd:time",
    "base64": "xsd:base64Binary",
}
_CUSTOM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__c$")
# Platform events are custom objects whose name ends in __e (salesforce-api.md 7.1).
_CUSTOM_OBJECT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__[ce]$")
# e00/e01 are the ids of publish results, not event types (salesforce-api.md 8.3).
_RESERVED_EVENT_PREFIXES = frozenset({"e00", "e01"})
_OBJECT_EXTRAS = frozenset(
    {"stages", "statusCategories", "closedStatuses", "eventType", "publishBehavior"}
)
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


class SchemaError(ValueError):
    """A custom field or object definition that the org cannot accept."""


@dataclass(frozen=True, slots=True)
class PicklistEntry:
    """One value of a picklist as describe reports it."""

    value: str
    label: str
    active: bool = True
    default: bool = False


@dataclass(frozen=True, slots=True)
class FieldDef:
    """A field with the describe attributes the sandbox enforces (salesforce-api.md 2.1)."""

    name: str
    label: str
    type: str
    length: int = 0
    precision: int = 0
    scale: int = 0
    digits: int = 0
    nillable: bool = True
    createable: bool = True
    updateable: bool = True
    defaulted_on_create: bool = False
    default_value: Any = None
    external_id: bool = False
    unique: bool = False
    case_sensitive: bool = False
    id_lookup: bool = False
    name_field: bool = False
    calculated: bool = False
    auto_number: bool = False
    picklist_values: tuple[PicklistEntry, ...] = ()
    restricted_picklist: bool = False
    reference_to: tuple[str, ...] = ()
    relationship_name: str | None = None
    child_relationship_name: str | None = None
    cascade_delete: bool = False
    polymorphic: bool = False
    custom: bool = False

    @property
    def required_on_create(self) -> bool:
        """nillable=false + createable + not defaultedOnCreate (salesforce-api.md 2.1)."""
        return not self.nillable and self.createable and not self.defaulted_on_create

    @property
    def is_text(self) -> bool:
        return self.type in _TEXT_TYPES

    @property
    def is_number(self) -> bool:
        return self.type in _NUMBER_TYPES

    @property
    def is_key(self) -> bool:
        """Usable in ``/sobjects/{Obj}/{Field}/{value}`` (external id or idLookup)."""
        return self.external_id or self.id_lookup

    @property
    def soap_type(self) -> str:
        return _SOAP_TYPES.get(self.type, "xsd:string")

    def picklist_value(self, value: str) -> PicklistEntry | None:
        for entry in self.picklist_values:
            if entry.value == value:
                return entry
        return None

    def default_picklist_value(self) -> str | None:
        for entry in self.picklist_values:
            if entry.default:
                return entry.value
        return None


@dataclass(frozen=True, slots=True)
class ObjectDef:
    """An sObject type: its identity, object-level permissions and fields."""

    name: str
    label: str
    label_plural: str
    key_prefix: str
    fields: tuple[FieldDef, ...]
    custom: bool = False
    createable: bool = True
    updateable: bool = True
    deletable: bool = True
    queryable: bool = True
    extras: Mapping[str, Any] = field(default_factory=dict)
    _by_lower: dict[str, FieldDef] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_lower.update({f.name.lower(): f for f in self.fields})

    def field(self, name: str) -> FieldDef | None:
        """A field by case-insensitive API name."""
        return self._by_lower.get(name.lower())

    def relationship(self, name: str) -> FieldDef | None:
        """The reference field whose relationshipName is ``name`` (case-insensitive)."""
        lowered = name.lower()
        for candidate in self.fields:
            if candidate.relationship_name and candidate.relationship_name.lower() == lowered:
                return candidate
        return None

    @property
    def name_field(self) -> FieldDef | None:
        return next((f for f in self.fields if f.name_field), None)


def field_from_json(spec: Mapping[str, Any], *, custom: bool = False) -> FieldDef:
    """Build a field from its data-file form, filling describe defaults by type."""
    try:
        name = str(spec["name"])
        kind = str(spec["type"])
    except KeyError as missing:
        raise SchemaError(f"field definition needs {missing.args[0]!r}: {dict(spec)}") from None
    if kind not in _SUPPORTED_TYPES:
        raise SchemaError(f"field {name}: unsupported type {kind!r}")
    default_pick = spec.get("defaultPicklistValue")
    picklist = tuple(_picklist_entry(v, default_pick) for v in spec.get("picklist", ()))
    is_boolean = kind == "boolean"
    length = int(spec.get("length", 18 if kind in ("id", "reference") else 0))
    if kind in _TEXT_TYPES and length <= 0:
        length = 255
    reference_to = tuple(str(t) for t in spec.get("referenceTo", ()))
    if kind == "reference" and not reference_to:
        raise SchemaError(f"field {name}: a reference needs referenceTo")
    return FieldDef(
        name=name,
        label=str(spec.get("label", name)),
        type=kind,
        length=length,
        precision=int(spec.get("precision", 0)),
        scale=int(spec.get("scale", 0)),
        digits=int(spec.get("digits", 0)),
        # Booleans are never null: describe reports nillable=false, defaultedOnCreate=true.
        nillable=bool(spec.get("nillable", not is_boolean and kind != "id")),
        createable=bool(spec.get("createable", kind != "id")),
        updateable=bool(spec.get("updateable", kind != "id")),
        defaulted_on_create=bool(
            spec.get("defaultedOnCreate", is_boolean or kind == "id" or default_pick is not None)
        ),
        default_value=spec.get("defaultValue", False if is_boolean else None),
        external_id=bool(spec.get("externalId", False)),
        unique=bool(spec.get("unique", False)),
        case_sensitive=bool(spec.get("caseSensitive", False)),
        id_lookup=bool(spec.get("idLookup", kind == "id" or spec.get("externalId", False))),
        name_field=bool(spec.get("nameField", False)),
        calculated=bool(spec.get("calculated", False)),
        auto_number=bool(spec.get("autoNumber", False)),
        picklist_values=picklist,
        restricted_picklist=bool(spec.get("restrictedPicklist", False)),
        reference_to=reference_to,
        relationship_name=spec.get("relationshipName"),
        child_relationship_name=spec.get("childRelationshipName"),
        cascade_delete=bool(spec.get("cascadeDelete", False)),
        polymorphic=bool(spec.get("polymorphicForeignKey", len(reference_to) > 1)),
        custom=custom,
    )


def _picklist_entry(value: Any, default_pick: Any) -> PicklistEntry:
    """A picklist value given as ``"Draft"`` or ``{"value": "Draft", "label": "In draft"}``."""
    if isinstance(value, Mapping):
        name = str(value["value"])
        return PicklistEntry(name, str(value.get("label", name)), default=name == default_pick)
    return PicklistEntry(str(value), str(value), default=str(value) == default_pick)


def object_from_json(
    spec: Mapping[str, Any], system: Mapping[str, Mapping[str, Any]], *, custom: bool = False
) -> ObjectDef:
    """Build an object from its data-file form; system fields come from ``_system.json``."""
    system_names = list(spec.get("system", ()))
    leading = [system[n] for n in system_names if n in ("Id", "IsDeleted")]
    trailing = [system[n] for n in system_names if n not in ("Id", "IsDeleted")]
    fields = [field_from_json(s) for s in leading]
    fields += [field_from_json(s, custom=str(s["name"]).endswith("__c")) for s in spec["fields"]]
    fields += [field_from_json(s) for s in trailing]
    extras = {k: v for k, v in spec.items() if k in _OBJECT_EXTRAS}
    extras["autoNumber"] = spec.get("autoNumber", {})
    return ObjectDef(
        name=str(spec["name"]),
        label=str(spec.get("label", spec["name"])),
        label_plural=str(spec.get("labelPlural", spec.get("label", spec["name"]))),
        key_prefix=str(spec["keyPrefix"]),
        fields=tuple(fields),
        custom=custom,
        createable=bool(spec.get("createable", True)),
        updateable=bool(spec.get("updateable", spec.get("createable", True))),
        deletable=bool(spec.get("deletable", spec.get("createable", True))),
        queryable=bool(spec.get("queryable", True)),
        extras=extras,
    )


def _load_standard() -> tuple[dict[str, Mapping[str, Any]], list[Mapping[str, Any]]]:
    folder = resources.files("contractsync.sandbox").joinpath("schema")
    system: dict[str, Mapping[str, Any]] = {}
    objects: list[Mapping[str, Any]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        if entry.name == "_system.json":
            system = {f["name"]: f for f in data["fields"]}
        else:
            objects.append(data)
    return system, objects


class Schema:
    """Every object of the org; implements the SOQL engine's ``SchemaView``."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._system, standard = _load_standard()
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
