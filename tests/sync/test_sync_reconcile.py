"""Drift and reconciliation over HTTPS against the sandbox org, plus the pure comparisons."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sync_support import password_org
from typer import Typer
from typer.testing import CliRunner

from contractsync.cli._reconcile import inbound_app, reconcile
from contractsync.cli._state import CliState
from contractsync.context import App
from contractsync.mapping import default_mapping_path, load_mapping
from contractsync.model import Contract, Duration
from contractsync.salesforce import OrgClient
from contractsync.sandbox import SandboxOrg
from contractsync.settings import Settings, load_settings
from contractsync.store import InboundRepository
from contractsync.sync import (
    DELETED,
    FieldDrift,
    contracts_for,
    deliver_chunk,
    org_registry,
    owner_ids,
    plan_items,
    plan_org,
    record_drift,
    same_value,
    write_backs,
)
from contractsync.sync import reconcile as reconcile_org

TODAY = date(2026, 11, 28)
ADMIN_EMAIL = "admin@sandbox.contractsync.invalid"
APPROVED = {"state": "auto_approved"}
MakeContract = Callable[..., Contract]


# ---- pure: comparing snapshots with what the org holds ----


@pytest.mark.parametrize(
    ("ours", "theirs", "same"),
    [
        pytest.param(30, 30.0, True, id="int-and-float"),
        pytest.param(12, 24, False, id="numbers-differ"),
        pytest.param("2025-01-01", "2025-01-01", True, id="dates"),
        pytest.param("2025-01-01T10:00:00.000Z", "2025-01-01T10:00:00.000+0000", True, id="time"),
        pytest.param(None, "", True, id="blank-is-null"),
        pytest.param(True, 1, False, id="boolean-is-not-number"),
        pytest.param({"CS_Key__c": "ACC-1"}, {"CS_Key__c": "acc-1"}, True, id="lookup-case-blind"),
        pytest.param({"Email": "a@x.io"}, {"Email": None}, False, id="lookup-cleared"),
        pytest.param({"Email": "a@x.io"}, None, False, id="lookup-gone"),
        pytest.param("Draft", "Activated", False, id="picklist"),
    ],
)  # fmt: skip
def test_values_compare_as_salesforce_means_them(ours: Any, theirs: Any, same: bool) -> None:
    assert same_value(ours, theirs) is same


def test_record_drift_names_each_changed_field_and_reads_lookups_back() -> None:
    snapshot = {"Name": "A", "ContractTerm": 12, "Account": {"CS_Key__c": "ACC-1"}}
    row = {"Name": "B", "ContractTerm": 12.0, "Account": {"attributes": {}, "CS_Key__c": "ACC-2"}}

    assert record_drift(snapshot, row) == (
        FieldDrift("Account", {"CS_Key__c": "ACC-1"}, {"CS_Key__c": "ACC-2"}),
        FieldDrift("Name", "A", "B"),
    )


def test_fields_map_back_only_through_plain_paths_and_reversible_transforms() -> None:
    contract = load_mapping(default_mapping_path()).object("contract")

    backs = write_backs(contract)

    assert backs["StartDate"].path == "effective_date"
    assert backs["ContractTerm"].path == "initial_term"
    assert backs["Owner"].path == "owners.account_manager.email"
    assert backs["Status"].policy == "manual"
    for derived in ("Name", "CS_Expiration_Date__c", "CS_Currency__c", "CS_Governing_Law__c"):
        assert derived not in backs


# ---- over HTTPS against the sandbox org ----


@pytest.fixture
def sync_app(packaged_org: SandboxOrg, store_url: str, tmp_path: Path) -> Iterator[App]:
    org = password_org(packaged_org)
    settings = load_settings(data_dir=tmp_path / "data", database_url=store_url, orgs={"test": org})
    app = App.open(settings)
    yield app
    app.close()


def _contract(make_contract: MakeContract, key: str, **changes: Any) -> Contract:
    return make_contract(
        key,
        initial_term={"value": {"months": 12}, "review": APPROVED},
        auto_renew={"value": True, "review": APPROVED},
        renewal_notice_period={"value": {"days": 30}, "review": APPROVED},
        account={"key": f"ACC-{key}", "name": f"Account of {key}"},
        owners={"account_manager": {"email": ADMIN_EMAIL}},
        obligations=[
            {"value": {"key": "REPORT", "kind": "reporting", "description": "Report"},
             "review": APPROVED}
        ],
        **changes,
    )  # fmt: skip


def _deliver(app: App) -> None:
    """Sync without the durable engine (the same plan, delivery and confirmation)."""
    registry = org_registry(app)
    mapping = registry.mapping("test")
    plan = plan_org(app, registry, "test", contracts_for(app, registry, "test", None), today=TODAY)
    groups, _ = plan_items(
        plan,
        {obj.name: obj.sobject for obj in mapping.objects},
        {obj.name: obj.external_id for obj in mapping.objects},
    )
    client = registry.client("test")
    owners = owner_ids(client, [item for _, items in groups for item in items])
    for _, items in groups:
        outcome = deliver_chunk(client, items, owners)
        assert not outcome.dead_letters
        app.sync_state.confirm("test", outcome.confirmations, actor="tester", run_id="run-1")


@pytest.fixture
def opened() -> Iterator[list[CliState]]:
    states: list[CliState] = []
    yield states
    for state in states:
        state.close()


def _cli(settings: Settings, opened: list[CliState]) -> CliState:
    """The state a CLI command runs with (closed by the test, as ``main`` closes it)."""
    opened.append(CliState(_settings=settings))
    return opened[-1]


def _client(app: App) -> OrgClient:
    return org_registry(app).client("test")


def _row(app: App, key: str) -> dict[str, Any]:
    [row] = _client(app).query_all(
        f"SELECT Name, ContractTerm, Status, StartDate FROM Contract WHERE CS_Key__c = '{key}'"
    )
    return row


def test_drift_is_reported_by_field_and_restored(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _deliver(sync_app)
    _client(sync_app).upsert(
        "Contract", "CS_Key__c", "C-1", {"Name": "Edited in Salesforce", "ContractTerm": 24}
    )

    preview = reconcile_org(sync_app, "test", dry_run=True)

    assert preview.checked == 3
    assert [
        (f.key, f.field, f.ours, f.theirs, f.decision, f.outcome) for f in preview.findings
    ] == [
        ("C-1", "ContractTerm", 12, 24, "restore", "would restore"),
        ("C-1", "Name", "Contract C-1", "Edited in Salesforce", "restore", "would restore"),
    ]
    assert _row(sync_app, "C-1")["ContractTerm"] == 24  # a dry run changes nothing

    report = reconcile_org(sync_app, "test")

    assert {(f.field, f.outcome) for f in report.findings} == {
        ("ContractTerm", "restored"),
        ("Name", "restored"),
    }
    row = _row(sync_app, "C-1")
    assert (row["Name"], row["ContractTerm"]) == ("Contract C-1", 12)
    actions = [entry.action for entry in sync_app.audit.entries(entity_key="C-1")]
    assert actions[-1] == "reconcile.restored"
    assert reconcile_org(sync_app, "test").findings == ()


def test_accepting_takes_mapped_values_into_the_contract_and_the_rest_into_the_state(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _deliver(sync_app)
    _client(sync_app).upsert(
        "Contract", "CS_Key__c", "C-1", {"Name": "Edited in Salesforce", "ContractTerm": 24}
    )

    report = reconcile_org(sync_app, "test", policy="accept")

    assert {(f.field, f.outcome) for f in report.findings} == {
        ("ContractTerm", "accepted into the contract (version 2)"),
        ("Name", "accepted into the sync state"),
    }
    stored = sync_app.contracts.get("C-1")
    term = stored.contract.initial_term
    assert term is not None
    assert term.value == Duration(months=24)
    assert term.provenance is not None
    assert term.provenance.source == "salesforce:test"
    assert (term.review.state, term.review.reviewer) == ("approved", "salesforce:test")
    assert sync_app.contracts.history("C-1")[-1].actor == "salesforce:test"
    assert sync_app.audit.entries(entity_key="C-1")[-1].action == "reconcile.accepted"
    assert reconcile_org(sync_app, "test").findings == ()
    # The next sync writes what follows from the new term, not the accepted term back.
    registry = org_registry(sync_app)
    plan = plan_org(sync_app, registry, "test", [stored], today=TODAY)
    changed = {change.field for write in plan.writes for change in write.changes}
    assert {"CS_Expiration_Date__c", "CS_Renewal_Notice_Deadline__c"} <= changed
    assert "ContractTerm" not in changed


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_value_accepted_into_the_state_is_not_written_back_by_the_next_sync(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _deliver(sync_app)
    _client(sync_app).upsert("Contract", "CS_Key__c", "C-1", {"Name": "Edited in Salesforce"})

    reconcile_org(sync_app, "test", policy="accept")

    assert sync_app.contracts.get("C-1").version == 1
    registry = org_registry(sync_app)
    stored = contracts_for(sync_app, registry, "test", None)
    assert plan_org(sync_app, registry, "test", stored, today=TODAY).is_empty
    assert _row(sync_app, "C-1")["Name"] == "Edited in Salesforce"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_an_accepted_value_survives_later_writes_until_contractsync_wants_a_new_one(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _deliver(sync_app)
    _client(sync_app).upsert("Contract", "CS_Key__c", "C-1", {"Name": "Edited in Salesforce"})
    reconcile_org(sync_app, "test", policy="accept")
    registry = org_registry(sync_app)

    # Another field of the same record changes: the write leaves the accepted Name alone.
    current = sync_app.contracts.get("C-1")
    longer = current.contract.with_changes(
        {"initial_term": {"value": {"months": 24}, "review": APPROVED}}
    )
    sync_app.contracts.update(longer, expected_version=current.version, actor="t", reason="x")
    plan = plan_org(sync_app, registry, "test", contracts_for(sync_app, registry, "test", None),
                    today=TODAY)  # fmt: skip
    [contract_write] = [write for write in plan.writes if write.record.sobject == "Contract"]
    assert "ContractTerm" in {change.field for change in contract_write.changes}
    assert "Name" not in {change.field for change in contract_write.changes}
    _deliver(sync_app)
    row = _row(sync_app, "C-1")
    assert (row["Name"], row["ContractTerm"]) == ("Edited in Salesforce", 24)
    assert reconcile_org(sync_app, "test").findings == ()
    stored = contracts_for(sync_app, registry, "test", None)
    assert plan_org(sync_app, registry, "test", stored, today=TODAY).is_empty

    # contractsync wants a new Name: it is sent, and the acceptance ends.
    current = sync_app.contracts.get("C-1")
    renamed = current.contract.with_changes({"title": "Renamed by contractsync"})
    sync_app.contracts.update(renamed, expected_version=current.version, actor="t", reason="x")
    _deliver(sync_app)
    assert _row(sync_app, "C-1")["Name"] == "Renamed by contractsync"
    _client(sync_app).upsert("Contract", "CS_Key__c", "C-1", {"Name": "Edited again"})
    [finding] = reconcile_org(sync_app, "test", dry_run=True).findings
    assert (finding.field, finding.ours, finding.decision) == (
        "Name", "Renamed by contractsync", "restore",
    )  # fmt: skip


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_deleted_records_are_reported_and_recreated_under_restore(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _deliver(sync_app)
    client = _client(sync_app)
    [obligation] = client.query_all("SELECT Id FROM CS_Obligation__c")
    client.delete("CS_Obligation__c", "C-1:REPORT", obligation["Id"])

    accepted = reconcile_org(sync_app, "test", policy="accept")
    assert [(f.key, f.field, f.decision) for f in accepted.findings] == [
        ("C-1:REPORT", DELETED, "report")
    ]
    assert client.query_all("SELECT Id FROM CS_Obligation__c") == []

    restored = reconcile_org(sync_app, "test")

    assert [(f.key, f.field, f.outcome) for f in restored.findings] == [
        ("C-1:REPORT", DELETED, "restored")
    ]
    rows = client.query_all("SELECT CS_Kind__c, CS_Contract__r.CS_Key__c FROM CS_Obligation__c")
    assert [(r["CS_Kind__c"], r["CS_Contract__r"]["CS_Key__c"]) for r in rows] == [
        ("reporting", "C-1")
    ]
    assert reconcile_org(sync_app, "test").findings == ()


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_status_changed_in_salesforce_is_parked_for_a_person_by_default(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _deliver(sync_app)
    _client(sync_app).upsert("Contract", "CS_Key__c", "C-1", {"Status": "Activated"})

    report = reconcile_org(sync_app, "test")

    assert [(f.field, f.decision, f.outcome) for f in report.findings] == [
        ("Status", "park", "parked for a person")
    ]
    [pending] = InboundRepository(sync_app.database, sync_app.audit).pending(org="test")
    assert (pending.field, pending.salesforce_value, pending.contractsync_value) == (
        "Status",
        "Activated",
        "Draft",
    )
    assert _row(sync_app, "C-1")["Status"] == "Activated"
    reconcile_org(sync_app, "test")  # the same drift is not parked twice
    assert len(InboundRepository(sync_app.database, sync_app.audit).pending()) == 1


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_the_reconcile_command_reports_and_restores(
    sync_app: App, make_contract: MakeContract, opened: list[CliState]
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _deliver(sync_app)
    _client(sync_app).upsert("Contract", "CS_Key__c", "C-1", {"ContractTerm": 36})
    cli = Typer()
    cli.command("reconcile")(reconcile)
    cli.add_typer(inbound_app, name="inbound")
    settings: Settings = sync_app.settings
    runner = CliRunner()

    dry = runner.invoke(
        cli, ["reconcile", "--org", "test", "--dry-run", "--json"], obj=_cli(settings, opened)
    )
    assert dry.exit_code == 0, dry.output
    assert '"decision": "restore"' in dry.output
    assert '"salesforce": 36' in dry.output

    done = runner.invoke(cli, ["reconcile", "--org", "test"], obj=_cli(settings, opened))
    assert done.exit_code == 0, done.output
    assert "1 drifted" in done.output
    assert _row(sync_app, "C-1")["ContractTerm"] == 12
    pending = runner.invoke(cli, ["inbound", "pending"], obj=_cli(settings, opened))
    assert pending.exit_code == 0, pending.output
    assert "0 pending change(s)" in pending.output


def test_an_unchanged_org_shows_no_drift(sync_app: App, make_contract: MakeContract) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _deliver(sync_app)

    report = reconcile_org(sync_app, "test", now=datetime(2026, 11, 28, tzinfo=UTC))

    assert (report.checked, report.findings) == (3, ())


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_restoring_an_accepted_field_restores_what_contractsync_wants(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract, "C-1"), actor="t", reason="new")
    _deliver(sync_app)
    client = _client(sync_app)
    client.upsert("Contract", "CS_Key__c", "C-1", {"Name": "Edited in Salesforce"})
    reconcile_org(sync_app, "test", policy="accept")
    client.upsert("Contract", "CS_Key__c", "C-1", {"Name": "Edited again"})

    report = reconcile_org(sync_app, "test", policy="restore")

    assert [(f.field, f.outcome) for f in report.findings] == [("Name", "restored")]
    assert _row(sync_app, "C-1")["Name"] == "Contract C-1"
    confirmed = sync_app.sync_state.confirmed("test")[("Contract", "C-1")]
    assert confirmed.snapshot["Name"] == "Contract C-1"
    assert "@accepted" not in confirmed.snapshot
    assert reconcile_org(sync_app, "test").findings == ()
    registry = org_registry(sync_app)
    stored = contracts_for(sync_app, registry, "test", None)
    assert plan_org(sync_app, registry, "test", stored, today=TODAY).is_empty
