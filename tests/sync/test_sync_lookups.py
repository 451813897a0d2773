"""Lookups of existing Accounts by domain at delivery, against the sandbox org: ties,
misses, dead letters naming the field, and one query per lookup field per chunk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from simple_salesforce import Salesforce
from sync_support import password_org

from contractsync.context import App
from contractsync.durable import durable_engine
from contractsync.mapping import default_mapping_path
from contractsync.model import Contract
from contractsync.sandbox import SandboxOrg, sandbox_requests_session
from contractsync.settings import load_settings
from contractsync.sync import org_registry, start_sync

TODAY = date(2026, 11, 28)
APPROVED = {"state": "auto_approved"}


def _mapping_file(tmp_path: Path, *, keep_account: bool, **lookup: Any) -> Path:
    """The default mapping with Contract.AccountId found by the account's domain."""
    data = yaml.safe_load(default_mapping_path().read_text(encoding="utf-8"))
    contract = next(obj for obj in data["objects"] if obj["name"] == "contract")
    del contract["references"]
    contract["lookups"] = {
        "AccountId": {
            "sobject": "Account",
            "match": {"Website": "{account.domain}"},
            "compare": "domain",
            **lookup,
        }
    }
    if not keep_account:
        data["objects"] = [obj for obj in data["objects"] if obj["name"] != "account"]
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _app(org: SandboxOrg, store_url: str, tmp_path: Path, mapping: Path) -> App:
    settings = password_org(
        org,
        mapping=mapping,
    )
    return App.open(
        load_settings(data_dir=tmp_path / "data", database_url=store_url, orgs={"test": settings})
    )


@pytest.fixture
def existing_accounts(packaged_org: SandboxOrg) -> Callable[..., str]:
    """Create an Account directly in the org, as someone else did: no contractsync key."""
    info = packaged_org.info
    sf = Salesforce(
        instance_url=info.instance_url,
        session_id=info.access_token,
        session=sandbox_requests_session(info),
    )

    def create(name: str, website: str) -> str:
        return str(sf.Account.create({"Name": name, "Website": website})["id"])

    return create


@pytest.fixture
def open_app(
    packaged_org: SandboxOrg, store_url: str, tmp_path: Path
) -> Iterator[Callable[..., App]]:
    """Open the app with a lookup mapping (keyword arguments: the lookup's rules)."""
    opened: list[App] = []

    def open_with(*, keep_account: bool, **lookup: Any) -> App:
        mapping = _mapping_file(tmp_path, keep_account=keep_account, **lookup)
        opened.append(_app(packaged_org, store_url, tmp_path, mapping))
        return opened[-1]

    yield open_with
    for app in opened:
        app.close()


def _contract(make_contract: Callable[..., Contract], key: str, domain: str | None) -> Contract:
    return make_contract(
        key,
        account={"key": f"ACC-{key}", "name": f"Account of {key}", "domain": domain},
        obligations=[
            {
                "value": {"key": "REPORT", "kind": "reporting", "description": "R"},
                "review": APPROVED,
            }
        ],
    )


def _sync(app: App) -> dict[str, Any]:
    with durable_engine(app):
        return start_sync("test", None, today=TODAY, actor="tester")


def test_accounts_are_found_by_domain_the_oldest_wins_a_tie_and_a_miss_is_a_dead_letter(
    open_app: Callable[..., App],
    existing_accounts: Callable[..., str],
    make_contract: Callable[..., Contract],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    oldest = existing_accounts("Acme (old)", "https://www.Acme.com/")
    existing_accounts("Acme (new)", "acme.com")
    beta = existing_accounts("Beta", "http://beta.io/en")
    app = open_app(keep_account=False, ties="oldest")
    for key, domain in [("C-1", "ACME.com"), ("C-2", "www.beta.io"), ("C-3", "nowhere.example")]:
        app.contracts.create(_contract(make_contract, key, domain), actor="t", reason="new")
    client = org_registry(app).client("test")
    queries: list[dict[str, Any]] = []
    original = client.match_records

    def counted(sobject: str, values: Any, *, contains: bool = False) -> list[dict[str, Any]]:
        queries.append(dict(values))
        return original(sobject, values, contains=contains)

    monkeypatch.setattr(client, "match_records", counted)

    summary = _sync(app)

    assert queries == [{"Website": ["acme.com", "beta.io", "nowhere.example"]}]  # one, batched
    rows = client.query_all("SELECT CS_Key__c, AccountId FROM Contract ORDER BY CS_Key__c")
    assert [(row["CS_Key__c"], row["AccountId"]) for row in rows] == [
        ("C-1", oldest),
        ("C-2", beta),
    ]
    assert summary["status"] == "partial"
    assert summary["delivered"]["dead_letters"] == 1
    assert summary["delivered"]["blocked"] == 1  # C-3's obligation waits for its contract
    [letter] = app.dead_letters.list(org="test")
    assert (letter.external_key, letter.error_code, letter.error_fields) == (
        "C-3",
        "LOOKUP_NOT_FOUND",
        ("AccountId",),
    )
    assert "Website = nowhere.example" in letter.message
    # The Id found is what the org confirmed: unchanged contracts are not looked up again.
    confirmed = app.sync_state.confirmed("test")
    assert confirmed[("Contract", "C-1")].snapshot["AccountId"] == oldest
    queries.clear()
    again = _sync(app)
    assert again["planned"]["unchanged"] == 4
    assert queries == [{"Website": ["nowhere.example"]}]


def test_a_tie_with_ties_fail_names_the_candidates_and_a_miss_creates_the_mapped_account(
    open_app: Callable[..., App],
    existing_accounts: Callable[..., str],
    make_contract: Callable[..., Contract],
) -> None:
    first = existing_accounts("Acme EMEA", "acme.com")
    second = existing_accounts("Acme US", "https://acme.com/")
    app = open_app(keep_account=True, ties="fail", missing="create", create="account")
    app.contracts.create(_contract(make_contract, "C-1", "acme.com"), actor="t", reason="new")
    app.contracts.create(_contract(make_contract, "C-2", "fresh.example"), actor="t", reason="new")

    summary = _sync(app)

    client = org_registry(app).client("test")
    [letter] = app.dead_letters.list(org="test")
    assert (letter.external_key, letter.error_code, letter.error_fields) == (
        "C-1",
        "LOOKUP_AMBIGUOUS",
        ("AccountId",),
    )
    assert first in letter.message
    assert second in letter.message
    accounts = client.query_all("SELECT Id, CS_Key__c, Website FROM Account ORDER BY Name")
    made = [row for row in accounts if row["CS_Key__c"]]
    # Only the contract whose lookup missed got an Account made for it.
    assert [(row["CS_Key__c"], row["Website"]) for row in made] == [("ACC-C-2", "fresh.example")]
    [row] = client.query_all("SELECT CS_Key__c, AccountId FROM Contract")
    assert (row["CS_Key__c"], row["AccountId"]) == ("C-2", made[0]["Id"])
    assert summary["delivered"]["created"] == 3  # the account, the contract, its obligation


def test_a_miss_under_skip_field_leaves_the_field_as_it_is_and_is_looked_up_again(
    open_app: Callable[..., App],
    existing_accounts: Callable[..., str],
    make_contract: Callable[..., Contract],
) -> None:
    acme = existing_accounts("Acme", "acme.com")
    app = open_app(keep_account=False, missing="skip-field")
    app.contracts.create(_contract(make_contract, "C-1", "acme.com"), actor="t", reason="new")
    app.contracts.create(_contract(make_contract, "C-2", "nobody.example"), actor="t", reason="new")
    client = org_registry(app).client("test")

    first = _sync(app)

    # A Contract needs its Account: the create sent without one is refused, naming it.
    [letter] = app.dead_letters.list(org="test")
    assert (letter.external_key, letter.error_code) == ("C-2", "REQUIRED_FIELD_MISSING")
    assert "AccountId" in letter.error_fields
    assert first["delivered"]["dead_letters"] == 1

    # C-1's company moves to a domain the org does not know yet: the update goes through
    # and keeps the Account it had, rather than failing or clearing it.
    current = app.contracts.get("C-1")
    moved = current.contract.with_changes(
        {
            "title": "Moved contract",
            "account": {"key": "ACC-C-1", "name": "Account of C-1", "domain": "acme.example"},
        }
    )
    app.contracts.update(moved, expected_version=current.version, actor="t", reason="moved")
    _sync(app)
    [row] = client.query_all("SELECT Name, AccountId FROM Contract WHERE CS_Key__c = 'C-1'")
    assert (row["Name"], row["AccountId"]) == ("Moved contract", acme)

    # The field was left out, not settled: once the Account exists, the next run sets it.
    renamed = existing_accounts("Acme (renamed)", "https://acme.example/")
    _sync(app)
    [row] = client.query_all("SELECT AccountId FROM Contract WHERE CS_Key__c = 'C-1'")
    assert row["AccountId"] == renamed
    confirmed = app.sync_state.confirmed("test")
    assert confirmed[("Contract", "C-1")].snapshot["AccountId"] == renamed
