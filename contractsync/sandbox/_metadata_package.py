"""One package of a deploy: its files turned into components, checked against package.xml.

mdapi format (salesforce-api.md 9.1): ``objects/Invoice__c.object`` holds a CustomObject and
its ``<fields>`` (each a CustomField ``Invoice__c.Amount__c``); ``permissionsets/*``,
``layouts/*`` and ``reportTypes/*`` hold one component each. A component must be named in
``package.xml`` (a CustomObject member covers the fields in its file), and every member must
have a file unless ``allowMissingFiles`` is set. Problems here become componentFailures
with the platform's wording ("No package.xml found", "Not in package.xml", "An object 'X'
of type T was named in package.xml, but was not found in zipped directory").
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ._metadata_fields import FIELD_TYPES
from ._metadata_xml import XmlDocument, XmlError, child_text, local_name, parse_xml
from ._metadata_zip import Manifest, PackageFiles, ZipLimits

__all__ = ["Component", "Failure", "PackagePlan", "plan_package"]

# folder -> (metadata type, file suffix, root element)
_FOLDERS = {
    "objects": ("CustomObject", ".object"),
    "permissionsets": ("PermissionSet", ".permissionset"),
    "layouts": ("Layout", ".layout"),
    "reportTypes": ("ReportType", ".reportType"),
}
# Children of a CustomObject that deploy as components of their own. UI-only ones are
# accepted and recorded; ones whose behaviour this org does not emulate are refused.
_UI_CHILDREN = {
    "listViews": "ListView",
    "compactLayouts": "CompactLayout",
    "webLinks": "WebLink",
    "fieldSets": "FieldSet",
}
_REFUSED_CHILDREN = {
    "validationRules": "ValidationRule",
    "recordTypes": "RecordType",
    "businessProcesses": "BusinessProcess",
    "sharingReasons": "SharingReason",
    "indexes": "Index",
}


@dataclass(slots=True)
class Component:
    """A deployable piece of metadata and the XML it came from."""

    type: str
    full_name: str
    file_name: str
    element: ET.Element
    document: XmlDocument
    parent: str | None = None  # the object of a CustomField, ListView, ...
    object_named: bool = True  # for a CustomObject: named in package.xml itself


@dataclass(frozen=True, slots=True)
class Failure:
    """A componentFailures entry."""

    type: str
    full_name: str
    file_name: str
    problem: str
    line: int = 0
    column: int = 0


@dataclass(slots=True)
class PackagePlan:
    components: list[Component] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    manifest: Manifest | None = None


def plan_package(package: PackageFiles, limits: ZipLimits, *, allow_missing: bool) -> PackagePlan:
    """Parse a package's files into components; collect what fails before anything applies."""
    plan = PackagePlan()
    manifest_name = package.prefix + "package.xml"
    raw = package.files.get("package.xml")
    if raw is None:
        plan.failures.append(Failure("", "package.xml", manifest_name, "No package.xml found"))
        return plan
    try:
        plan.manifest = manifest = Manifest.parse(raw, limits)
    except XmlError as bad:
        plan.failures.append(
            Failure(
                "",
                "package.xml",
                manifest_name,
                f"Error parsing file: {bad}",
                bad.line,
                bad.column,
            )
        )
        return plan
    for path, content in sorted(package.files.items()):
        folder, _, name = path.partition("/")
        if folder not in _FOLDERS or "/" in name:
            continue
        kind, suffix = _FOLDERS[folder]
        if not name.endswith(suffix):
            continue
        _add_file(
            plan,
            manifest,
            kind=kind,
            full_name=name[: -len(suffix)],
            file_name=package.prefix + path,
            content=content,
            limits=limits,
        )
    _check_members(plan, manifest, manifest_name, allow_missing=allow_missing)
    return plan


def _add_file(
    plan: PackagePlan,
    manifest: Manifest,
    *,
    kind: str,
    full_name: str,
    file_name: str,
    content: bytes,
    limits: ZipLimits,
) -> None:
    try:
        document = parse_xml(content, max_bytes=limits.max_xml_bytes)
    except XmlError as bad:
        problem = f"Error parsing file: {bad}"
        plan.failures.append(Failure(kind, full_name, file_name, problem, bad.line, bad.column))
        return
    root = document.root
    if local_name(root) != kind:
        plan.failures.append(
            Failure(
                kind,
                full_name,
                file_name,
                f"Error parsing file: Expected root element '{kind}', found '{local_name(root)}'",
                *document.position(root),
            )
        )
        return
    if kind != "CustomObject":
        if manifest.names(kind, full_name):
            plan.components.append(Component(kind, full_name, file_name, root, document))
        else:
            plan.failures.append(Failure(kind, full_name, file_name, "Not in package.xml"))
        return
    for element in root:
        kind_text = child_text(element, "type") if local_name(element) == "fields" else None
        if kind_text is not None and kind_text not in FIELD_TYPES:
            # Enum values are checked while the file is parsed: the whole object fails.
            type_element = next(e for e in element if local_name(e) == "type")
            problem = f"Error parsing file: '{kind_text}' is not a valid value for the enum"
            line, column = document.position(type_element)
            plan.failures.append(
                Failure(kind, full_name, file_name, problem + " 'FieldType'", line, column)
            )
            return
    object_named = manifest.names("CustomObject", full_name)
    parts: list[Component] = []
    for element in root:
        tag = local_name(element)
        if tag == "fields":
            child_type = "CustomField"
        elif tag in _UI_CHILDREN or tag in _REFUSED_CHILDREN:
            child_type = _UI_CHILDREN.get(tag) or _REFUSED_CHILDREN[tag]
        else:
            continue
        name = child_text(element, "fullName")
        if name is None:
            problem = f"element fullName missing for a child of type {child_type}"
            line, column = document.position(element)
            plan.failures.append(
                Failure("CustomObject", full_name, file_name, problem, line, column)
            )
            return
        qualified = f"{full_name}.{name}"
        if not (object_named or manifest.names(child_type, qualified)):
            plan.failures.append(Failure(child_type, qualified, file_name, "Not in package.xml"))
            continue
        if tag in _REFUSED_CHILDREN:
            plan.failures.append(
                Failure(
                    child_type,
                    qualified,
                    file_name,
                    f"Metadata of type {child_type} is not supported by this sandbox org.",
                )
            )
            continue
        parts.append(Component(child_type, qualified, file_name, element, document, full_name))
    if object_named or parts:
        container = Component("CustomObject", full_name, file_name, root, document)
        container.object_named = object_named
        plan.components.append(container)
        plan.components.extend(parts)
    elif not any(f.file_name == file_name for f in plan.failures):
        plan.failures.append(Failure("CustomObject", full_name, file_name, "Not in package.xml"))


def _check_members(
    plan: PackagePlan, manifest: Manifest, manifest_name: str, *, allow_missing: bool
) -> None:
    known = {"CustomObject", "CustomField", "PermissionSet", "Layout", "ReportType"}
    known |= set(_UI_CHILDREN.values()) | set(_REFUSED_CHILDREN.values())
    present = {(c.type, c.full_name.lower()) for c in plan.components}
    present |= {(f.type, f.full_name.lower()) for f in plan.failures}
    # Members inside an object file that failed to parse are covered by that failure.
    broken = {f.full_name.lower() for f in plan.failures if f.type == "CustomObject"}
    for kind, members in manifest.members.items():
        for member in members:
            if kind not in known:
                plan.failures.append(
                    Failure(
                        kind,
                        member,
                        manifest_name,
                        f"Metadata of type {kind} is not supported by this sandbox org.",
                    )
                )
            elif (
                member != "*"
                and (kind, member.lower()) not in present
                and member.split(".", 1)[0].lower() not in broken
                and not allow_missing
            ):
                plan.failures.append(
                    Failure(
                        kind,
                        member,
                        manifest_name,
                        f"An object '{member}' of type {kind} was named in package.xml,"
                        " but was not found in zipped directory",
                    )
                )
