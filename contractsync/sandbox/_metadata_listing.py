"""``describeMetadata`` and ``listMetadata``: what can be deployed, and what has been.

``listMetadata`` lists custom objects and fields from the schema (however they were added)
and every other component from the deploy records; zeep's ``sf.mdapi.list_metadata`` reads
the ``FileProperties`` elements (salesforce-api.md 9.2).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import escape
from typing import Any

from ._metadata_xml import child_text, children
from ._org import Org
from ._values import format_datetime

__all__ = ["describe_metadata_xml", "list_metadata_xml"]

# xmlName -> (directoryName, suffix, child types)
_TYPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "CustomObject": (
        "objects",
        "object",
        ("CustomField", "ListView", "CompactLayout", "WebLink", "FieldSet"),
    ),
    "Layout": ("layouts", "layout", ()),
    "PermissionSet": ("permissionsets", "permissionset", ()),
    "ReportType": ("reportTypes", "reportType", ()),
}
_MAX_QUERIES = 3  # listMetadata takes at most three queries per call


def describe_metadata_xml(_version: float) -> str:
    """The types this org deploys. A Developer Edition org allows partial saves."""
    objects = []
    for name, (directory, suffix, child_names) in _TYPES.items():
        children_xml = "".join(f"<childXmlNames>{c}</childXmlNames>" for c in child_names)
        objects.append(
            f"<metadataObjects>{children_xml}<directoryName>{directory}</directoryName>"
            "<inFolder>false</inFolder><metaFile>false</metaFile>"
            f"<suffix>{suffix}</suffix><xmlName>{name}</xmlName></metadataObjects>"
        )
    return (
        "<result>" + "".join(objects) + "<organizationNamespace></organizationNamespace>"
        "<partialSaveAllowed>true</partialSaveAllowed><testRequired>false</testRequired>"
        "</result>"
    )


def _file_properties(org: Org, item: dict[str, Any]) -> str:
    user = org.identity.user_id
    name = (org.store.get("User", user) or {}).get("Name") or ""
    now = format_datetime(org.now())
    values = [
        ("createdById", user),
        ("createdByName", name),
        ("createdDate", item.get("createdDate", now)),
        ("fileName", item["fileName"]),
        ("fullName", item["fullName"]),
        ("id", item.get("id", "")),
        ("lastModifiedById", user),
        ("lastModifiedByName", name),
        ("lastModifiedDate", item.get("lastModifiedDate", item.get("createdDate", now))),
        ("manageableState", "unmanaged"),
        ("type", item["type"]),
    ]
    return (
        "<result>"
        + "".join(f"<{k}>{escape(str(v), quote=False)}</{k}>" for k, v in values)
        + "</result>"
    )


def _components(org: Org, metadata_type: str) -> list[dict[str, Any]]:
    records: dict[str, Any] = org.store.get_meta("metadata_components") or {}
    found = {
        key: dict(record) for key, record in records.items() if record["type"] == metadata_type
    }
    for obj in org.schema.objects():
        if metadata_type == "CustomObject" and obj.custom:
            entry = {"fullName": obj.name, "fileName": f"objects/{obj.name}.object"}
            key = f"CustomObject:{obj.name.lower()}"
            found[key] = {"type": "CustomObject"} | found.get(key, {}) | entry
        if metadata_type == "CustomField":
            for field in (f for f in obj.fields if f.custom):
                full_name = f"{obj.name}.{field.name}"
                key = f"CustomField:{full_name.lower()}"
                entry = {"fullName": full_name, "fileName": f"objects/{obj.name}.object"}
                found[key] = {"type": "CustomField"} | found.get(key, {}) | entry
    return [found[k] for k in sorted(found)]


def list_metadata_xml(org: Org, operation: ET.Element) -> str:
    """``FileProperties`` of every component of the queried types."""
    results = []
    for query in list(children(operation, "queries"))[:_MAX_QUERIES]:
        metadata_type = child_text(query, "type") or ""
        results += [_file_properties(org, item) for item in _components(org, metadata_type)]
    return "".join(results)
