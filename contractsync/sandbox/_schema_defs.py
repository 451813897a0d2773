"""Field and object definitions: the describe attributes of each field the sandbox enforces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "NUMBER_TYPES",
    "TEXT_TYPES",
    "FieldDef",
    "ObjectDef",
    "PicklistEntry",
    "SchemaError",
]

TEXT_TYPES = frozenset(
    {"string", "textarea", "email", "url", "phone", "picklist", "multipicklist", "combobox"}
    | {"encryptedstring"}
)
NUMBER_TYPES = frozenset({"int", "double", "currency", "percent"})
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
        return self.type in TEXT_TYPES

    @property
    def is_number(self) -> bool:
        return self.type in NUMBER_TYPES

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
