"""The data-file form of custom objects and platform events added at run time.

``Schema.add_custom_object`` turns these into ``ObjectDef``s exactly like the standard
objects under ``schema/``: a custom object carries the system fields plus ``Name`` and
``OwnerId``; a platform event carries only what an event has (salesforce-api.md 7.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["event_object_data", "record_object_data"]


def record_object_data(
    name: str, spec: Mapping[str, Any], key_prefix: str, system: list[str]
) -> dict[str, Any]:
    """A custom object (``Invoice__c``): system fields, ``Name`` (text or auto-number), owner."""
    name_spec = dict(spec.get("nameField") or {})
    name_field: dict[str, Any] = {
        "name": "Name",
        "label": name_spec.get("label", f"{spec.get('label', name)} Name"),
        "type": "string",
        "length": 80,
        "nameField": True,
    }
    if name_spec.get("type") == "autonumber":
        name_field |= {"createable": False, "updateable": False, "autoNumber": True}
        name_field |= {"nillable": False, "defaultedOnCreate": True}
    data = {
        "name": name,
        "label": spec.get("label", name[:-3]),
        "labelPlural": spec.get("labelPlural", spec.get("label", name[:-3])),
        "keyPrefix": key_prefix,
        "system": system,
        "fields": [
            name_field,
            {
                "name": "OwnerId",
                "label": "Owner ID",
                "type": "reference",
                "referenceTo": ["Group", "User"],
                "relationshipName": "Owner",
                "nillable": False,
                "defaultedOnCreate": True,
            },
        ],
    }
    if name_field.get("autoNumber"):
        data["autoNumber"] = {
            "Name": {"format": name_spec.get("displayFormat", "{0:08d}"), "start": 1}
        }
    return data


def event_object_data(name: str, spec: Mapping[str, Any], key_prefix: str) -> dict[str, Any]:
    """A platform event (``Synced__e``): insert-only, not queryable, ReplayId and EventUuid."""
    label = spec.get("label", name[:-3])
    return {
        "name": name,
        "label": label,
        "labelPlural": spec.get("labelPlural", label),
        "keyPrefix": key_prefix,
        "system": ["CreatedDate", "CreatedById"],
        "createable": True,
        "updateable": False,
        "deletable": False,
        "queryable": False,
        "eventType": spec.get("eventType", "HighVolume"),
        "publishBehavior": spec.get("publishBehavior", "PublishAfterCommit"),
        "fields": [
            {
                "name": "ReplayId",
                "label": "Replay ID",
                "type": "string",
                "createable": False,
                "updateable": False,
            },
            {
                "name": "EventUuid",
                "label": "Event UUID",
                "type": "string",
                "length": 36,
                "createable": False,
                "updateable": False,
            },
        ],
    }
