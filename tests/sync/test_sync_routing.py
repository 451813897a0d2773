"""Multi-org routing: each org receives the contracts its rules select, with its own limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sync_support import password_org

from contractsync.context import App
from contractsync.durable import durable_engine
from contractsync.mapping import default_mapping_path, load_mapping
from contractsync.model import Contract
from contractsync.package import install_in_sandbox
from contractsync.sandbox import SandboxOrg
from contractsync.settings import OrgSettings, load_settings
from contractsync.sync import org_registry, start_sync

TODAY = date(2026, 11, 28)


def _org_settings(org: SandboxOrg, route: dict[str, list[str]]) -> OrgSettings:
    return password_org(
        org,
        route=route,
    )


@pytest.fixture
def two_orgs() -> Iterator[tuple[SandboxOrg, SandboxOrg]]:
    with SandboxOrg() as emea, SandboxOrg() as amer:
        for org in (emea, amer):
            install_in_sandbox(org, load_mapping(default_mapping_path()))
        yield emea, amer


def test_contracts_go_to_the_orgs_their_routing_rules_select(
    two_orgs: tuple[SandboxOrg, SandboxOrg],
    tmp_path: Path,
    make_contract: Callable[..., Contract],
) -> None:
    emea, amer = two_orgs
    settings = load_settings(
        data_dir=tmp_path / "data",
        orgs={
            "emea": _org_settings(emea, {"region": ["EMEA"]}),
            "amer": _org_settings(amer, {"region": ["AMER"], "contract_type": ["subscription"]}),
        },
    )
    app = App.open(settings, require_schema=False)
    app.database.upgrade()
    try:
        for key, region, kind in [
            ("E-1", "EMEA", "subscription"),
            ("E-2", "EMEA", "nda"),
            ("A-1", "AMER", "subscription"),
            ("A-2", "AMER", "nda"),
        ]:
            account = {"key": f"ACC-{key}", "name": f"Account {key}"}
            contract = make_contract(key, region=region, contract_type=kind, account=account)
            app.contracts.create(contract, actor="t", reason="new")
        with durable_engine(app):
            summaries = {
                name: start_sync(name, None, today=TODAY, actor="t") for name in ("emea", "amer")
            }
        registry = org_registry(app)
        keys = {
            name: sorted(
                row["CS_Key__c"]
                for row in registry.client(name).query_all("SELECT CS_Key__c FROM Contract")
            )
            for name in ("emea", "amer")
        }
    finally:
        app.close()

    assert keys == {"emea": ["E-1", "E-2"], "amer": ["A-1"]}
    assert summaries["emea"]["delivered"]["created"] == 4  # two accounts, two contracts
    assert summaries["amer"]["delivered"]["created"] == 2
    # Each org has its own confirmed state: a record confirmed in one is unknown to the other.
    assert set(app.sync_state.confirmed("amer")) == {("Account", "ACC-A-1"), ("Contract", "A-1")}
