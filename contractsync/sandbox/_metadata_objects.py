"""Applying CustomObject and CustomField components to the org's schema.

A custom object (``Invoice__c``) or platform event (``Synced__e``) is created with the
labels, name field and event settings of its ``.object`` file; a standard object file
(``Contract.object``) only carries custom fields (salesforce-api.md 9.1, 7.1). Fields are
checked the way a real deploy checks them: unknown standard field names, lookups to
objects that do not exist, child relationship names already taken on the parent.
"""

from __future__ import annotations

import re
from typing import Any

from ._metadata_fields import ComponentError, field_spec, is_custom_name
from ._metadata_package import Component
from ._metadata_xml import child, child_text, children
from ._org import Org
from ._schema_defs import ObjectDef

__all__ = ["Applied", "apply_field", "apply_object"]

_OBJECT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__[ce]$")
_SHARING_MODELS = frozenset(
    {"Private", "Read", "ReadWrite", "ReadWriteTransfer", "FullAccess", "ControlledByParent"}
    | {"ControlledByCampaign", "ControlledByLeadOrContact"}
)
_EVENT_TYPES = frozenset({"HighVolume", "StandardVolume"})
_PUBLISH_BEHAVIOURS = frozenset({"PublishAfterCommit", "PublishImmediately"})
_DEPLOYMENT_STATUSES = frozenset({"Deployed", "InDevelopment"})
# Activities share one field set: custom fields live on Activity, and deploying them to Task
# or Event fails with this (misleading but real) message.
_ACTIVITY_CHILDREN = ("Task", "Event")


def _enum(component: Component, name: str, allowed: frozenset[str], enum: str) -> str | None:
    value = child_text(component.element, name)
    if value is not None and value not in allowed:
        raise ComponentError(
            f"Error parsing file: '{value}' is not a valid value for the enum '{enum}'",
            child(component.element, name),
        )
    return value


def _display_format(text: str) -> str:
    """Salesforce's ``INV-{0000}`` as the Python format the org's auto-number uses."""
    parts = re.split(r"(\{0+\})", text)
    out = []
    for part in parts:
        if re.fullmatch(r"\{0+\}", part):
            out.append("{0:0%dd}" % (len(part) - 2))  # noqa: UP031 - builds a format spec
        else:
            out.append(part.replace("{", "{{").replace("}", "}}"))
    return "".join(out)


def object_definition(component: Component) -> dict[str, Any]:
    """The ``Schema.add_custom_object`` spec of a custom object or event file.

    Raises:
        ComponentError: a required element is missing or an enum value is invalid.
    """
    name = component.full_name
    element = component.element
    label = child_text(element, "label")
    if label is None:
        raise ComponentError("Must specify a non-empty label for the CustomObject")
    plural = child_text(element, "pluralLabel")
    if plural is None:
        raise ComponentError("Must specify a non-empty pluralLabel for the CustomObject")
    _enum(component, "deploymentStatus", _DEPLOYMENT_STATUSES, "DeploymentStatus")
    spec: dict[str, Any] = {"name": name, "label": label, "labelPlural": plural}
    if name.endswith("__e"):
        spec["eventType"] = _enum(component, "eventType", _EVENT_TYPES, "PlatformEventType")
        spec["eventType"] = spec["eventType"] or "HighVolume"
        behaviour = _enum(
            component, "publishBehavior", _PUBLISH_BEHAVIOURS, "PlatformEventPublishBehavior"
        )
        spec["publishBehavior"] = behaviour or "PublishAfterCommit"
        return spec
    sharing = _enum(component, "sharingModel", _SHARING_MODELS, "SharingModel")
    if sharing == "ControlledByParent" and not any(
        child_text(f, "type") == "MasterDetail" for f in children(element, "fields")
    ):
        raise ComponentError(
            "Cannot set sharingModel to ControlledByParent on a CustomObject without a"
            " MasterDetail relationship field"
        )
    name_field = child(element, "nameField")
    if name_field is None:
        raise ComponentError("Must specify a nameField for the CustomObject")
    name_type = child_text(name_field, "type")
    if name_type not in ("Text", "AutoNumber"):
        raise ComponentError(
            f"Error parsing file: '{name_type}' is not a valid value for the enum 'FieldType'"
            if name_type
            else "Must specify 'type' for the nameField of a CustomObject",
            name_field,
        )
    spec["nameField"] = {"label": child_text(name_field, "label") or f"{label} Name"}
    if name_type == "AutoNumber":
        display = child_text(name_field, "displayFormat")
        if display is None:
            raise ComponentError(
                "Must specify 'displayFormat' for a CustomField of type AutoNumber"
            )
        spec["nameField"] |= {"type": "autonumber", "displayFormat": _display_format(display)}
    spec["sharingModel"] = sharing or "ReadWrite"
    return spec


Applied = tuple[bool, dict[str, Any] | None]


def apply_object(org: Org, component: Component, recorded: dict[str, Any] | None) -> Applied:
    """Create or update the object: (whether it changed, the definition to record).

    Raises:
        ComponentError: the definition is refused.
    """
    name = component.full_name
    existing = org.schema.object(name)
    if not component.object_named:
        # Only a container for named fields: the object itself must already exist.
        if existing is None:
            raise ComponentError(f"In field: fullName - no CustomObject named {name} found")
        return False, None
    if existing is not None and not existing.custom:
        return False, None  # a standard object file: its fields are what deploys
    if not _OBJECT_NAME.match(name):
        if child_text(component.element, "label") is None:
            raise ComponentError("Must specify a non-empty label for the CustomObject")
        raise ComponentError(
            f"'{name}' does not resolve to a valid sObject type, fullName must end with: __c, __e"
        )
    spec = object_definition(component)
    if existing is None:
        org.add_custom_object(spec)
        return True, spec
    if recorded is not None and recorded.get("definition") == spec:
        return False, spec
    if (existing.label, existing.label_plural) != (spec["label"], spec["labelPlural"]):
        with org.store.atomic():
            org.schema.relabel_object(existing.name, spec["label"], spec["labelPlural"])
            org.store.set_meta("custom_schema", org.schema.custom_log())
    return True, spec


def field_definition(org: Org, component: Component) -> tuple[ObjectDef, dict[str, Any] | None]:
    """The field's object and its schema spec (None for a standard field left as it is)."""
    assert component.parent is not None  # noqa: S101 - fields always have their object
    target = org.schema.object(component.parent)
    if target is None:
        raise ComponentError(f"In field: fullName - no CustomObject named {component.parent} found")
    if target.name in _ACTIVITY_CHILDREN:
        raise ComponentError(
            f"Entity Enumeration Or ID: bad value for restricted picklist field: {target.name}"
        )
    name = component.full_name.split(".", 1)[1]
    if not is_custom_name(name):
        if target.field(name) is None:
            raise ComponentError("Could not resolve standard field's name.")
        return target, None
    spec = field_spec(component.element, name, event=target.name.endswith("__e"))
    if spec["type"] == "reference":
        _check_reference(org, target, spec)
    return target, spec


def _check_reference(org: Org, target: ObjectDef, spec: dict[str, Any]) -> None:
    referenced = spec["referenceTo"][0]
    parent = org.schema.object(referenced)
    if parent is None or parent.name.endswith("__e"):
        raise ComponentError(
            f"referenceTo value of '{referenced}' does not resolve to a valid sObject type"
        )
    spec["referenceTo"] = [parent.name]
    wanted = spec["childRelationshipName"].lower()
    for child_obj, ref in org.schema.child_relationships(parent.name):
        same_field = child_obj.name == target.name and ref.name.lower() == spec["name"].lower()
        taken = (ref.child_relationship_name or "").lower() == wanted
        if taken and not same_field:
            raise ComponentError(
                f"There is already a Child Relationship named {spec['childRelationshipName'][:-3]}"
                f" on {parent.label}."
            )


def apply_field(org: Org, component: Component, recorded: dict[str, Any] | None) -> Applied:
    """Create or redefine the field: (whether it changed, the definition to record).

    Raises:
        ComponentError: the definition is refused.
    """
    target, spec = field_definition(org, component)
    if spec is None:
        return False, None
    existing = target.field(spec["name"])
    new_master = spec.get("cascadeDelete") and (existing is None or existing.type != "reference")
    if new_master and org.store.count(target.name):
        raise ComponentError(
            "You cannot create a new Master-Detail relationship on an existing custom object"
            " if records already exist. You must first create a Lookup relationship,"
            " populate the lookup field with data in all records, and then change the"
            " relationship type to Master-Detail."
        )
    if existing is None:
        org.add_custom_field(target.name, spec)
        return True, spec
    if recorded is not None and recorded.get("definition") == spec:
        return False, spec
    if existing.type != spec["type"] and org.store.count(target.name):
        raise ComponentError(
            f"Cannot change type of {target.name}.{existing.name} due to existing data"
        )
    with org.store.atomic():
        org.schema.replace_custom_field(target.name, spec)
        org.store.set_meta("custom_schema", org.schema.custom_log())
    return True, spec
