"""Schema drift mid-run: a field the org dropped after the mapping check is quarantined
(the records go without it, and the run says so), and sent again once the org has it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sync_support import password_org

from contractsync.context import App
from contractsync.durable import durable_engine
from contractsync.errors import MappingError, PermanentSyncError
from contractsync.model import Contract
from contractsync.sandbox import SandboxOrg
from contractsync.settings import load_settings
from contractsync.sync import (
    org_registry,
    quarantine_message,
    require_fitting_mapping,
    start_sync,
)

TODAY = date(2026, 11, 28)
APPROVED = {"state": "auto_approved"}
FIELD = "CS_Contract_Type__c"


@pytest.fixture
def sync_app(packaged_org: SandboxOrg, store_url: str, tmp_path: Path) -> Iterator[App]:
    org = password_org(packaged_org)
    app = App.open(
        load_settings(data_dir=tmp_path / "data", database_url=store_url, orgs={"test": org})
    )
    yield app
    app.close()


def _sync(app: App) -> dict[str, Any]:
    with durable_engine(app):
        return start_sync("test", None, today=TODAY, actor="tester")


def test_a_field_dropped_mid_run_is_quarantined_and_sent_again_once_it_is_back(
    packaged_org: SandboxOrg, sync_app: App, make_contract: Callable[..., Contract]
) -> None:
    for key in ("C-1", "C-2", "C-3"):
        contract = make_contract(key, account={"key": f"ACC-{key}", "name": f"Account {key}"})
        sync_app.contracts.create(contract, actor="t", reason="new")
    spec = next(
        field
        for field in org_registry(sync_app).client("test").describe("Contract")["fields"]
        if field["name"] == FIELD
    )
    # The mapping passed its check a moment ago (a worker trusts that for a while); then an
    # admin deletes the field.
    require_fitting_mapping(org_registry(sync_app), "test")
    packaged_org.remove_custom_field("Contract", FIELD)

    summary = _sync(sync_app)

    assert summary["delivered"]["dead_letters"] == 0
    assert summary["delivered"]["created"] == 6  # three accounts, three contracts
    assert summary["status"] == "partial"
    assert summary["quarantined"] == [
        {"org": "test", "sobject": "Contract", "field": FIELD, "reason": "field no longer exists"}
    ]
    client = org_registry(sync_app).client("test")
    rows = client.query_all("SELECT CS_Key__c, Name FROM Contract ORDER BY CS_Key__c")
    assert [row["CS_Key__c"] for row in rows] == ["C-1", "C-2", "C-3"]
    [entry] = [e for e in sync_app.audit.iter_all() if e.action == "sync.quarantined"]
    assert (entry.entity_key, entry.details["sobject"], entry.details["fields"]) == (
        "test",
        "Contract",
        {FIELD: "field no longer exists"},
    )
    assert quarantine_message("test", "Contract", FIELD, "field no longer exists") == (
        f"quarantined {FIELD} on Contract in org test: field no longer exists; fix the org or "
        "the mapping (contractsync mapping check --org test)"
    )

    packaged_org.add_custom_field(
        "Contract", {"name": FIELD, "type": spec["type"], "length": spec["length"]}
    )
    again = _sync(sync_app)

    assert again["status"] == "complete"
    assert again["quarantined"] == []
    assert again["planned"]["update"] == 3  # only the contracts, to send the field
    rows = client.query_all(f"SELECT CS_Key__c, {FIELD} FROM Contract ORDER BY CS_Key__c")
    assert {row[FIELD] for row in rows} == {"subscription"}


def test_a_run_does_not_start_on_a_mapping_the_org_refuses(
    packaged_org: SandboxOrg, sync_app: App, make_contract: Callable[..., Contract]
) -> None:
    contract = make_contract("C-1", account={"key": "ACC-C-1", "name": "Account C-1"})
    sync_app.contracts.create(contract, actor="t", reason="new")
    packaged_org.remove_custom_field("Contract", FIELD)
    client = org_registry(sync_app).client("test")
    calls_before = client.calls

    with pytest.raises(MappingError, match=f"contract.{FIELD}: field does not exist") as refused:
        _sync(sync_app)

    assert "contractsync mapping check --org test" in refused.value.message
    assert client.query_all("SELECT Id FROM Account WHERE CS_Key__c = 'ACC-C-1'") == []
    assert sync_app.sync_runs.recent(org="test") == []
    assert client.calls > calls_before  # it asked the org (describes), and wrote nothing


def test_a_describe_the_org_refuses_is_reported_as_itself_not_as_a_missing_object(
    sync_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = org_registry(sync_app)

    def refused(sobject: str, *, refresh: bool = False) -> dict[str, Any]:
        raise PermanentSyncError(
            "Org 'test' refused describe: API_DISABLED_FOR_ORG.",
            status=403,
            salesforce_code="API_DISABLED_FOR_ORG",
        )

    monkeypatch.setattr(registry.client("test"), "describe", refused)
    with pytest.raises(PermanentSyncError, match="API_DISABLED_FOR_ORG"):
        require_fitting_mapping(registry, "test")
