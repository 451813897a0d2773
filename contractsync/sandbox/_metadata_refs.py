"""PermissionSet, Layout and ReportType components: accepted, recorded, references checked.

The sandbox does not enforce field-level security, page layouts or reports, but a real
deploy refuses these components when they name objects or fields the org does not have,
and refuses field permissions on required fields (salesforce-api.md 9.1). The messages
follow real componentFailures: "In field: object - no CustomObject named X found".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ._metadata_fields import ComponentError
from ._metadata_package import Component
from ._metadata_xml import child_text, children
from ._schema import Schema
from ._schema_defs import ObjectDef

__all__ = ["check_layout", "check_permission_set", "check_report_type"]


def _object(schema: Schema, name: str, element_name: str) -> ObjectDef:
    found = schema.object(name)
    if found is None:
        raise ComponentError(f"In field: {element_name} - no CustomObject named {name} found")
    return found


def _field_path(schema: Schema, path: str, element: ET.Element) -> tuple[ObjectDef, str]:
    obj_name, _, field_name = path.partition(".")
    obj = schema.object(obj_name)
    if obj is None or not field_name or obj.field(field_name) is None:
        raise ComponentError(f"In field: field - no CustomField named {path} found", element)
    return obj, field_name


def check_permission_set(schema: Schema, component: Component) -> None:
    """Labels, object permissions and field permissions of a ``.permissionset`` file."""
    root = component.element
    if child_text(root, "label") is None:
        raise ComponentError("Must specify a non-empty label for the PermissionSet")
    for permission in children(root, "objectPermissions"):
        _object(schema, child_text(permission, "object") or "", "object")
    for permission in children(root, "fieldPermissions"):
        path = child_text(permission, "field") or ""
        obj, field_name = _field_path(schema, path, permission)
        field = obj.field(field_name)
        assert field is not None  # noqa: S101 - checked by _field_path
        if field.required_on_create:
            # Required and master-detail fields are always visible; FLS on them is refused.
            raise ComponentError(f"You cannot deploy to a required field: {path}", permission)


def check_layout(schema: Schema, component: Component, failed_objects: set[str]) -> None:
    """A layout's object (the part of its name before '-') and the fields it places."""
    object_name = component.full_name.split("-", 1)[0]
    if object_name.lower() in failed_objects:
        raise ComponentError("Parent entity failed to deploy")
    obj = _object(schema, object_name, "fullName")
    for section in children(component.element, "layoutSections"):
        for column in children(section, "layoutColumns"):
            for item in children(column, "layoutItems"):
                field_name = child_text(item, "field")
                if field_name is not None and obj.field(field_name) is None:
                    raise ComponentError(
                        f"In field: field - no CustomField named {obj.name}.{field_name} found",
                        item,
                    )


def check_report_type(schema: Schema, component: Component) -> None:
    """A report type's base object, joined child relationships and column fields."""
    root = component.element
    if child_text(root, "label") is None:
        raise ComponentError("Must specify a non-empty label for the ReportType")
    base = _object(schema, child_text(root, "baseObject") or "", "baseObject")
    tables = {base.name.lower(): base}
    joined = root
    path = base.name
    obj = base
    while True:
        join = next(children(joined, "join"), None)
        if join is None:
            break
        relationship = child_text(join, "relationship") or ""
        found = schema.child_relationship(obj.name, relationship)
        if found is None:
            raise ComponentError(
                f"In field: relationship - no relationship named {relationship} found on"
                f" {obj.name}",
                join,
            )
        child_obj = schema.object(found[0])
        assert child_obj is not None  # noqa: S101 - a relationship names a known object
        path, obj, joined = f"{path}.{relationship}", child_obj, join
        tables[path.lower()] = obj
    for section in children(root, "sections"):
        for column in children(section, "columns"):
            table = child_text(column, "table") or base.name
            field_name = child_text(column, "field") or ""
            target = tables.get(table.lower())
            if target is None:
                raise ComponentError(f"In field: table - no table named {table} found", column)
            # Columns may follow lookups (Account.Owner.Name); the first hop must exist.
            first = field_name.split(".", 1)[0]
            if target.field(first) is None and target.relationship(first) is None:
                raise ComponentError(
                    f"In field: field - no CustomField named {target.name}.{field_name} found",
                    column,
                )
