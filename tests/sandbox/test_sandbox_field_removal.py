"""Deleting a custom field: writes and queries naming it fail, and the deletion persists."""

from __future__ import annotations

from pathlib import Path

import pytest
from sandbox_support import new_session
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from contractsync.sandbox import SandboxOrg, SchemaError

FIELD = {"name": "Region__c", "type": "string", "length": 40}


def _client(org: SandboxOrg) -> Salesforce:
    return Salesforce(
        instance_url=org.info.instance_url,
        session_id=org.info.access_token,
        session=new_session(org.info),
    )


def test_a_removed_field_is_gone_from_describe_writes_and_queries_even_after_a_restart(
    tmp_path: Path,
) -> None:
    data = tmp_path / "org.sqlite"
    with SandboxOrg(data) as org:
        org.add_custom_field("Account", FIELD)
        sf = _client(org)
        sf.Account.create({"Name": "Kept", "Region__c": "EMEA"})

        org.remove_custom_field("Account", "region__c")

        assert "Region__c" not in (org.field_names("Account") or set())
        with pytest.raises(SalesforceMalformedRequest) as refused:
            sf.Account.create({"Name": "Refused", "Region__c": "EMEA"})
        assert refused.value.content[0]["errorCode"] == "INVALID_FIELD"
        with pytest.raises(SalesforceMalformedRequest):
            sf.query("SELECT Region__c FROM Account")
        assert [row["Name"] for row in sf.query("SELECT Name FROM Account")["records"]] == ["Kept"]
    with SandboxOrg(data) as restarted:
        assert "Region__c" not in (restarted.field_names("Account") or set())
        restarted.add_custom_field("Account", FIELD)  # a field can be deployed again
        assert "Region__c" in (restarted.field_names("Account") or set())


def test_only_custom_fields_can_be_removed() -> None:
    with SandboxOrg() as org, pytest.raises(SchemaError):
        org.remove_custom_field("Account", "Name")
