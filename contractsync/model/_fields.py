"""The field dictionary (``fields.yaml``): the taxonomy every other stage maps from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from contractsync.errors import ModelError


class Criticality(StrEnum):
    CRITICAL = "critical"
    """A human reviews the value before delivery, whatever the extractor's confidence."""
    STANDARD = "standard"
    """Auto-approved at or above the confidence threshold."""


FIELD_TYPES = frozenset(
    {
        "date", "expiration", "duration", "boolean", "money", "integer", "enum", "parties",
        "governing_law", "escalator", "termination", "obligations",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One canonical field: what it holds and how carefully it is reviewed."""

    name: str
    type: str
    criticality: Criticality
    extractable: bool
    description: str
    unit: str | None = None
    values: tuple[str, ...] = ()

    @property
    def critical(self) -> bool:
        return self.criticality is Criticality.CRITICAL


@dataclass(frozen=True, slots=True)
class FieldDictionary:
    """All canonical fields by name, in the dictionary's order."""

    fields: tuple[FieldSpec, ...]

    def __getitem__(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        known = ", ".join(spec.name for spec in self.fields)
        raise ModelError(f"'{name}' is not a canonical field. Known fields: {known}.", field=name)

    def __contains__(self, name: object) -> bool:
        return any(spec.name == name for spec in self.fields)

    def names(self) -> list[str]:
        return [spec.name for spec in self.fields]

    def extractable(self) -> list[FieldSpec]:
        return [spec for spec in self.fields if spec.extractable]


def parse_field_dictionary(document: Any, *, source: str) -> FieldDictionary:
    """Build the dictionary from parsed YAML, naming the entry and the fix on any problem."""
    if not isinstance(document, dict) or not isinstance(document.get("fields"), dict):
        raise ModelError(f"{source}: expected a mapping with a 'fields' mapping at the top")
    specs = []
    for name, entry in document["fields"].items():
        if not isinstance(entry, dict):
            raise ModelError(f"{source}: field '{name}' must be a mapping of its properties")
        field_type = entry.get("type")
        if field_type not in FIELD_TYPES:
            raise ModelError(
                f"{source}: field '{name}' has type {field_type!r}; "
                f"use one of {', '.join(sorted(FIELD_TYPES))}"
            )
        try:
            criticality = Criticality(entry.get("criticality", "standard"))
        except ValueError:
            raise ModelError(
                f"{source}: field '{name}' has criticality {entry.get('criticality')!r}; "
                "use 'critical' or 'standard'"
            ) from None
        if not entry.get("description"):
            raise ModelError(f"{source}: field '{name}' needs a description")
        specs.append(
            FieldSpec(
                name=str(name),
                type=field_type,
                criticality=criticality,
                extractable=bool(entry.get("extractable", True)),
                description=str(entry["description"]),
                unit=entry.get("unit"),
                values=tuple(entry.get("values", ())),
            )
        )
    return FieldDictionary(tuple(specs))


@cache
def field_dictionary() -> FieldDictionary:
    """The field dictionary shipped with contractsync."""
    text = resources.files("contractsync.model").joinpath("fields.yaml").read_text("utf-8")
    return parse_field_dictionary(yaml.safe_load(text), source="contractsync/model/fields.yaml")
