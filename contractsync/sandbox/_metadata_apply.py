"""Running one deploy: open the zip, plan each package, apply components, commit or not.

Components apply in dependency order (objects, fields, object children, then permission
sets, layouts and report types), each in its own savepoint so a refused component leaves
nothing behind. The whole deploy runs in one transaction that is rolled back for
``checkOnly`` and, when ``rollbackOnError`` is set, for any failure; the successes are still
reported, as a real org reports them (salesforce-api.md 9.2).
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from ._ids import format_id
from ._metadata_fields import ComponentError
from ._metadata_objects import Applied, apply_field, apply_object
from ._metadata_package import Component, Failure, plan_package
from ._metadata_refs import check_layout, check_permission_set, check_report_type
from ._metadata_zip import ZipLimits, ZipRefusedError, read_zip, split_packages
from ._org import Org
from ._schema_defs import SchemaError
from ._values import format_datetime

__all__ = ["DeployOptions", "Execution", "Success", "execute"]

_RECORDS_KEY = "metadata_components"
_ORDER = {"CustomObject": 0, "CustomField": 1, "PermissionSet": 3, "Layout": 4, "ReportType": 5}
# Id key prefixes of setup entities, as real deploy results report them.
_ID_PREFIXES = {
    "CustomObject": "01I",
    "CustomField": "00N",
    "PermissionSet": "0PS",
    "Layout": "00h",
    "ReportType": "070",
    "ListView": "00B",
    "CompactLayout": "0AH",
    "WebLink": "00b",
    "FieldSet": "0Is",
}


@dataclass(frozen=True, slots=True)
class DeployOptions:
    """The ``DeployOptions`` of a deploy call that this org acts on."""

    check_only: bool = False
    rollback_on_error: bool = True
    single_package: bool = True
    allow_missing_files: bool = False
    ignore_warnings: bool = False
    test_level: str | None = None
    run_tests: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "checkOnly": self.check_only,
            "rollbackOnError": self.rollback_on_error,
            "singlePackage": self.single_package,
            "allowMissingFiles": self.allow_missing_files,
            "ignoreWarnings": self.ignore_warnings,
            "testLevel": self.test_level,
            "runTests": list(self.run_tests),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DeployOptions:
        return cls(
            check_only=bool(data["checkOnly"]),
            rollback_on_error=bool(data["rollbackOnError"]),
            single_package=bool(data["singlePackage"]),
            allow_missing_files=bool(data["allowMissingFiles"]),
            ignore_warnings=bool(data["ignoreWarnings"]),
            test_level=data.get("testLevel"),
            run_tests=tuple(data.get("runTests", ())),
        )


@dataclass(frozen=True, slots=True)
class Success:
    """A componentSuccesses entry."""

    type: str
    full_name: str
    file_name: str
    id: str | None
    created: bool
    changed: bool


@dataclass(slots=True)
class Execution:
    """What a deploy did: per-component outcomes, or an error for the deploy as a whole."""

    successes: list[Success] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    error_code: str | None = None
    error_message: str | None = None


class _Discard(Exception):  # noqa: N818 - control flow, never escapes this module
    """Raised to roll back a deploy that must not change the org."""


def execute(org: Org, zip_bytes: bytes, options: DeployOptions, limits: ZipLimits) -> Execution:
    """Deploy a zip into ``org`` (or only validate it, for ``checkOnly``)."""
    result = Execution()
    try:
        files = read_zip(zip_bytes, limits)
    except ZipRefusedError as refused:
        result.error_code, result.error_message = "UNKNOWN_EXCEPTION", str(refused)
        return result
    packages = split_packages(files, single_package=options.single_package)
    if not packages:
        result.failures.append(Failure("", "package.xml", "package.xml", "No package.xml found"))
        return result
    components: list[Component] = []
    for package in packages:
        plan = plan_package(package, limits, allow_missing=options.allow_missing_files)
        result.failures.extend(plan.failures)
        components.extend(plan.components)
        if plan.manifest is not None:
            manifest_file = package.prefix + "package.xml"
            result.successes.append(Success("", "package.xml", manifest_file, None, False, True))
    try:
        with org.store.atomic(), org.schema.transaction():
            _apply_all(org, components, result)
            _discard_unless_committed(result, options)
    except _Discard:
        pass
    return result


def _discard_unless_committed(result: Execution, options: DeployOptions) -> None:
    """Roll back a validation, or a deploy with errors under ``rollbackOnError``."""
    if options.check_only or (result.failures and options.rollback_on_error):
        raise _Discard


def _apply_all(org: Org, components: list[Component], result: Execution) -> None:
    records: dict[str, Any] = org.store.get_meta(_RECORDS_KEY) or {}
    failed_objects: set[str] = set()
    seen: set[str] = set()
    now = format_datetime(org.now())
    for component in sorted(components, key=lambda c: _ORDER.get(c.type, 2)):
        if component.parent and component.parent.lower() in failed_objects:
            continue  # real results omit the children of an object that failed
        key = f"{component.type}:{component.full_name.lower()}"
        if key in seen:
            result.failures.append(
                _failure(component, f"Duplicate name '{component.full_name}' specified", None)
            )
            continue
        seen.add(key)
        existed = _exists(org, component, records.get(key))
        try:
            with org.store.atomic(), org.schema.transaction():
                changed, definition = _apply(org, component, records.get(key), failed_objects)
        except ComponentError as refused:
            result.failures.append(_failure(component, refused.problem, refused.element))
            if component.type == "CustomObject":
                failed_objects.add(component.full_name.lower())
            continue
        except SchemaError as refused:
            result.failures.append(_failure(component, str(refused), None))
            continue
        if component.type == "CustomObject" and not component.object_named:
            continue  # only carried named fields
        record = records.get(key) or {
            "id": _new_id(org, component.type),
            "type": component.type,
            "fullName": component.full_name,
            "createdDate": now,
        }
        record |= {"fileName": component.file_name, "definition": definition}
        if changed:
            record["lastModifiedDate"] = now
        records[key] = record
        result.successes.append(
            Success(
                component.type,
                component.full_name,
                component.file_name,
                record["id"],
                created=not existed,
                changed=changed or not existed,
            )
        )
    org.store.set_meta(_RECORDS_KEY, records)


def _apply(
    org: Org, component: Component, recorded: dict[str, Any] | None, failed_objects: set[str]
) -> Applied:
    if component.type == "CustomObject":
        return apply_object(org, component, recorded)
    if component.type == "CustomField":
        return apply_field(org, component, recorded)
    if component.type == "PermissionSet":
        check_permission_set(org.schema, component)
    elif component.type == "Layout":
        check_layout(org.schema, component, failed_objects)
    elif component.type == "ReportType":
        check_report_type(org.schema, component)
    digest = hashlib.sha256(ET.tostring(component.element)).hexdigest()
    definition = {"digest": digest}
    return recorded is None or recorded.get("definition") != definition, definition


def _exists(org: Org, component: Component, recorded: dict[str, Any] | None) -> bool:
    if component.type == "CustomObject":
        return org.schema.object(component.full_name) is not None
    if component.type == "CustomField":
        obj_name, _, field_name = component.full_name.partition(".")
        return org.schema.field(obj_name, field_name) is not None
    return recorded is not None


def _new_id(org: Org, component_type: str) -> str:
    prefix = _ID_PREFIXES.get(component_type, "000")
    return format_id(prefix, org.store.next_sequence(f"metadata:{prefix}"))


def _failure(component: Component, problem: str, element: ET.Element | None) -> Failure:
    line, column = component.document.position(element) if element is not None else (0, 0)
    return Failure(component.type, component.full_name, component.file_name, problem, line, column)
