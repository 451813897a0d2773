"""``contractsync dlq replay`` and ``POST /dead-letters/replay`` share one replay function."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from api_support import fix_title, refused_and_delivered

from contractsync.cli import main
from contractsync.context import App
from contractsync.durable import durable_engine
from contractsync.sandbox import SandboxInfo

Key = Callable[[str], str]


def test_the_cli_replays_through_the_same_function(
    store: App,
    key: Key,
    packaged_sandbox: SandboxInfo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = key("BAD")
    with durable_engine(store):
        refused_and_delivered(store, key("GOOD"), bad)
    [letter] = store.dead_letters.list()
    settings = store.settings
    org = settings.orgs["test"]
    environment = {
        "DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.store_url,
        "ACTOR": "cli:tester",
        "ORGS__TEST__FLOW": "password",
        "ORGS__TEST__LOGIN_URL": packaged_sandbox.login_url,
        "ORGS__TEST__CLIENT_ID": packaged_sandbox.client_id,
        "ORGS__TEST__CLIENT_SECRET": packaged_sandbox.client_secret,
        "ORGS__TEST__USERNAME": packaged_sandbox.username,
        "ORGS__TEST__PASSWORD": packaged_sandbox.password,
        "ORGS__TEST__CA_BUNDLE": str(org.ca_bundle or ""),
    }
    for name, value in environment.items():
        monkeypatch.setenv(f"CONTRACTSYNC_{name}", value)
    monkeypatch.setenv("COLUMNS", "200")

    assert main(["dlq", "replay"]) == 1
    assert f"Dead letter(s) {letter.id} still refused" in capsys.readouterr().err
    assert store.dead_letters.get(letter.id).attempts == 2

    fix_title(store, bad)
    assert main(["dlq", "replay", str(letter.id)]) == 0
    assert "Org 'test': 2 created" in capsys.readouterr().out  # the contract and its obligation
    replayed = store.dead_letters.get(letter.id)
    assert (replayed.status, replayed.resolved_by) == ("delivered", "cli:tester")
