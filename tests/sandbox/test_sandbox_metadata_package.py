"""package.xml coverage, package layout, and the components that only reference others."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from metadata_support import (
    CASES,
    MD,
    custom_object,
    deploy_and_check,
    fields_only,
    folder_files,
    manifest,
    problems,
)
from sandbox_support import Api, new_session

from contractsync.sandbox import SandboxOrg

TEXT = "<label>T</label><length>20</length><type>Text</type>"


def _cases(file_name: str) -> list[Any]:
    """``(body, problem)`` params from a YAML table under cases/metadata/."""
    cases = yaml.safe_load((CASES / file_name).read_text())
    return [pytest.param(c["body"], c["problem"], id=c["id"]) for c in cases]


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    """An org where the contract_sync package is deployed."""
    with SandboxOrg() as org:
        session = new_session(org.info)
        api = Api(org.info, session)
        assert deploy_and_check(api, dict(folder_files("contract_sync")))["status"] == "Succeeded"
        yield api
        session.close()


def _field_file(name: str = "Pkg__c") -> str:
    return fields_only(f"<fields><fullName>{name}</fullName>{TEXT}</fields>")


def test_no_package_xml(api: Api) -> None:
    result = deploy_and_check(api, {"objects/Contract.object": _field_file()})
    assert result["status"] == "Failed"
    assert problems(result) == [("", "package.xml", "No package.xml found")]


def test_package_xml_must_sit_at_the_root_with_single_package(api: Api) -> None:
    files = {"pkg/package.xml": manifest(CustomField=["Contract.Pkg__c"])}
    result = deploy_and_check(api, files)
    assert problems(result) == [("", "package.xml", "No package.xml found")]


def test_without_single_package_each_folder_is_a_package(api: Api) -> None:
    files = {
        "unpackaged/package.xml": manifest(CustomField=["Contract.Folder__c"]),
        "unpackaged/objects/Contract.object": _field_file("Folder__c"),
    }
    result = deploy_and_check(api, files, singlePackage=False)
    assert result["status"] == "Succeeded"
    assert {s["fileName"] for s in result["successes"]} == {
        "unpackaged/package.xml",
        "unpackaged/objects/Contract.object",
    }


def test_component_not_named_in_package_xml(api: Api) -> None:
    files = {
        "package.xml": manifest(CustomField=["Contract.Named__c"]),
        "objects/Contract.object": fields_only(
            f"<fields><fullName>Named__c</fullName>{TEXT}</fields>"
            f"<fields><fullName>Unnamed__c</fullName>{TEXT}</fields>"
        ),
        "permissionsets/Extra.permissionset": _permission_set("<label>E</label>")[
            "permissionsets/Probe.permissionset"
        ],
    }
    result = deploy_and_check(api, files)
    assert problems(result) == [
        ("CustomField", "Contract.Unnamed__c", "Not in package.xml"),
        ("PermissionSet", "Extra", "Not in package.xml"),
    ]


def test_member_without_a_file(api: Api) -> None:
    files = {
        "package.xml": manifest(CustomField=["Contract.Pkg__c"], PermissionSet=["Ghost"]),
        "objects/Contract.object": _field_file(),
    }
    failed = deploy_and_check(api, files)
    assert problems(failed) == [
        (
            "PermissionSet",
            "Ghost",
            (
                "An object 'Ghost' of type PermissionSet was named in package.xml, but was not"
                " found in zipped directory"
            ),
        )
    ]
    assert failed["failures"][0]["fileName"] == "package.xml"
    allowed = deploy_and_check(api, files, allowMissingFiles=True, checkOnly=True)
    assert allowed["status"] == "Succeeded"


def test_unsupported_metadata_type(api: Api) -> None:
    files = {
        "package.xml": manifest(ApexClass=["Hello"]),
        "classes/Hello.cls": "public class Hello {}",
    }
    assert problems(deploy_and_check(api, files)) == [
        ("ApexClass", "Hello", "Metadata of type ApexClass is not supported by this sandbox org.")
    ]


def test_validation_rules_are_refused_not_ignored(api: Api) -> None:
    rule = "<validationRules><fullName>Positive</fullName><active>true</active></validationRules>"
    files = {
        "package.xml": manifest(CustomObject=["Contract"]),
        "objects/Contract.object": fields_only(rule),
    }
    assert problems(deploy_and_check(api, files)) == [
        (
            "ValidationRule",
            "Contract.Positive",
            "Metadata of type ValidationRule is not supported by this sandbox org.",
        )
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param("<CustomObject>", "Error parsing file: no element found", id="truncated"),
        pytest.param(
            '<!DOCTYPE x [<!ENTITY a "aaaa">]><CustomObject/>',
            'Error parsing file: DOCTYPE is disallowed when the feature "http://apache.org/xml/'
            'features/disallow-doctype-decl" set to true.',
            id="doctype",
        ),
        pytest.param(
            f'<Layout xmlns="{MD}"/>',
            "Error parsing file: Expected root element 'CustomObject', found 'Layout'",
            id="wrong-root",
        ),
    ],
)
def test_files_that_do_not_parse(api: Api, content: str, problem: str) -> None:
    files = {"package.xml": manifest(CustomObject=["Contract"]), "objects/Contract.object": content}
    assert problems(deploy_and_check(api, files)) == [("CustomObject", "Contract", problem)]


def test_missing_field_full_name(api: Api) -> None:
    files = {
        "package.xml": manifest(CustomObject=["Contract"]),
        "objects/Contract.object": fields_only(f"<fields>{TEXT}</fields>"),
    }
    assert problems(deploy_and_check(api, files)) == [
        ("CustomObject", "Contract", "element fullName missing for a child of type CustomField")
    ]


def _permission_set(body: str) -> dict[str, str]:
    return {
        "package.xml": manifest(PermissionSet=["Probe"]),
        "permissionsets/Probe.permissionset": f'<PermissionSet xmlns="{MD}">{body}</PermissionSet>',
    }


def _field_permission(path: str) -> str:
    return (
        "<fieldPermissions><editable>true</editable>"
        f"<field>{path}</field><readable>true</readable></fieldPermissions>"
    )


@pytest.mark.parametrize(("body", "problem"), _cases("permission_set_failures.yaml"))
def test_permission_set_failures(api: Api, body: str, problem: str) -> None:
    result = deploy_and_check(api, _permission_set(body))
    assert problems(result) == [("PermissionSet", "Probe", problem)]


def test_permission_set_may_name_objects_deployed_with_it(api: Api) -> None:
    files = _permission_set(
        "<label>P</label>"
        + _field_permission("Gizmo__c.Size__c")
        + "<objectPermissions><allowRead>true</allowRead>"
        + "<object>Gizmo__c</object></objectPermissions>"
    )
    files["package.xml"] = manifest(CustomObject=["Gizmo__c"], PermissionSet=["Probe"])
    files["objects/Gizmo__c.object"] = custom_object(
        f"<fields><fullName>Size__c</fullName>{TEXT}</fields>", label="Gizmo", pluralLabel="Gizmos"
    )
    result = deploy_and_check(api, files, checkOnly=True)
    assert result["status"] == "Succeeded"


def test_layout_failures(api: Api) -> None:
    item = (
        f'<Layout xmlns="{MD}"><layoutSections><layoutColumns>'
        "<layoutItems><field>{}</field></layoutItems></layoutColumns></layoutSections></Layout>"
    )
    files = {
        "package.xml": manifest(Layout=["Invoice__c-Probe", "Nope__c-Probe"]),
        "layouts/Invoice__c-Probe.layout": item.format("Nope__c"),
        "layouts/Nope__c-Probe.layout": item.format("Name"),
    }
    missing_field = "In field: field - no CustomField named Invoice__c.Nope__c found"
    assert problems(deploy_and_check(api, files)) == [
        ("Layout", "Invoice__c-Probe", missing_field),
        ("Layout", "Nope__c-Probe", "In field: fullName - no CustomObject named Nope__c found"),
    ]


@pytest.mark.parametrize(("body", "problem"), _cases("report_type_failures.yaml"))
def test_report_type_failures(api: Api, body: str, problem: str) -> None:
    files = {
        "package.xml": manifest(ReportType=["Probe"]),
        "reportTypes/Probe.reportType": f'<ReportType xmlns="{MD}">{body}</ReportType>',
    }
    assert problems(deploy_and_check(api, files)) == [("ReportType", "Probe", problem)]
