"""Metadata API deploys through simple-salesforce 1.12.10, unchanged, and what they change."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from metadata_support import (
    build_zip,
    check,
    custom_object,
    deploy,
    deploy_and_check,
    fields_only,
    folder_files,
    manifest,
)
from sandbox_support import Api, new_session
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceGeneralError, SalesforceMalformedRequest

from contractsync.sandbox import SandboxOrg


@pytest.fixture(scope="module")
def md_org() -> Iterator[SandboxOrg]:
    """An org of its own: deploys change global describe, which other modules assert on."""
    with SandboxOrg() as running:
        yield running


@pytest.fixture(scope="module")
def md_api(md_org: SandboxOrg) -> Iterator[Api]:
    session = new_session(md_org.info)
    yield Api(md_org.info, session)
    session.close()


@pytest.fixture(scope="module")
def sf(md_org: SandboxOrg) -> Salesforce:
    return Salesforce(
        instance_url=md_org.info.instance_url,
        session_id=md_org.info.access_token,
        session=new_session(md_org.info),
    )


@pytest.fixture(scope="module")
def deployed(sf: Salesforce) -> dict[str, Any]:
    """The contract_sync package, deployed the way a production deploy goes."""
    zipped = io.BytesIO(build_zip(dict(folder_files("contract_sync"))))
    started = sf.deploy(zipped, sandbox=False)
    assert started["state"] == "Queued"
    assert started["asyncId"].startswith("0Af")
    return {"asyncId": started["asyncId"], "status": sf.checkDeployStatus(started["asyncId"])}


def _fields(sf: Salesforce, sobject: str) -> dict[str, Any]:
    return {f["name"]: f for f in sf.restful(f"sobjects/{sobject}/describe")["fields"]}


def test_deploy_succeeds_and_counts_components(deployed: dict[str, Any]) -> None:
    status = deployed["status"]
    assert status["state"] == "Succeeded"
    assert status["deployment_detail"] == {
        # 2 objects, 17 object fields, 2 Contract fields, a list view, 3 other components.
        "total_count": "25",
        "failed_count": "0",
        "deployed_count": "25",
        "errors": [],
    }
    assert status["unit_test_detail"]["total_count"] == "0"


def test_deployed_fields_describe_with_their_types(sf: Salesforce, deployed: object) -> None:
    fields = _fields(sf, "Invoice__c")
    expected = {
        "Amount__c": ("currency", 0, 16, 2),
        "Count__c": ("double", 0, 18, 0),
        "Discount__c": ("percent", 0, 5, 2),
        "Invoice_Number__c": ("string", 32, 0, 0),
        "Summary__c": ("textarea", 255, 0, 0),
        "Notes__c": ("textarea", 32768, 0, 0),
        "Billing_Email__c": ("email", 80, 0, 0),
        "Phone__c": ("phone", 40, 0, 0),
        "Portal_Url__c": ("url", 255, 0, 0),
        "Paid__c": ("boolean", 0, 0, 0),
        "Due_Date__c": ("date", 0, 0, 0),
        "Sent_At__c": ("datetime", 0, 0, 0),
        "Channels__c": ("multipicklist", 4099, 0, 0),
        "Status__c": ("picklist", 255, 0, 0),
        "Contract__c": ("reference", 18, 0, 0),
    }
    for name, (kind, length, precision, scale) in expected.items():
        got = fields[name]
        assert (got["type"], got["length"], got["precision"], got["scale"]) == (
            kind,
            length,
            precision,
            scale,
        ), name
        assert got["custom"] is True
    number = fields["Invoice_Number__c"]
    assert (number["externalId"], number["unique"], number["idLookup"]) == (True, True, True)
    assert fields["Due_Date__c"]["nillable"] is False
    assert fields["Paid__c"]["defaultValue"] is False
    status = fields["Status__c"]
    assert [(p["value"], p["label"], p["defaultValue"]) for p in status["picklistValues"]] == [
        ("Draft", "Draft", True),
        ("Sent", "Sent", False),
        ("Paid", "Paid in full", False),
    ]
    assert status["restrictedPicklist"] is True
    assert fields["Channels__c"]["restrictedPicklist"] is False
    lookup = fields["Contract__c"]
    assert (lookup["referenceTo"], lookup["relationshipName"]) == (["Contract"], "Contract__r")
    contract = sf.Contract.describe()
    children = {c["relationshipName"]: c for c in contract["childRelationships"]}
    assert children["Invoices__r"]["childSObject"] == "Invoice__c"
    contract_fields = {f["name"]: f for f in contract["fields"]}
    assert contract_fields["Sync_Key__c"]["externalId"] is True
    assert contract_fields["Renewal_Term__c"]["type"] == "double"


def test_new_objects_appear_in_global_describe(sf: Salesforce, deployed: object) -> None:
    objects = {o["name"]: o for o in sf.describe()["sobjects"]}
    invoice = objects["Invoice__c"]
    assert invoice["custom"] is True
    assert invoice["keyPrefix"].startswith("a")
    assert (invoice["label"], invoice["labelPlural"]) == ("Invoice", "Invoices")
    event = objects["Contract_Synced__e"]
    assert event["keyPrefix"].startswith("e")
    assert event["keyPrefix"] not in ("e00", "e01")
    assert (event["queryable"], event["createable"], event["updateable"]) == (False, True, False)
    event_fields = _fields(sf, "Contract_Synced__e")
    assert {"ReplayId", "EventUuid", "CreatedDate", "CreatedById"} <= set(event_fields)
    assert "OwnerId" not in event_fields
    assert event_fields["Contract_Ext_Id__c"]["nillable"] is False


def test_deployed_schema_accepts_data_right_away(sf: Salesforce, deployed: object) -> None:
    account = sf.Account.create({"Name": "Metadata Co"})["id"]
    contract = sf.Contract.create({"AccountId": account, "Status": "Draft", "Sync_Key__c": "MD-1"})
    created = sf.Invoice__c.create(
        {"Name": "INV-1", "Due_Date__c": "2025-07-01", "Contract__c": contract["id"]}
    )
    assert created["success"] is True
    assert (
        sf.Invoice__c.upsert(
            "Invoice_Number__c/N-1", {"Name": "INV-2", "Due_Date__c": "2025-07-02"}
        )
        == 201
    )
    row = sf.query_all(
        "SELECT Name, Status__c, Paid__c, Contract__r.Sync_Key__c FROM Invoice__c"
        " WHERE Id = '" + created["id"] + "'"
    )["records"][0]
    assert (row["Status__c"], row["Paid__c"], row["Contract__r"]["Sync_Key__c"]) == (
        "Draft",
        False,
        "MD-1",
    )
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Invoice__c.create({"Name": "X", "Due_Date__c": "2025-07-01", "Status__c": "Lost"})
    assert refused.value.content[0]["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    with pytest.raises(SalesforceMalformedRequest) as missing:
        sf.Invoice__c.create({"Name": "No due date"})
    assert missing.value.content[0]["errorCode"] == "REQUIRED_FIELD_MISSING"


def test_check_only_validates_without_changing_the_org(sf: Salesforce, md_api: Api) -> None:
    files = {
        "package.xml": manifest(CustomObject=["Gadget__c"]),
        "objects/Gadget__c.object": custom_object(label="Gadget", pluralLabel="Gadgets"),
    }
    started = sf.deploy(io.BytesIO(build_zip(files)), sandbox=True, checkOnly=True)
    assert sf.checkDeployStatus(started["asyncId"])["state"] == "Succeeded"
    result = check(md_api, started["asyncId"])
    assert result["checkOnly"] == "true"
    assert {s["fullName"] for s in result["successes"]} == {"package.xml", "Gadget__c"}
    assert md_api.call("GET", "sobjects/Gadget__c/describe").status_code == 404


def test_rollback_on_error_undoes_every_component(sf: Salesforce, md_api: Api) -> None:
    files = {
        "package.xml": manifest(CustomObject=["Rolled__c"], CustomField=["Contract.Rolled__c"]),
        "objects/Rolled__c.object": custom_object(label="Rolled", pluralLabel="Rolled"),
        "objects/Contract.object": fields_only(
            "<fields><fullName>Rolled__c</fullName><label>R</label><type>Text</type></fields>"
        ),
    }
    started = sf.deploy(io.BytesIO(build_zip(files)), sandbox=False)
    status = sf.checkDeployStatus(started["asyncId"])
    assert status["state"] == "Failed"
    assert status["deployment_detail"]["errors"] == [
        {
            "type": "CustomField",
            "file": "objects/Contract.object",
            "status": "Error",
            "message": "Must specify 'length' for a CustomField of type Text",
        }
    ]
    # Real results still list what would have deployed.
    result = check(md_api, started["asyncId"])
    assert ("CustomObject", "Rolled__c") in {
        (s["componentType"], s["fullName"]) for s in result["successes"]
    }
    assert result["success"] == "false"
    assert md_api.call("GET", "sobjects/Rolled__c/describe").status_code == 404


def test_without_rollback_the_good_components_deploy(sf: Salesforce, md_api: Api) -> None:
    files = {
        "package.xml": manifest(CustomObject=["Partial__c"], CustomField=["Contract.Partial__c"]),
        "objects/Partial__c.object": custom_object(label="Partial", pluralLabel="Partials"),
        "objects/Contract.object": fields_only(
            "<fields><fullName>Partial__c</fullName><label>P</label><type>Strng</type></fields>"
        ),
    }
    # sandbox=True leaves rollbackOnError at simple-salesforce's default, false.
    started = sf.deploy(io.BytesIO(build_zip(files)), sandbox=True)
    status = sf.checkDeployStatus(started["asyncId"])
    assert status["state"] == "SucceededPartial"
    assert status["deployment_detail"]["failed_count"] == "1"
    assert md_api.call("GET", "sobjects/Partial__c/describe").status_code == 200
    assert "Partial__c" not in _fields(sf, "Contract")


def test_redeploying_the_same_package_changes_nothing(md_api: Api, deployed: object) -> None:
    result = deploy_and_check(md_api, dict(folder_files("contract_sync")))
    assert result["status"] == "Succeeded"
    flags = {
        (s["componentType"], s["fullName"]): (s["created"], s["changed"])
        for s in result["successes"]
    }
    assert flags[("CustomObject", "Invoice__c")] == ("false", "false")
    assert flags[("CustomField", "Invoice__c.Amount__c")] == ("false", "false")
    assert flags[("PermissionSet", "Contract_Sync")] == ("false", "false")
    ids = {s["fullName"]: s.get("id") for s in result["successes"]}
    assert ids["Invoice__c"].startswith("01I")
    assert ids["Invoice__c.Amount__c"].startswith("00N")
    assert ids["Contract_Sync"].startswith("0PS")


def test_redeploy_with_a_changed_field_updates_it(md_api: Api, deployed: object) -> None:
    files = {
        "package.xml": manifest(CustomField=["Contract.Sync_Key__c"]),
        "objects/Contract.object": fields_only(
            "<fields><fullName>Sync_Key__c</fullName><externalId>true</externalId>"
            "<label>Sync Key</label><length>80</length><type>Text</type>"
            "<unique>true</unique></fields>"
        ),
    }
    result = deploy_and_check(md_api, files)
    assert result["status"] == "Succeeded"
    assert [
        (s["fullName"], s["created"], s["changed"])
        for s in result["successes"]
        if s["componentType"]
    ] == [("Contract.Sync_Key__c", "false", "true")]
    described = md_api.call("GET", "sobjects/Contract/describe").json()
    assert {f["name"]: f["length"] for f in described["fields"]}["Sync_Key__c"] == 80


def test_deployed_schema_survives_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "org.db"
    with SandboxOrg(data) as first:
        api = Api(first.info, new_session(first.info))
        deploy_id = deploy(api, dict(folder_files("contract_sync")))
        assert check(api, deploy_id)["status"] == "Succeeded"
        files = {
            "package.xml": manifest(
                CustomObject=["Invoice__c"], CustomField=["Contract.Sync_Key__c"]
            ),
            "objects/Invoice__c.object": custom_object(label="Bill", pluralLabel="Bills"),
            "objects/Contract.object": fields_only(
                "<fields><fullName>Sync_Key__c</fullName><label>Key</label><length>99</length>"
                "<type>Text</type></fields>"
            ),
        }
        assert deploy_and_check(api, files)["status"] == "Succeeded"
    with SandboxOrg(data) as second:
        api = Api(second.info, new_session(second.info))
        described = api.call("GET", "sobjects/Invoice__c/describe").json()
        assert described["label"] == "Bill"
        assert "Amount__c" in {f["name"] for f in described["fields"]}
        assert check(api, deploy_id)["status"] == "Succeeded"
        contract = api.call("GET", "sobjects/Contract/describe").json()
        key = next(f for f in contract["fields"] if f["name"] == "Sync_Key__c")
        assert (key["length"], key["externalId"]) == (99, False)


def test_mdapi_zeep_client_lists_and_describes(
    sf: Salesforce, md_org: SandboxOrg, deployed: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # zeep opens its own requests session, which trusts REQUESTS_CA_BUNDLE.
    assert md_org.info.ca_bundle is not None
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", md_org.info.ca_bundle)
    listed = sf.mdapi.list_metadata([sf.mdapi.ListMetadataQuery(type="PermissionSet")])
    assert [(p.fullName, p.fileName, p.id[:3]) for p in listed] == [
        ("Contract_Sync", "permissionsets/Contract_Sync.permissionset", "0PS")
    ]
    objects = sf.mdapi.list_metadata([sf.mdapi.ListMetadataQuery(type="CustomObject")])
    assert {"Invoice__c", "Contract_Synced__e"} <= {p.fullName for p in objects}
    described = sf.mdapi.describe_metadata()
    assert "CustomObject" in {m.xmlName for m in described.metadataObjects}
    assert described.partialSaveAllowed is True


def test_deploy_needs_a_session(md_org: SandboxOrg) -> None:
    session = new_session(md_org.info)
    sf = Salesforce(
        instance_url=md_org.info.instance_url, session_id="00Dxx!bogus", session=session
    )
    with pytest.raises(SalesforceGeneralError) as refused:
        sf.deploy(io.BytesIO(build_zip({"package.xml": manifest()})), sandbox=True)
    assert "INVALID_SESSION_ID" in str(refused.value)
