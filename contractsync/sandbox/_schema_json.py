"""Field and object definitions built from their data-file form (``schema/<Object>.json``).

Standard objects are data, not code: each ``schema/<Object>.json`` lists the fields describe
reports, with only the attributes that differ from the per-type defaults, which
``field_from_json`` fills in. Custom fields and objects arrive in the same form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from ._schema_defs import NUMBER_TYPES, TEXT_TYPES, FieldDef, ObjectDef, PicklistEntry, SchemaError

__all__ = ["field_from_json", "load_standard", "object_from_json"]

_SUPPORTED_TYPES = (
    TEXT_TYPES | NUMBER_TYPES | {"id", "boolean", "date", "datetime", "time", "reference", "base64"}
)
_OBJECT_EXTRAS = frozenset(
    {"stages", "statusCategories", "closedStatuses", "eventType", "publishBehavior"}
)


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
    if kind in TEXT_TYPES and length <= 0:
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


def load_standard() -> tuple[dict[str, Mapping[str, Any]], list[Mapping[str, Any]]]:
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
