"""Inbound sync over HTTPS against the sandbox org, plus the pure conflict decisions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sync_support import password_org
from typer import Typer
from typer.testing import CliRunner

from contractsync.cli._reconcile import inbound_app
from contractsync.cli._state import CliState
from contractsync.context import App
from contractsync.durable import durable_engine
from contractsync.errors import MappingError
from contractsync.mapping import default_mapping_path, load_mapping, parse_mapping
from contractsync.model import Contract, Duration
from contractsync.salesforce import OrgClient
from contractsync.sandbox import SandboxOrg
from contractsync.settings import Settings, load_settings
from contractsync.store import InboundRepository
from contractsync.sync import (
    Decision,
    canonical_value,
    contracts_for,
    deliver_chunk,
    inbound_decision,
    org_registry,
    owner_ids,
    plan_items,
    plan_org,
    poll_inbound,
    reconcile_decision,
    start_sync,
    with_value,
    write_backs,
)

TODAY = date(2026, 11, 28)
ADMIN_EMAIL = "admin@sandbox.contractsync.invalid"
APPROVED = {"state": "auto_approved"}
MakeContract = Callable[..., Contract]
T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

INBOUND = {
    "StartDate": "salesforce-wins",
    "ContractTerm": "contractsync-wins",
    "CS_Renewal_Notice_Days__c": "newest-wins",
    "CS_Region__c": "manual",
    "Status": "salesforce-wins",
}


# ---- pure: the conflict policies and what a mapping may mark inbound ----


@pytest.mark.parametrize(
    ("policy", "salesforce_at", "expected"),
    [
        pytest.param("salesforce-wins", None, Decision.APPLY, id="salesforce-wins"),
        pytest.param("contractsync-wins", T0 + timedelta(hours=1), Decision.KEEP, id="cs-wins"),
        pytest.param("manual", T0, Decision.PARK, id="manual"),
        pytest.param("newest-wins", T0 + timedelta(seconds=1), Decision.APPLY, id="sf-newer"),
        pytest.param("newest-wins", T0 - timedelta(seconds=1), Decision.KEEP, id="cs-newer"),
        pytest.param("newest-wins", None, Decision.KEEP, id="sf-time-unknown"),
    ],
)  # fmt: skip
def test_inbound_decisions(policy: Any, salesforce_at: datetime | None, expected: Decision) -> None:
    decided = inbound_decision(policy, salesforce_changed_at=salesforce_at, contract_changed_at=T0)
    assert decided is expected


@pytest.mark.parametrize(
    ("policy", "forced", "expected"),
    [
        pytest.param(None, None, Decision.KEEP, id="contractsync-owns-unmarked-fields"),
        pytest.param("salesforce-wins", None, Decision.APPLY, id="mapping-decides"),
        pytest.param("manual", None, Decision.PARK, id="manual-parks"),
        pytest.param("manual", "accept", Decision.APPLY, id="forced-accept"),
        pytest.param("salesforce-wins", "restore", Decision.KEEP, id="forced-restore"),
    ],
)  # fmt: skip
def test_reconcile_decisions(policy: Any, forced: Any, expected: Decision) -> None:
    decided = reconcile_decision(
        policy, forced, salesforce_changed_at=T0, contract_changed_at=T0 - timedelta(days=1)
    )
    assert decided is expected


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        pytest.param({"template": "{title}", "inbound": "manual"}, "plain 'from:'", id="template"),
        pytest.param({"from": "term_end", "inbound": "manual"}, "cannot write back", id="derived"),
        pytest.param({"from": "title", "transform": "upper", "inbound": "manual"},
                     "cannot undo", id="lossy-transform"),
        pytest.param({"from": "title", "inbound": "sometimes"}, "inbound", id="unknown-policy"),
    ],
)  # fmt: skip
def test_inbound_rules_must_map_straight_back(rule: dict[str, Any], message: str) -> None:
    data = {"objects": [{"name": "c", "sobject": "Contract", "external_id": "K__c",
                         "key": "{contract_key}", "fields": {"Name": rule}}]}  # fmt: skip
    with pytest.raises(MappingError, match=message):
        parse_mapping(data, source="test")


def test_inbound_is_refused_on_per_obligation_records() -> None:
    data = yaml.safe_load(default_mapping_path().read_text(encoding="utf-8"))
    data["objects"][2]["fields"]["CS_Description__c"] = {"from": "title", "inbound": "manual"}
    with pytest.raises(MappingError, match="not 'for_each'"):
        parse_mapping(data, source="test")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param("amended", "amended", id="keeps-its-own-among-several"),
        pytest.param("draft", "active", id="first-in-the-map-otherwise"),
    ],
)
def test_a_picklist_value_maps_back_to_the_contracts_own_when_ambiguous(
    make_contract: MakeContract, status: str, expected: str
) -> None:
    back = write_backs(load_mapping(default_mapping_path()).object("contract"))["Status"]
    contract = make_contract("C-1", status=status)

    assert canonical_value(back, "Activated", contract, today=TODAY) == expected


def test_an_owner_set_in_salesforce_maps_back_by_email(make_contract: MakeContract) -> None:
    back = write_backs(load_mapping(default_mapping_path()).object("contract"))["Owner"]
    contract = make_contract("C-1", owners={"account_manager": {"email": "a@x.io", "name": "A"}})

    email = canonical_value(back, {"Email": "b@x.io"}, contract, today=TODAY)
    moved = with_value(contract, back.path, email, org="emea", at=T0)

    assert moved.owners["account_manager"].model_dump() == {"email": "b@x.io", "name": None}
    assert with_value(contract, back.path, "A@X.io", org="emea", at=T0) == contract


# ---- over HTTPS against the sandbox org ----


@pytest.fixture
def sync_app(packaged_org: SandboxOrg, store_url: str, tmp_path: Path) -> Iterator[App]:
    data = yaml.safe_load(default_mapping_path().read_text(encoding="utf-8"))
    for name, policy in INBOUND.items():
        data["objects"][1]["fields"][name]["inbound"] = policy
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(data), encoding="utf-8")
    org = password_org(
        packaged_org,
        mapping=mapping,
    )
    settings = load_settings(data_dir=tmp_path / "data", database_url=store_url, orgs={"test": org})
    app = App.open(settings)
    yield app
    app.close()


def _contract(make_contract: MakeContract, key: str = "C-1") -> Contract:
    return make_contract(
        key,
        region="EMEA",
        initial_term={"value": {"months": 12}, "review": APPROVED},
        auto_renew={"value": True, "review": APPROVED},
        renewal_notice_period={"value": {"days": 30}, "review": APPROVED},
        account={"key": f"ACC-{key}", "name": f"Account of {key}"},
        owners={"account_manager": {"email": ADMIN_EMAIL}},
    )


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


def _synced(app: App, make_contract: MakeContract) -> None:
    """C-1 created, delivered, and a first poll made (which finds only echoes)."""
    app.contracts.create(_contract(make_contract), actor="t", reason="new")
    _deliver(app)
    first = poll_inbound(app, "test")
    assert (first.read, first.echoes, first.changes) == (1, 1, ())


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


def _edit_in_salesforce(app: App, **fields: Any) -> None:
    result = _client(app).upsert("Contract", "CS_Key__c", "C-1", fields)
    assert result.success, result.errors


def _plan_fields(app: App) -> set[str]:
    registry = org_registry(app)
    plan = plan_org(app, registry, "test", contracts_for(app, registry, "test", None), today=TODAY)
    return {change.field for write in plan.writes for change in write.changes}


def test_salesforce_wins_applies_a_new_version_that_the_next_sync_does_not_echo(
    sync_app: App, make_contract: MakeContract
) -> None:
    _synced(sync_app, make_contract)
    _edit_in_salesforce(sync_app, StartDate="2025-03-01")

    report = poll_inbound(sync_app, "test")

    assert [(c.field, c.path, c.ours, c.theirs, c.outcome) for c in report.changes] == [
        ("StartDate", "effective_date", "2025-01-01", "2025-03-01", "applied")
    ]
    stored = sync_app.contracts.get("C-1")
    effective = stored.contract.effective_date
    assert effective is not None
    assert effective.value == date(2025, 3, 1)
    assert effective.provenance is not None
    assert effective.provenance.source == "salesforce:test"
    assert effective.review.reviewer == "salesforce:test"
    assert sync_app.contracts.history("C-1")[-1].actor == "salesforce:test"
    entries = sync_app.audit.entries(entity_key="C-1")[-2:]
    assert [(e.actor, e.action) for e in entries] == [
        ("salesforce:test", "contract.updated"),
        ("salesforce:test", "inbound.applied"),
    ]
    # The next sync sends only what follows from the new start date, not the date itself.
    assert _plan_fields(sync_app) == {"CS_Expiration_Date__c", "CS_Renewal_Notice_Deadline__c"}
    again = poll_inbound(sync_app, "test")  # the change is read once
    assert again.changes == ()
    assert sync_app.contracts.get("C-1").version == 2


def test_contractsync_wins_keeps_its_value_and_the_next_sync_restores_it(
    sync_app: App, make_contract: MakeContract
) -> None:
    _synced(sync_app, make_contract)
    _edit_in_salesforce(sync_app, ContractTerm=24)

    report = poll_inbound(sync_app, "test")

    assert [(c.field, c.outcome) for c in report.changes] == [("ContractTerm", "kept")]
    assert sync_app.contracts.get("C-1").version == 1
    assert _plan_fields(sync_app) == {"ContractTerm"}
    _deliver(sync_app)
    [row] = _client(sync_app).query_all("SELECT ContractTerm FROM Contract")
    assert row["ContractTerm"] == 12
    assert poll_inbound(sync_app, "test").changes == ()  # contractsync's own write


def test_newest_wins_takes_the_later_change(sync_app: App, make_contract: MakeContract) -> None:
    _synced(sync_app, make_contract)
    _edit_in_salesforce(sync_app, CS_Renewal_Notice_Days__c=45)

    newer = poll_inbound(sync_app, "test")

    assert [(c.field, c.outcome) for c in newer.changes] == [
        ("CS_Renewal_Notice_Days__c", "applied")
    ]
    notice = sync_app.contracts.get("C-1").contract.renewal_notice_period
    assert notice is not None
    assert notice.value == Duration(days=45)

    # Salesforce changes first, then the contract: the contract's value is newer and stays.
    _edit_in_salesforce(sync_app, CS_Renewal_Notice_Days__c=60)
    current = sync_app.contracts.get("C-1")
    sync_app.contracts.update(
        current.contract.with_changes({"title": "Renamed"}),
        expected_version=current.version,
        actor="t",
        reason="rename",
    )
    older = poll_inbound(sync_app, "test")

    assert [(c.field, c.outcome) for c in older.changes] == [("CS_Renewal_Notice_Days__c", "kept")]
    assert sync_app.contracts.get("C-1").version == current.version + 1


def test_manual_changes_and_refused_ones_are_parked_for_a_person(
    sync_app: App, make_contract: MakeContract, opened: list[CliState]
) -> None:
    _synced(sync_app, make_contract)
    # A draft contract cannot become active in one step: the status change is refused.
    _edit_in_salesforce(sync_app, CS_Region__c="APAC", Status="Activated")

    report = poll_inbound(sync_app, "test")

    outcomes = {c.field: c.outcome for c in report.changes}
    assert outcomes["CS_Region__c"] == "parked"
    assert outcomes["Status"].startswith("refused: Contract 'C-1' cannot move from 'draft'")
    assert sync_app.contracts.get("C-1").version == 1
    repository = InboundRepository(sync_app.database, sync_app.audit)
    pending = {(p.field, p.salesforce_value, p.contractsync_value) for p in repository.pending()}
    assert pending == {("CS_Region__c", "APAC", "EMEA"), ("Status", "Activated", "Draft")}
    assert sync_app.audit.entries(entity_key="C-1")[-1].action == "inbound.parked"

    runner = CliRunner()
    cli = Typer()
    cli.add_typer(inbound_app, name="inbound")
    listed = runner.invoke(
        cli, ["inbound", "pending", "--json"], obj=_cli(sync_app.settings, opened)
    )
    assert listed.exit_code == 0, listed.output
    assert '"salesforce": "APAC"' in listed.output
    polled = runner.invoke(cli, ["inbound"], obj=_cli(sync_app.settings, opened))
    assert polled.exit_code == 0, polled.output
    assert "0 changed record(s) read" in polled.output  # nothing new, nothing parked twice
    assert len(repository.pending()) == 2


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_contractsyncs_own_writes_through_a_real_sync_are_not_taken_as_changes(
    sync_app: App, make_contract: MakeContract
) -> None:
    sync_app.contracts.create(_contract(make_contract), actor="t", reason="new")
    with durable_engine(sync_app):
        start_sync("test", None, today=TODAY, actor="tester")
        poll_inbound(sync_app, "test")
        current = sync_app.contracts.get("C-1")
        moved = current.contract.with_changes(
            {"effective_date": {"value": "2025-06-01", "review": APPROVED}, "region": "APAC"}
        )
        sync_app.contracts.update(moved, expected_version=current.version, actor="t", reason="x")
        summary = start_sync("test", None, today=TODAY, actor="tester")
    assert summary["delivered"]["updated"] == 1

    report = poll_inbound(sync_app, "test")

    assert (report.read, report.echoes, report.changes) == (1, 1, ())
    assert sync_app.contracts.get("C-1").version == 2
