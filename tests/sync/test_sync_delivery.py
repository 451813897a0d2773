"""Sync end to end over HTTPS against the sandbox org, on SQLite and PostgreSQL stores."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sync_support import password_org

from contractsync.context import App
from contractsync.durable import durable_engine
from contractsync.errors import PermanentSyncError
from contractsync.model import Contract
from contractsync.salesforce import OrgClient
from contractsync.sandbox import SandboxOrg
from contractsync.settings import load_settings
from contractsync.sync import (
    _workflow,
    org_registry,
    replay_dead_letters,
    require_fitting_mapping,
    start_sync,
)

TODAY = date(2026, 11, 28)
ADMIN_EMAIL = "admin@sandbox.contractsync.invalid"
APPROVED = {"state": "auto_approved"}
MakeContract = Callable[..., Contract]


@pytest.fixture
def org_overrides() -> dict[str, Any]:
    """Extra org settings; tests parametrize this to change one."""
    return {}


@pytest.fixture
def sync_app(
    packaged_org: SandboxOrg, store_url: str, tmp_path: Path, org_overrides: dict[str, Any]
) -> Iterator[App]:
    org = password_org(
        packaged_org,
        **org_overrides,
    )
    settings = load_settings(data_dir=tmp_path / "data", database_url=store_url, orgs={"test": org})
    app = App.open(settings)
    yield app
    app.close()


def _contract(make_contract: MakeContract, key: str, **changes: Any) -> Contract:
    approved_terms = {
        "initial_term": {"value": {"months": 12}, "review": APPROVED},
        "auto_renew": {"value": True, "review": APPROVED},
        "renewal_notice_period": {"value": {"days": 30}, "review": APPROVED},
    }
    return make_contract(
        key,
        **{**approved_terms, **changes},
        account={"key": f"ACC-{key}", "name": f"Account of {key}"},
        owners={"account_manager": {"email": ADMIN_EMAIL}},
        obligations=[
            {
                "value": {"key": "REPORT", "kind": "reporting", "description": "Report"},
                "review": APPROVED,
            }
        ],
    )


def _sync(app: App, keys: list[str] | None = None) -> dict[str, Any]:
    with durable_engine(app):
        return start_sync("test", keys, today=TODAY, actor="tester")


def _client(app: App) -> OrgClient:
    return org_registry(app).client("test")


def test_contracts_arrive_once_with_their_values_and_rerunning_writes_nothing(
    sync_app: App, make_contract: MakeContract
) -> None:
    for key in ("C-1", "C-2"):
        sync_app.contracts.create(_contract(make_contract, key), actor="t", reason="new")

    summary = _sync(sync_app)

    assert summary["status"] == "complete"
    assert summary["delivered"]["created"] == 6
    rows = _client(sync_app).query_all(
        "SELECT CS_Key__c, Name, Status, StartDate, ContractTerm, Account.CS_Key__c, OwnerId, "
        "CS_Renewal_Notice_Days__c FROM Contract ORDER BY CS_Key__c"
    )
    assert [(r["CS_Key__c"], r["Status"], r["StartDate"], r["ContractTerm"]) for r in rows] == [
        ("C-1", "Draft", "2025-01-01", 12),
        ("C-2", "Draft", "2025-01-01", 12),
    ]
    assert rows[0]["Account"]["CS_Key__c"] == "ACC-C-1"
    assert rows[0]["CS_Renewal_Notice_Days__c"] == 30
    assert rows[0]["OwnerId"].startswith("005")
    obligations = _client(sync_app).query_all(
        "SELECT CS_Key__c, CS_Contract__r.CS_Key__c FROM CS_Obligation__c ORDER BY CS_Key__c"
    )
    assert [o["CS_Key__c"] for o in obligations] == ["C-1:REPORT", "C-2:REPORT"]

    again = _sync(sync_app)
    assert again["already_done"]
    # A different selection of the same, unchanged contracts plans nothing and writes nothing.
    calls_before = _client(sync_app).calls
    subset = _sync(sync_app, ["C-1"])
    assert subset["planned"]["unchanged"] == 3
    assert subset["delivered"]["created"] + subset["delivered"]["updated"] == 0
    assert _client(sync_app).calls - calls_before <= 1  # the owner lookup at most, no write
    assert sync_app.audit.entries(entity_key="C-1")[-1].action == "sync.created"


def test_a_changed_contract_updates_only_what_changed(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _sync(sync_app)

    current = sync_app.contracts.get("C-1")
    renamed = current.contract.with_changes({"title": "Renamed contract"})
    sync_app.contracts.update(renamed, expected_version=current.version, actor="t", reason="rename")
    summary = _sync(sync_app)

    assert summary["planned"]["update"] == 1
    assert summary["planned"]["unchanged"] == 2
    rows = _client(sync_app).query_all("SELECT Name FROM Contract WHERE CS_Key__c = 'C-1'")
    assert rows == [{"attributes": rows[0]["attributes"], "Name": "Renamed contract"}]


def test_an_active_contract_is_created_in_draft_then_activated(
    sync_app: App, make_contract: MakeContract
) -> None:
    contract = _contract(make_contract, "C-1", status="active")
    sync_app.contracts.create(contract, actor="t", reason="new")

    summary = _sync(sync_app)

    assert summary["status"] == "complete"
    rows = _client(sync_app).query_all("SELECT Status FROM Contract WHERE CS_Key__c = 'C-1'")
    assert rows[0]["Status"] == "Activated"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_transient_faults_do_not_stop_delivery(
    sync_app: App, packaged_org: SandboxOrg, make_contract: MakeContract
) -> None:
    for n in range(30):
        sync_app.contracts.create(_contract(make_contract, f"F-{n:02d}"), actor="t", reason="new")
    packaged_org.set_faults(
        "seed=11,rest:unavailable=0.1,rest:concurrent=0.1,composite:unavailable=0.1,"
        "composite:lock=0.1,query:unavailable=0.2"
    )
    try:
        summary = _sync(sync_app)
    finally:
        packaged_org.set_faults("")

    assert summary["status"] == "complete", summary
    assert summary["delivered"]["created"] == 90
    assert len(_client(sync_app).query_all("SELECT Id FROM Contract")) == 30
    assert len(_client(sync_app).query_all("SELECT Id FROM CS_Obligation__c")) == 30


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_refused_records_are_dead_lettered_with_field_reasons_and_the_rest_delivered(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract, "GOOD"), actor="t", reason="new")
    sync_app.contracts.create(
        _contract(make_contract, "BAD", title="x" * 120), actor="t", reason="new"
    )

    summary = _sync(sync_app)

    assert summary["status"] == "partial"
    assert summary["delivered"]["dead_letters"] == 1
    assert summary["delivered"]["blocked"] == 1  # BAD's obligation waits for its contract
    [letter] = sync_app.dead_letters.list()
    assert (letter.sobject, letter.external_key, letter.error_code) == (
        "Contract",
        "BAD",
        "STRING_TOO_LONG",
    )
    assert letter.error_fields == ("Name",)
    assert letter.payload["Name"] == "x" * 120
    keys = {r["CS_Key__c"] for r in _client(sync_app).query_all("SELECT CS_Key__c FROM Contract")}
    assert keys == {"GOOD"}
    assert [e.action for e in sync_app.audit.entries(entity_key="BAD")][-1] == "sync.failed"

    # Fix the data; the next sync delivers the record, its child, and closes the letter.
    current = sync_app.contracts.get("BAD")
    fixed = current.contract.with_changes({"title": "Short enough"})
    sync_app.contracts.update(fixed, expected_version=current.version, actor="t", reason="fix")
    retried = _sync(sync_app)

    assert retried["status"] == "complete"
    assert sync_app.dead_letters.list() == []
    assert sync_app.dead_letters.list(status="delivered")[0].external_key == "BAD"
    assert len(_client(sync_app).query_all("SELECT Id FROM CS_Obligation__c")) == 2


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_removed_obligations_are_marked_inactive(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _sync(sync_app)
    current = sync_app.contracts.get("C-1")
    sync_app.contracts.update(
        current.contract.with_changes({"obligations": []}),
        expected_version=current.version,
        actor="t",
        reason="obligation dropped",
    )

    summary = _sync(sync_app)

    assert summary["delivered"]["removed"] == 1
    rows = _client(sync_app).query_all("SELECT CS_Active__c FROM CS_Obligation__c")
    assert [row["CS_Active__c"] for row in rows] == [False]


@pytest.mark.parametrize("org_overrides", [{"bulk_threshold": 5}])
@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_large_runs_go_through_bulk_jobs_and_report_each_row(
    sync_app: App, make_contract: MakeContract
) -> None:
    for n in range(12):
        sync_app.contracts.create(_contract(make_contract, f"B-{n:02d}"), actor="t", reason="new")
    sync_app.contracts.create(
        _contract(make_contract, "B-BAD", title="y" * 90), actor="t", reason="new"
    )

    summary = _sync(sync_app)

    assert summary["delivered"]["created"] == 13 + 12 + 12  # accounts, contracts, obligations
    [letter] = sync_app.dead_letters.list()
    assert (letter.external_key, letter.error_code, letter.error_fields) == (
        "B-BAD",
        "STRING_TOO_LONG",
        ("Name",),
    )
    jobs = _client(sync_app).query_all("SELECT Id FROM Contract")
    assert len(jobs) == 12
    assert summary["calls"] < 40  # a handful of calls per job, not one per record


@pytest.mark.parametrize("org_overrides", [{"pause_s": 0.3, "api_reserve": 0.0}])
@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_spent_allowance_pauses_the_org_until_usage_allows(
    sync_app: App, make_contract: MakeContract, packaged_org: SandboxOrg
) -> None:
    for n in range(3):
        sync_app.contracts.create(_contract(make_contract, f"P-{n}"), actor="t", reason="new")
    client = _client(sync_app)
    # Check the mapping first (the run trusts that check a while), then read the usage.
    require_fitting_mapping(org_registry(sync_app), "test")
    usage = client.limits.usage
    assert usage is not None
    packaged_org.set_daily_api_limit(usage.used + 3)
    restored = threading.Timer(4.0, packaged_org.set_daily_api_limit, args=(15000,))
    restored.start()
    try:
        summary = _sync(sync_app)
    finally:
        restored.cancel()
        packaged_org.set_daily_api_limit(15000)

    assert summary["status"] == "complete"
    assert summary["delivered"]["pauses"] >= 1
    assert len(client.query_all("SELECT Id FROM Contract")) == 3


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_progress_is_reported_while_a_sync_runs(sync_app: App, make_contract: MakeContract) -> None:
    for n in range(3):
        sync_app.contracts.create(_contract(make_contract, f"G-{n}"), actor="t", reason="new")
    seen: list[tuple[int, int]] = []
    with durable_engine(sync_app):
        start_sync(
            "test", None, today=TODAY, actor="t", on_progress=lambda d, t: seen.append((d, t))
        )
    assert seen
    assert all(total == 9 for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_run_that_fails_is_recorded_failed_and_the_next_sync_tries_again(
    sync_app: App, make_contract: MakeContract, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")

    def refused(*args: Any, **kwargs: Any) -> dict[str, str]:
        raise PermanentSyncError("Org 'test' refused the owner query: API_DISABLED_FOR_ORG.")

    with durable_engine(sync_app):
        monkeypatch.setattr(_workflow, "owner_ids", refused)
        with pytest.raises(PermanentSyncError, match="API_DISABLED_FOR_ORG"):
            start_sync("test", None, today=TODAY, actor="tester")
        [failed] = sync_app.sync_runs.recent(org="test")
        assert failed["status"] == "failed"
        assert failed["summary"]["error"]["code"] == "permanent"

        monkeypatch.undo()
        summary = start_sync("test", None, today=TODAY, actor="tester")

    assert summary["run_id"] == f"{failed['run_id']}:retry-2"
    assert summary["status"] == "complete"
    assert summary["delivered"]["created"] == 3


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_refused_record_stays_parked_until_it_is_replayed(
    packaged_org: SandboxOrg, sync_app: App, make_contract: MakeContract
) -> None:
    field = "CS_Contract_Type__c"
    [spec] = [f for f in _client(sync_app).describe("Contract")["fields"] if f["name"] == field]
    # An admin narrowed the field: "subscription" no longer fits.
    packaged_org.remove_custom_field("Contract", field)
    packaged_org.add_custom_field("Contract", {"name": field, "type": spec["type"], "length": 5})
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")

    first = _sync(sync_app)
    assert first["delivered"]["dead_letters"] == 1
    again = _sync(sync_app)  # same versions: the refusal would only repeat itself

    assert again["status"] == "complete"
    assert again["parked"] == 2  # the contract and the obligation hanging off it
    assert again["delivered"]["created"] == again["delivered"]["dead_letters"] == 0
    [letter] = sync_app.dead_letters.list()
    assert letter.attempts == 1
    assert _sync(sync_app)["already_done"]

    # The admin widens it again and replays: the parked records go, the letter closes.
    packaged_org.remove_custom_field("Contract", field)
    packaged_org.add_custom_field("Contract", {"name": field, "type": spec["type"], "length": 80})
    with durable_engine(sync_app):
        report = replay_dead_letters(sync_app, None, today=TODAY, actor="tester")

    assert [(o.replayed, o.error_code) for o in report.outcomes] == [(True, None)]
    assert sync_app.dead_letters.list() == []
    assert len(_client(sync_app).query_all("SELECT Id FROM CS_Obligation__c")) == 1


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_run_that_fails_while_planning_is_recorded_and_retried(
    sync_app: App, make_contract: MakeContract, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise PermanentSyncError("The plan could not be made.")

    with durable_engine(sync_app):
        monkeypatch.setattr(_workflow, "plan_org", broken)
        with pytest.raises(PermanentSyncError, match="could not be made"):
            start_sync("test", None, today=TODAY, actor="tester")
        [failed] = sync_app.sync_runs.recent(org="test")
        assert failed["status"] == "failed"

        monkeypatch.undo()
        summary = start_sync("test", None, today=TODAY, actor="tester")

    assert summary["run_id"] == f"{failed['run_id']}:retry-2"
    assert summary["status"] == "complete"
