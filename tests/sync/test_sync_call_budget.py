"""API calls a sync makes against the sandbox org: at the floor for its channel.

Collections: ``ceil(n/200)`` calls per object (a last chunk of one record goes by REST, one
call all the same), one more per 200 contracts created Draft and then activated, and one
owner query while the owner is not known. A later run that changes one contract makes one
call. Calls are counted where the org client makes them.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sync_support import password_org

from contractsync.context import App
from contractsync.durable import durable_engine
from contractsync.model import Contract
from contractsync.salesforce import OrgClient
from contractsync.sandbox import SandboxOrg
from contractsync.settings import OrgSettings, load_settings
from contractsync.store import Database
from contractsync.sync import org_registry, owner_ids, start_sync
from contractsync.sync._owners import OwnerDirectory

TODAY = date(2026, 11, 28)
ADMIN_EMAIL = "admin@sandbox.contractsync.invalid"
APPROVED = {"state": "auto_approved"}
CONTRACTS = 201
ACTIVE_EVERY = 67
"""Contracts 0, 67 and 134 are active: created Draft, then activated in one collection."""


@pytest.fixture
def budget_app(packaged_org: SandboxOrg, tmp_path: Path) -> Iterator[App]:
    store_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    database = Database(store_url)
    database.upgrade()
    database.dispose()
    org = password_org(packaged_org)
    app = App.open(
        load_settings(data_dir=tmp_path / "data", database_url=store_url, orgs={"test": org})
    )
    yield app
    app.close()


def _contract(make_contract: Callable[..., Contract], n: int) -> Contract:
    key = f"C-{n:03d}"
    return make_contract(
        key,
        status="active" if n % ACTIVE_EVERY == 0 else "draft",
        initial_term={"value": {"months": 12}, "review": APPROVED},
        auto_renew={"value": True, "review": APPROVED},
        renewal_notice_period={"value": {"days": 30}, "review": APPROVED},
        account={"key": f"ACC-{key}", "name": f"Account of {key}"},
        owners={"account_manager": {"email": ADMIN_EMAIL}},
        obligations=[
            {
                "value": {"key": "REPORT", "kind": "reporting", "description": "Report"},
                "review": APPROVED,
            }
        ],
    )


def _per_object(seen: list[str]) -> Counter[str]:
    """Calls by object (``upsert 200 Account`` and ``upsert Account KEY`` alike), and reads
    by kind."""
    counted: Counter[str] = Counter()
    for what in seen:
        words = what.split()
        if words[0] == "upsert":
            counted[words[2] if words[1].isdigit() else words[1]] += 1
        else:
            counted[words[0]] += 1
    return counted


def test_new_and_changed_contracts_cost_the_floor_in_calls(
    budget_app: App,
    make_contract: Callable[..., Contract],
    record_calls: Callable[[OrgClient], list[str]],
) -> None:
    for n in range(CONTRACTS):
        budget_app.contracts.create(_contract(make_contract, n), actor="t", reason="new")
    seen = record_calls(org_registry(budget_app).client("test"))

    with durable_engine(budget_app):
        first = start_sync("test", None, today=TODAY, actor="t")

        assert first["status"] == "complete"
        assert first["delivered"]["created"] == 3 * CONTRACTS
        assert _per_object(seen) == {
            "describe": 3,  # the mapping checked against the org: once per process a while
            "query": 1,  # the owner, not known yet
            "Account": 2,
            "Contract": 2 + 1,  # and one collection activating the three active ones
            "CS_Obligation__c": 2,
        }

        seen.clear()
        current = budget_app.contracts.get("C-100")
        renamed = current.contract.with_changes({"title": "Renamed"})
        budget_app.contracts.update(
            renamed, expected_version=current.version, actor="t", reason="rename"
        )
        second = start_sync("test", None, today=TODAY, actor="t")

        assert second["planned"]["update"] == 1
        assert seen == ["upsert Contract C-100"]  # mapping checked, owner known: no read

        seen.clear()
        again = start_sync("test", None, today=TODAY, actor="t")
        assert again["already_done"]
        assert seen == []
    rows = (
        org_registry(budget_app)
        .client("test")
        .query_all(
            "SELECT CS_Key__c, Status, Name, OwnerId FROM Contract WHERE CS_Key__c IN "
            "('C-000', 'C-067', 'C-100', 'C-134')"
        )
    )
    by_key = {row["CS_Key__c"]: row for row in rows}
    assert [by_key[k]["Status"] for k in ("C-000", "C-067", "C-134")] == ["Activated"] * 3
    assert by_key["C-100"]["Name"] == "Renamed"
    assert by_key["C-100"]["OwnerId"].startswith("005")


class _Users:
    """An org's user query, counted."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []
        self.ids = {"a@example.com": "005A", "b@example.com": "005B"}

    def find_users(self, match_on: str, values: list[str]) -> dict[str, str]:
        self.asked.append(list(values))
        return {value: self.ids[value] for value in values if value in self.ids}


def _item(email: str) -> dict[str, Any]:
    return {"owner": ["Email", email]}


def test_owners_are_asked_for_once_per_lifetime_and_again_after_a_refusal() -> None:
    now = [0.0]
    directory = OwnerDirectory(ttl_s=600, clock=lambda: now[0])
    users = _Users()
    items: Any = [_item("A@example.com"), _item("b@example.com"), _item("nobody@example.com")]

    found = owner_ids(users, items, directory)  # type: ignore[arg-type]
    assert found == {"Email:a@example.com": "005A", "Email:b@example.com": "005B"}
    assert users.asked == [["a@example.com", "b@example.com", "nobody@example.com"]]

    now[0] = 599.0
    assert owner_ids(users, items, directory) == found  # type: ignore[arg-type]
    assert users.asked[1:] == [["nobody@example.com"]]  # no user is not an answer to keep

    directory.forget_refused(
        [
            {
                "payload": {"OwnerId": "005A"},
                "errors": [{"code": "INACTIVE_OWNER_OR_USER", "message": "", "fields": []}],
            },
            {  # refused for another field: its owner stays known
                "payload": {"OwnerId": "005B"},
                "errors": [{"code": "STRING_TOO_LONG", "message": "", "fields": ["Name"]}],
            },
        ]
    )
    users.ids["a@example.com"] = "005C"  # the mailbox now belongs to another, active user
    assert owner_ids(users, items, directory)["Email:a@example.com"] == "005C"  # type: ignore[arg-type]
    assert users.asked[2:] == [["a@example.com", "nobody@example.com"]]

    now[0] = 1200.0  # every answer has expired
    owner_ids(users, items, directory)  # type: ignore[arg-type]
    assert users.asked[3:] == [["a@example.com", "b@example.com", "nobody@example.com"]]


def test_without_a_directory_owners_are_always_asked_for() -> None:
    users = _Users()
    items: Any = [_item("a@example.com")]
    owner_ids(users, items)  # type: ignore[arg-type]
    owner_ids(users, items)  # type: ignore[arg-type]
    assert len(users.asked) == 2


def test_a_sync_reads_its_contracts_from_the_store_once(
    budget_app: App, make_contract: Callable[..., Contract], monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        budget_app.contracts.create(_contract(make_contract, n + 1), actor="t", reason="new")
    loads: list[int] = []
    load_all = budget_app.contracts.all

    def counted(**kwargs: Any) -> Any:
        loads.append(1)
        return load_all(**kwargs)

    monkeypatch.setattr(budget_app.contracts, "all", counted)
    with durable_engine(budget_app):
        summary = start_sync("test", None, today=TODAY, actor="t")

    assert summary["status"] == "complete"
    assert summary["planned"]["create"] == 9
    assert len(loads) == 1


def test_threads_asking_for_an_org_share_one_client(
    budget_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = org_registry(budget_app)
    original = registry._auth

    def slow_auth(name: str, org: OrgSettings) -> Any:
        time.sleep(0.05)  # long enough for every thread to ask before the first is done
        return original(name, org)

    monkeypatch.setattr(registry, "_auth", slow_auth)
    with ThreadPoolExecutor(max_workers=4) as pool:
        clients = list(pool.map(lambda _: registry.client("test"), range(4)))

    assert len({id(client) for client in clients}) == 1
