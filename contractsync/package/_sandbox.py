"""Installing the package into the local sandbox org directly, without a Metadata deploy.

The embedded default target starts with an empty org; this gives it the objects and fields
the mapping needs, adding only what is missing, so it is safe to call on every start.
"""

from __future__ import annotations

from typing import Any, Protocol

from contractsync.mapping import Mapping

from ._fields import package_objects


class SchemaTarget(Protocol):
    """What the sandbox org offers for schema changes (``contractsync.sandbox.SandboxOrg``)."""

    def field_names(self, sobject: str) -> set[str] | None: ...

    def add_custom_object(self, spec: dict[str, Any]) -> Any: ...

    def add_custom_field(self, sobject: str, spec: dict[str, Any]) -> Any: ...


def install_in_sandbox(org: SchemaTarget, mapping: Mapping) -> list[str]:
    """Add the package's missing objects and fields; returns what was added (``Obj.Field``)."""
    added: list[str] = []
    for obj in package_objects(mapping):
        existing = org.field_names(obj.name)
        if existing is None:
            org.add_custom_object({"name": obj.name, "label": obj.label})
            added.append(obj.name)
            existing = org.field_names(obj.name) or set()
        known = {name.lower() for name in existing}
        for package_field in obj.fields:
            if package_field.name.lower() not in known:
                org.add_custom_field(obj.name, package_field.describe())
                added.append(f"{obj.name}.{package_field.name}")
    return added
