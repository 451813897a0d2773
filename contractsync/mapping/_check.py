"""Checking a mapping against an org's describe, before any record is sent.

Every problem is collected (not just the first) with the object, the field and the fix:
unknown objects or fields, an external-ID field that is not one, wrong types, fields the
integration user cannot create or update, required fields left unset, and picklist values
the org does not accept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contractsync.model import field_dictionary

from ._spec import FieldRule, Mapping, ObjectMapping

Describe = Callable[[str], dict[str, Any] | None]
"""The org's describe of an sObject, or None when the org has no such object."""

_TEXT = {"string", "textarea", "picklist", "multipicklist", "combobox", "email", "url", "phone"}
_NUMBER = {"int", "double", "currency", "percent"}
_ACCEPTS: dict[str, set[str]] = {
    "date": {"date"},
    "datetime": {"datetime"},
    "months": _NUMBER,
    "days": _NUMBER,
    "integer": _NUMBER,
    "amount": _NUMBER,
    "number": _NUMBER,
    "currency": _TEXT,
    "text": _TEXT,
    "upper": _TEXT,
    "lower": _TEXT,
    "join": _TEXT,
    "boolean": {"boolean"},
}
# What a canonical field's value is, when a rule reads it without a transform.
_NATURAL: dict[str, set[str]] = {
    "date": {"date", "datetime", *_TEXT},
    "boolean": {"boolean"},
    "integer": _NUMBER | _TEXT,
    "enum": _TEXT,
    "expiration": {"date", *_TEXT},
}
_NEEDS_TRANSFORM = {"duration": "months or days", "money": "amount or currency"}


@dataclass(frozen=True, slots=True)
class MappingProblem:
    object_name: str
    field: str | None
    problem: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.object_name}.{self.field}" if self.field else self.object_name
        return f"{where}: {self.problem} {self.fix}"


def check_mapping(mapping: Mapping, describe: Describe, *, org: str) -> list[MappingProblem]:
    """Every problem of ``mapping`` in the org whose describe is given."""
    problems: list[MappingProblem] = []
    describes: dict[str, dict[str, Any]] = {}
    deploy = f"Create it in org '{org}' or fix the mapping."
    for obj in mapping.objects:
        described = describe(obj.sobject)
        if described is None:
            problems.append(
                MappingProblem(
                    obj.name,
                    None,
                    f"sObject '{obj.sobject}' does not exist in org '{org}'.",
                    deploy,
                )
            )
            continue
        describes[obj.name] = described
        problems.extend(_check_object(obj, described, org=org, deploy=deploy))
        problems.extend(_check_lookups(obj, described, describe, org=org))
    for obj in mapping.objects:
        for relationship, reference in obj.references.items():
            parent = describes.get(reference.object)
            if parent is None or obj.name not in describes:
                continue
            parent_field = _fields(parent).get(mapping.object(reference.object).external_id.lower())
            if parent_field is None or not parent_field.get("externalId"):
                continue  # reported on the parent object already
            if not _relationship(describes[obj.name], relationship):
                problems.append(
                    MappingProblem(
                        obj.name,
                        relationship,
                        f"'{obj.sobject}' has no lookup with relationship name '{relationship}'.",
                        "Use the relationship name from the describe (e.g. Account for AccountId).",
                    )
                )
    return problems


def _check_object(
    obj: ObjectMapping, described: dict[str, Any], *, org: str, deploy: str
) -> list[MappingProblem]:
    problems: list[MappingProblem] = []
    fields = _fields(described)
    key_field = fields.get(obj.external_id.lower())
    if key_field is None:
        problems.append(
            MappingProblem(
                obj.name,
                obj.external_id,
                f"field does not exist on {obj.sobject} in org '{org}'.",
                deploy,
            )
        )
    elif not key_field.get("externalId") and key_field.get("name") != "Id":
        problems.append(
            MappingProblem(
                obj.name,
                obj.external_id,
                "is not an External ID field, so records cannot be upserted by it.",
                "Mark it External ID and Unique in the org, or key the mapping on another field.",
            )
        )
    for name, rule in sorted(obj.fields.items()):
        found = fields.get(name.lower())
        if found is None:
            problems.append(
                MappingProblem(
                    obj.name, name, f"field does not exist on {obj.sobject} in org '{org}'.", deploy
                )
            )
            continue
        problems.extend(_check_field(obj, name, rule, found))
    for name in obj.create_with:
        if name.lower() not in fields:
            problems.append(
                MappingProblem(
                    obj.name, name, f"field does not exist on {obj.sobject} in org '{org}'.", deploy
                )
            )
    if obj.owner is not None and "ownerid" not in fields:
        problems.append(
            MappingProblem(
                obj.name,
                "OwnerId",
                f"{obj.sobject} has no owner.",
                "Remove 'owner' from the mapping.",
            )
        )
    set_by_mapping = {name.lower() for name in [*obj.fields, *obj.create_with, obj.external_id]}
    set_by_mapping |= {_lookup_field(described, rel) for rel in obj.references}
    set_by_mapping |= {name.lower() for name in obj.lookups}
    if obj.owner is not None:
        set_by_mapping.add("ownerid")
    for name, found in fields.items():
        required = (
            not found.get("nillable", True)
            and found.get("createable", False)
            and not found.get("defaultedOnCreate", False)
            and found.get("type") != "boolean"
        )
        if required and name not in set_by_mapping:
            problems.append(
                MappingProblem(
                    obj.name,
                    found.get("name", name),
                    f"is required on {obj.sobject} but the mapping never sets it.",
                    "Map it (a rule, 'create_with' or a reference), or default it in the org.",
                )
            )
    return problems


def _check_lookups(
    obj: ObjectMapping, described: dict[str, Any], describe: Describe, *, org: str
) -> list[MappingProblem]:
    """The target is a writable reference to the lookup's sObject, whose match fields exist
    and can be filtered on (they go into a SOQL WHERE)."""
    problems: list[MappingProblem] = []
    fields = _fields(described)
    for target, lookup in sorted(obj.lookups.items()):
        found = fields.get(target.lower())
        targets = {str(name).lower() for name in (found or {}).get("referenceTo") or []}
        if found is None:
            problem = f"field does not exist on {obj.sobject} in org '{org}'."
            fix = "Use the reference field's API name (e.g. AccountId) or remove the lookup."
        elif found.get("type") != "reference" or lookup.sobject.lower() not in targets:
            problem = f"is not a lookup to {lookup.sobject}, so the lookup's Id cannot go there."
            fix = "Point the lookup at a reference field to that sObject, or change 'sobject'."
        elif not found.get("createable") and not found.get("updateable"):
            problem = "can be neither created nor updated by the integration user."
            fix = "Grant edit access in the permission set or remove the lookup."
        else:
            problem = ""
        if problem:
            problems.append(MappingProblem(obj.name, target, problem, fix))
        looked = describe(lookup.sobject)
        if looked is None:
            problems.append(
                MappingProblem(
                    obj.name,
                    target,
                    f"the lookup's sObject '{lookup.sobject}' does not exist in org '{org}'.",
                    "Fix 'sobject' in the lookup.",
                )
            )
            continue
        their_fields = _fields(looked)
        for name in sorted(lookup.match):
            match_field = their_fields.get(name.lower())
            if match_field is None or not match_field.get("filterable", True):
                state = "does not exist" if match_field is None else "cannot be filtered on"
                problems.append(
                    MappingProblem(
                        obj.name,
                        target,
                        f"the lookup matches on {lookup.sobject}.{name}, which {state} in "
                        f"org '{org}'.",
                        "Match on a filterable field of that sObject (e.g. Website or Name).",
                    )
                )
    return problems


def _check_field(
    obj: ObjectMapping, name: str, rule: FieldRule, found: dict[str, Any]
) -> list[MappingProblem]:
    problems: list[MappingProblem] = []
    api_type = str(found.get("type"))
    if not found.get("createable") and not found.get("updateable"):
        problems.append(
            MappingProblem(
                obj.name,
                name,
                "can be neither created nor updated by the integration user (read-only, "
                "formula, or no field-level access).",
                "Remove it from the mapping or grant edit access in the permission set.",
            )
        )
    accepted = _accepted_types(rule)
    if isinstance(accepted, str):
        problems.append(MappingProblem(obj.name, name, accepted, "Add the transform to the rule."))
    elif accepted is not None and api_type not in accepted:
        problems.append(
            MappingProblem(
                obj.name,
                name,
                f"is a {api_type} field, but the rule produces {_describe_kind(rule)}.",
                "Change the transform or map the value to a field of a matching type.",
            )
        )
    if api_type in {"picklist", "multipicklist"} and found.get("restrictedPicklist"):
        allowed = {
            entry.get("value")
            for entry in found.get("picklistValues", [])
            if entry.get("active", True)
        }
        offered = [*(rule.map or {}).values(), rule.value, rule.default]
        for value in offered:
            if isinstance(value, str) and value not in allowed:
                problems.append(
                    MappingProblem(
                        obj.name,
                        name,
                        f"value '{value}' is not in the org's restricted picklist "
                        f"({', '.join(sorted(str(v) for v in allowed))}).",
                        "Use one of the org's values in the value map, or add the value in Setup.",
                    )
                )
    return problems


def _accepted_types(rule: FieldRule) -> set[str] | str | None:
    if rule.transform is not None:
        return _ACCEPTS[rule.transform]
    if rule.map is not None or rule.template is not None:
        return None
    if rule.source is None:
        return None
    head = rule.source.split(".")[0]
    if head not in field_dictionary() or "." in rule.source:
        return None
    kind = field_dictionary()[head].type
    if kind in _NEEDS_TRANSFORM:
        return (
            f"reads '{head}' ({kind}) without a transform; use transform: {_NEEDS_TRANSFORM[kind]}."
        )
    return _NATURAL.get(kind, _TEXT)


def _describe_kind(rule: FieldRule) -> str:
    if rule.transform:
        return f"a {rule.transform} value"
    return f"the value of '{rule.source}'"


def _fields(described: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(field["name"]).lower(): field for field in described.get("fields", [])}


def _relationship(described: dict[str, Any], relationship: str) -> bool:
    return _lookup_field(described, relationship) != ""


def _lookup_field(described: dict[str, Any], relationship: str) -> str:
    for field in described.get("fields", []):
        if str(field.get("relationshipName") or "").lower() == relationship.lower():
            return str(field["name"]).lower()
    return ""
