"""``CustomField`` metadata (mdapi ``<fields>`` blocks) to the schema's field definitions.

Each Metadata API field type maps to a describe type with its own required and forbidden
elements (salesforce-api.md 9.1). Refusals use the platform's wording: "Must specify
'defaultValue' for a CustomField of type Checkbox", "Can not specify 'length' for a
CustomField of type TextArea", "Error parsing file: 'Strng' is not a valid value for the
enum 'FieldType'" (messages seen in real deploy results).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from ._metadata_xml import child, child_text, children

__all__ = ["FIELD_TYPES", "ComponentError", "field_spec", "is_custom_name"]


class ComponentError(Exception):
    """A component the deploy refuses; ``problem`` is the text componentFailures carry."""

    def __init__(self, problem: str, element: ET.Element | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.element = element


@dataclass(frozen=True, slots=True)
class _TypeRule:
    """How one Metadata API field type becomes a describe field."""

    describe: str
    needs: tuple[str, ...] = ()
    allows: frozenset[str] = frozenset()
    length: tuple[int, int] | None = None  # bounds of a client-chosen length
    fixed_length: int = 0
    required_allowed: bool = True
    key_allowed: bool = False  # may be unique / externalId


_NUMERIC = frozenset({"precision", "scale"})
_LOOKUP = frozenset({"referenceTo", "relationshipName", "relationshipLabel", "deleteConstraint"})
_RULES: dict[str, _TypeRule] = {
    "Text": _TypeRule("string", ("length",), frozenset({"length"}), (1, 255), key_allowed=True),
    "TextArea": _TypeRule("textarea", fixed_length=255),
    "LongTextArea": _TypeRule(
        "textarea",
        ("length", "visibleLines"),
        frozenset({"length", "visibleLines"}),
        (256, 131072),
        required_allowed=False,
    ),
    "Html": _TypeRule(
        "textarea",
        ("length", "visibleLines"),
        frozenset({"length", "visibleLines"}),
        (256, 131072),
        required_allowed=False,
    ),
    "EncryptedText": _TypeRule(
        "encryptedstring",
        ("length",),
        frozenset({"length", "maskChar", "maskType"}),
        (1, 175),
    ),
    "Number": _TypeRule("double", ("precision",), _NUMERIC, key_allowed=True),
    "Currency": _TypeRule("currency", ("precision",), _NUMERIC),
    "Percent": _TypeRule("percent", ("precision",), _NUMERIC),
    "Checkbox": _TypeRule("boolean", ("defaultValue",), required_allowed=False),
    "Date": _TypeRule("date"),
    "DateTime": _TypeRule("datetime"),
    "Time": _TypeRule("time"),
    "Email": _TypeRule("email", fixed_length=80, key_allowed=True),
    "Phone": _TypeRule("phone", fixed_length=40),
    "Url": _TypeRule("url", fixed_length=255),
    "Picklist": _TypeRule("picklist", ("valueSet",), frozenset({"valueSet"}), fixed_length=255),
    "MultiselectPicklist": _TypeRule(
        "multipicklist",
        ("valueSet", "visibleLines"),
        frozenset({"valueSet", "visibleLines"}),
        fixed_length=4099,
    ),
    "Lookup": _TypeRule("reference", ("referenceTo", "relationshipName"), _LOOKUP),
    "MasterDetail": _TypeRule(
        "reference",
        ("referenceTo", "relationshipName"),
        _LOOKUP - {"deleteConstraint"} | {"relationshipOrder", "reparentableMasterDetail"},
        required_allowed=False,
    ),
}
# The rest of the FieldType enum: valid XML, but this org cannot build them.
_UNSUPPORTED = frozenset(
    {
        "AutoNumber",
        "MetadataRelationship",
        "Note",
        "ExternalLookup",
        "IndirectLookup",
        "Summary",
        "Hierarchy",
        "File",
        "Location",
    }
)
FIELD_TYPES = frozenset(_RULES) | _UNSUPPORTED
# Elements whose presence is checked against a type's rule ("Can not specify ...").
_PARAMETERS = frozenset(
    {"length", "precision", "scale", "visibleLines", "valueSet", "maskChar", "maskType"}
    | _LOOKUP
    | {"relationshipOrder", "reparentableMasterDetail"}
)
# Platform event fields take only simple types (salesforce-api.md 7.1).
_EVENT_TYPES = ("Text", "Number", "Checkbox", "Date", "DateTime", "LongTextArea")
_CUSTOM_FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__c$")
_MAX_NAME = 40  # characters before the __c suffix


def is_custom_name(name: str) -> bool:
    return name.endswith("__c")


def _flag(element: ET.Element, name: str) -> bool:
    return (child_text(element, name) or "false").lower() == "true"


def _number(element: ET.Element, name: str, kind: str) -> int:
    text = child_text(element, name) or ""
    try:
        return int(text)
    except ValueError:
        raise ComponentError(
            f"Error parsing file: '{text}' is not a valid value for the type int ({name})",
            child(element, name),
        ) from None


def check_field_name(name: str) -> None:
    """The API-name rules Setup applies to custom fields."""
    if not _CUSTOM_FIELD_NAME.match(name) or len(name) - 3 > _MAX_NAME:
        raise ComponentError(
            f"Invalid fullName '{name}': the Field Name field can only contain underscores and"
            " alphanumeric characters. It must be unique, begin with a letter, not include"
            " spaces, not end with an underscore, and not contain two consecutive underscores."
        )


def field_spec(element: ET.Element, name: str, *, event: bool) -> dict[str, Any]:
    """The ``Schema.add_custom_field`` spec of one ``<fields>`` element named ``name``.

    Raises:
        ComponentError: the definition breaks a rule of its type.
    """
    check_field_name(name)
    kind = child_text(element, "type")
    if kind is None:
        raise ComponentError("Must specify 'type' for a CustomField", element)
    if kind not in FIELD_TYPES:
        # The enum check happens while the file is parsed, so the whole file fails.
        raise ComponentError(
            f"Error parsing file: '{kind}' is not a valid value for the enum 'FieldType'",
            child(element, "type"),
        )
    if child_text(element, "formula"):
        raise ComponentError("Formula fields are not supported by this sandbox org.")
    if kind in _UNSUPPORTED:
        raise ComponentError(f"Fields of type {kind} are not supported by this sandbox org.")
    if event and kind not in _EVENT_TYPES:
        raise ComponentError(
            f"Platform event fields can't be of type {kind}; use one of: " + ", ".join(_EVENT_TYPES)
        )
    rule = _RULES[kind]
    label = child_text(element, "label")
    if label is None:
        raise ComponentError("Must specify a non-empty label for the CustomField")
    for needed in rule.needs:
        if child(element, needed) is None:
            raise ComponentError(f"Must specify '{needed}' for a CustomField of type {kind}")
    for present in (local for local in _PARAMETERS if child(element, local) is not None):
        if present not in rule.allows:
            raise ComponentError(
                f"Can not specify '{present}' for a CustomField of type {kind}",
                child(element, present),
            )
    required = _flag(element, "required")
    if kind == "MasterDetail" and child(element, "required") is not None:
        raise ComponentError("Master-Detail Relationship Fields Cannot be Optional or Required")
    if required and not rule.required_allowed:
        raise ComponentError(f"Can not specify 'required' for a CustomField of type {kind}")
    for key in ("externalId", "unique"):
        if _flag(element, key) and not rule.key_allowed:
            raise ComponentError(f"Can not specify '{key}' for a CustomField of type {kind}")
    spec: dict[str, Any] = {
        "name": name,
        "label": label,
        "type": rule.describe,
        "required": required or kind == "MasterDetail",
        "externalId": _flag(element, "externalId"),
        "unique": _flag(element, "unique"),
        "caseSensitive": _flag(element, "caseSensitive"),
    }
    if rule.fixed_length:
        spec["length"] = rule.fixed_length
    if rule.length is not None:
        low, high = rule.length
        length = _number(element, "length", kind)
        if not low <= length <= high:
            raise ComponentError(
                f"Length must be between {low} and {high} for a CustomField of type {kind}",
                child(element, "length"),
            )
        spec["length"] = length
    if rule.allows >= _NUMERIC:
        spec |= _numeric(element, kind)
    if kind == "Checkbox":
        spec["defaultValue"] = _flag(element, "defaultValue")
    if rule.describe in ("picklist", "multipicklist"):
        spec |= _picklist(element)
    if rule.describe == "reference":
        spec |= _reference(element, name, master_detail=kind == "MasterDetail")
    return spec


def _numeric(element: ET.Element, kind: str) -> dict[str, Any]:
    precision = _number(element, "precision", kind)
    scale = _number(element, "scale", kind) if child(element, "scale") is not None else 0
    if not 1 <= precision <= 18:
        raise ComponentError("The precision must be between 1 and 18", child(element, "precision"))
    if not 0 <= scale <= precision:
        raise ComponentError(
            "The scale must be between 0 and the precision", child(element, "scale")
        )
    return {"precision": precision, "scale": scale}


def _picklist(element: ET.Element) -> dict[str, Any]:
    value_set = child(element, "valueSet")
    assert value_set is not None  # noqa: S101 - required by the type rule
    if child(value_set, "valueSetName") is not None:
        raise ComponentError("Global value sets are not supported by this sandbox org.")
    definition = child(value_set, "valueSetDefinition")
    values: list[dict[str, str]] = []
    default: str | None = None
    seen: set[str] = set()
    for value in children(definition, "value") if definition is not None else ():
        full_name = child_text(value, "fullName")
        if full_name is None:
            raise ComponentError("Must specify a fullName for each picklist value", value)
        if full_name.lower() in seen:
            raise ComponentError(f"Duplicate picklist value specified: {full_name}", value)
        seen.add(full_name.lower())
        values.append({"value": full_name, "label": child_text(value, "label") or full_name})
        if _flag(value, "default"):
            default = full_name
    if not values:
        raise ComponentError("Must specify at least one value in valueSetDefinition", value_set)
    spec: dict[str, Any] = {
        "picklist": values,
        "restrictedPicklist": _flag(value_set, "restricted"),
    }
    if default is not None:
        spec["defaultPicklistValue"] = default
    return spec


def _reference(element: ET.Element, name: str, *, master_detail: bool) -> dict[str, Any]:
    target = child_text(element, "referenceTo") or ""
    child_name = child_text(element, "relationshipName") or ""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", child_name) or "__" in child_name:
        raise ComponentError(
            f"Invalid relationshipName '{child_name}': it can only contain underscores and"
            " alphanumeric characters, must begin with a letter and cannot contain two"
            " consecutive underscores.",
            child(element, "relationshipName"),
        )
    return {
        "referenceTo": [target],
        # Metadata's relationshipName names the parent's child relationship; the lookup
        # itself is traversed as Field__r (salesforce-api.md 9.1).
        "relationshipName": name[:-3] + "__r",
        "childRelationshipName": child_name + "__r",
        "cascadeDelete": master_detail,
    }
