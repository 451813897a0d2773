"""Every deploy failure class with the componentFailures entry a real org reports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from metadata_support import (
    CASES,
    MD,
    custom_object,
    deploy_and_check,
    fields_only,
    manifest,
    problems,
)
from sandbox_support import Api, new_session

from contractsync.sandbox import SandboxOrg

TEXT = "<label>T</label><length>20</length><type>Text</type>"


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    """An org with Invoice__c (looking up Contract as 'Invoices') and one Invoice record."""
    with SandboxOrg() as org:
        session = new_session(org.info)
        api = Api(org.info, session)
        lookup = (
            "<fields><fullName>Contract__c</fullName><label>Contract</label>"
            "<referenceTo>Contract</referenceTo><relationshipName>Invoices</relationshipName>"
            "<type>Lookup</type></fields>"
            "<fields><fullName>Code__c</fullName><label>Code</label><length>10</length>"
            "<required>true</required><type>Text</type></fields>"
        )
        files = {
            "package.xml": manifest(CustomObject=["Invoice__c"]),
            "objects/Invoice__c.object": custom_object(
                lookup, label="Invoice", pluralLabel="Invoices"
            ),
        }
        assert deploy_and_check(api, files)["status"] == "Succeeded"
        created = api.call("POST", "sobjects/Invoice__c/", json={"Name": "I", "Code__c": "C"})
        assert created.status_code == 201
        yield api
        session.close()


def _contract_field(field_xml: str) -> dict[str, str]:
    return {
        "package.xml": manifest(CustomField=["Contract.Probe__c"]),
        "objects/Contract.object": fields_only(
            f"<fields><fullName>Probe__c</fullName>{field_xml}</fields>"
        ),
    }


FIELD_CASES = [
    pytest.param(case["field"], case["problem"], id=case["id"])
    for case in yaml.safe_load((CASES / "field_failures.yaml").read_text())
]


@pytest.mark.parametrize(("field_xml", "problem"), FIELD_CASES)
def test_field_rule_failures(api: Api, field_xml: str, problem: str) -> None:
    result = deploy_and_check(api, _contract_field(field_xml))
    assert result["status"] == "Failed"
    assert problems(result) == [("CustomField", "Contract.Probe__c", problem)]
    assert result["failures"][0]["fileName"] == "objects/Contract.object"
    assert result["failures"][0]["problemType"] == "Error"
    assert (result["numberComponentErrors"], result["numberComponentsDeployed"]) == ("1", "0")


def test_an_unknown_field_type_fails_the_whole_file(api: Api) -> None:
    result = deploy_and_check(api, _contract_field("<label>T</label><type>Strng</type>"))
    assert problems(result) == [
        (
            "CustomObject",
            "Contract",
            "Error parsing file: 'Strng' is not a valid value for the enum 'FieldType'",
        )
    ]
    assert result["failures"][0]["lineNumber"] == "1"
    assert int(result["failures"][0]["columnNumber"]) > 1


_BAD_NAME = (
    "Invalid fullName '{}': the Field Name field can only contain underscores and alphanumeric"
    " characters. It must be unique, begin with a letter, not include spaces, not end with an"
    " underscore, and not contain two consecutive underscores."
)
NAME_CASES = [
    pytest.param("Renewal", "Could not resolve standard field's name.", id="unknown-standard"),
    pytest.param("Bad__Name__c", _BAD_NAME.format("Bad__Name__c"), id="bad-custom-name"),
    pytest.param("A" * 41 + "__c", _BAD_NAME.format("A" * 41 + "__c"), id="name-too-long"),
]


@pytest.mark.parametrize(("name", "problem"), NAME_CASES)
def test_field_name_failures(api: Api, name: str, problem: str) -> None:
    files = {
        "package.xml": manifest(CustomField=[f"Contract.{name}"]),
        "objects/Contract.object": fields_only(
            f"<fields><fullName>{name}</fullName>{TEXT}</fields>"
        ),
    }
    result = deploy_and_check(api, files)
    assert problems(result) == [("CustomField", f"Contract.{name}", problem)]


def test_standard_field_in_a_standard_object_file_is_accepted_unchanged(api: Api) -> None:
    files = {
        "package.xml": manifest(CustomField=["Contract.Description"]),
        "objects/Contract.object": fields_only("<fields><fullName>Description</fullName></fields>"),
    }
    result = deploy_and_check(api, files)
    assert result["status"] == "Succeeded"
    entry = next(s for s in result["successes"] if s["componentType"] == "CustomField")
    assert (entry["fullName"], entry["changed"]) == ("Contract.Description", "false")


def test_duplicate_field_in_one_file(api: Api) -> None:
    field = f"<fields><fullName>Twice__c</fullName>{TEXT}</fields>"
    files = {
        "package.xml": manifest(CustomField=["Contract.Twice__c"]),
        "objects/Contract.object": fields_only(field + field),
    }
    result = deploy_and_check(api, files)
    assert problems(result) == [
        ("CustomField", "Contract.Twice__c", "Duplicate name 'Contract.Twice__c' specified")
    ]
    # Everything rolled back, including the first definition.
    described = api.call("GET", "sobjects/Contract/describe").json()
    assert "Twice__c" not in {f["name"] for f in described["fields"]}


def test_fields_on_task_belong_on_activity(api: Api) -> None:
    files = {
        "package.xml": manifest(CustomField=["Task.Key__c"]),
        "objects/Task.object": fields_only(f"<fields><fullName>Key__c</fullName>{TEXT}</fields>"),
    }
    assert problems(deploy_and_check(api, files)) == [
        (
            "CustomField",
            "Task.Key__c",
            "Entity Enumeration Or ID: bad value for restricted picklist field: Task",
        )
    ]


def test_master_detail_rules(api: Api) -> None:
    master = (
        "<label>M</label><referenceTo>Account</referenceTo>"
        "<relationshipName>Details</relationshipName><type>MasterDetail</type>"
    )
    files = {
        "package.xml": manifest(CustomField=["Invoice__c.Owner_Account__c"]),
        "objects/Invoice__c.object": fields_only(
            f"<fields><fullName>Owner_Account__c</fullName>{master}"
            "<required>true</required></fields>"
        ),
    }
    assert (
        problems(deploy_and_check(api, files))[0][2]
        == "Master-Detail Relationship Fields Cannot be Optional or Required"
    )
    files["objects/Invoice__c.object"] = fields_only(
        f"<fields><fullName>Owner_Account__c</fullName>{master}</fields>"
    )
    assert problems(deploy_and_check(api, files))[0][2].startswith(
        "You cannot create a new Master-Detail relationship on an existing custom object if"
        " records already exist."
    )


def test_type_change_with_data_is_refused(api: Api) -> None:
    files = {
        "package.xml": manifest(CustomField=["Invoice__c.Code__c"]),
        "objects/Invoice__c.object": fields_only(
            "<fields><fullName>Code__c</fullName><label>Code</label><type>Date</type></fields>"
        ),
    }
    assert problems(deploy_and_check(api, files)) == [
        (
            "CustomField",
            "Invoice__c.Code__c",
            "Cannot change type of Invoice__c.Code__c due to existing data",
        )
    ]


OBJECT_CASES = [
    pytest.param(case["object"], case["elements"], case["problem"], id=case["id"])
    for case in yaml.safe_load((CASES / "object_failures.yaml").read_text())
]


@pytest.mark.parametrize(("name", "elements", "problem"), OBJECT_CASES)
def test_object_failures(
    api: Api, name: str, elements: dict[str, str | None], problem: str
) -> None:
    files = {
        "package.xml": manifest(CustomObject=[name]),
        "objects/" + name + ".object": custom_object(**elements),
    }
    result = deploy_and_check(api, files)
    assert problems(result) == [("CustomObject", name, problem)]
    assert api.call("GET", f"sobjects/{name}/describe").status_code == 404


def test_event_fields_take_simple_types_only(api: Api) -> None:
    picklist = (
        "<label>P</label><type>Picklist</type><valueSet><valueSetDefinition>"
        "<value><fullName>A</fullName></value></valueSetDefinition></valueSet>"
    )
    files = {
        "package.xml": manifest(CustomObject=["Ping__e"]),
        "objects/Ping__e.object": custom_object(
            f"<fields><fullName>Kind__c</fullName>{picklist}</fields>",
            nameField=None,
            sharingModel=None,
        ),
    }
    expected = (
        "Platform event fields can't be of type Picklist; use one of: Text, Number,"
        " Checkbox, Date, DateTime, LongTextArea"
    )
    assert problems(deploy_and_check(api, files)) == [("CustomField", "Ping__e.Kind__c", expected)]


def test_children_of_a_failed_object_are_not_reported(api: Api) -> None:
    files = {
        "package.xml": manifest(CustomObject=["Widget__c"], Layout=["Widget__c-Widget Layout"]),
        "objects/Widget__c.object": custom_object(
            f"<fields><fullName>A__c</fullName>{TEXT}</fields>", label=None
        ),
        "layouts/Widget__c-Widget Layout.layout": f'<Layout xmlns="{MD}"/>',
    }
    assert problems(deploy_and_check(api, files)) == [
        ("CustomObject", "Widget__c", "Must specify a non-empty label for the CustomObject"),
        ("Layout", "Widget__c-Widget Layout", "Parent entity failed to deploy"),
    ]
