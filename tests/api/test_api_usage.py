"""``/sync/status`` API usage: the org's recent report when there is one, else one short ask.

A dashboard polls this endpoint; it must neither spend each org's daily allowance nor wait
through the client's retries for an org that is down.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_support import LOOPBACK, org_settings
from fastapi.testclient import TestClient

from contractsync.api import create_api
from contractsync.context import App
from contractsync.salesforce import OrgClient
from contractsync.sandbox import SandboxOrg
from contractsync.settings import OrgSettings
from contractsync.sync import org_registry


class MovableClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def flaky() -> Iterator[SandboxOrg]:
    """An org of its own, whose faults this file sets without touching the shared one."""
    with SandboxOrg() as org:
        yield org


@pytest.fixture
def org_overrides(flaky: SandboxOrg) -> dict[str, OrgSettings]:
    return {"flaky": org_settings(flaky.info)}


@pytest.fixture
def status_client(store: App) -> TestClient:
    """The API without its lifespan: the status needs no engine."""
    return TestClient(create_api(store), client=LOOPBACK)


def _org_client(store: App, name: str) -> tuple[OrgClient, MovableClock]:
    client = org_registry(store).client(name)
    clock = MovableClock()
    client.limits.clock = clock
    return client, clock


def _status(client: TestClient) -> dict[str, dict[str, Any]]:
    response = client.get("/sync/status")
    assert response.status_code == 200, response.text
    return {org["org"]: org for org in response.json()["orgs"]}


def test_a_recent_reading_is_answered_without_calling_the_org(
    store: App, status_client: TestClient
) -> None:
    client, clock = _org_client(store, "test")
    client.describe_global()  # any call: every response reports usage
    reading = client.limits.usage
    assert reading is not None
    calls = client.calls
    clock.now += timedelta(minutes=4)

    usage = _status(status_client)["test"]["api_usage"]

    assert client.calls == calls
    assert usage == {
        "state": "ok",
        "used": reading.used,
        "max": reading.total,
        "age_s": 240.0,
        "error_code": None,
    }


def test_an_old_or_missing_reading_is_refreshed_with_one_call(
    store: App, status_client: TestClient
) -> None:
    client, clock = _org_client(store, "test")
    assert client.limits.usage is None
    calls = client.calls

    first = _status(status_client)["test"]["api_usage"]
    assert (first["state"], first["age_s"], client.calls) == ("ok", 0.0, calls + 1)
    assert 0 < first["used"] <= first["max"]

    clock.now += timedelta(minutes=2)
    assert _status(status_client)["test"]["api_usage"]["age_s"] == 120.0
    assert client.calls == calls + 1

    clock.now += timedelta(minutes=3)  # five minutes old: asked again
    again = _status(status_client)["test"]["api_usage"]
    assert (again["age_s"], client.calls) == (0.0, calls + 2)


def test_an_org_that_fails_is_asked_once_and_answers_unreachable(
    store: App, status_client: TestClient, flaky: SandboxOrg
) -> None:
    client, _ = _org_client(store, "flaky")
    flaky.set_faults("limits:unavailable=1.0")
    calls = client.calls

    status = _status(status_client)

    assert status["flaky"]["api_usage"] == {
        "state": "unreachable",
        "used": None,
        "max": None,
        "age_s": None,
        "error_code": "retryable",
    }
    assert client.calls == calls + 1
    assert status["test"]["api_usage"]["state"] == "ok"  # one org down fails no other


def test_an_org_that_hangs_is_given_up_on_after_a_short_timeout(
    store: App, status_client: TestClient, flaky: SandboxOrg, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, clock = _org_client(store, "flaky")
    client.describe_global()  # logged in already, so only the /limits call can hang
    clock.now += timedelta(hours=1)
    monkeypatch.setattr("contractsync.api._sync.USAGE_TIMEOUT_S", 0.2)
    flaky.set_faults("limits:hang=1.0")

    started = time.monotonic()
    usage = _status(status_client)["flaky"]["api_usage"]

    # The org's own timeout is a minute, and the client's policy retries six times.
    assert time.monotonic() - started < 20
    assert (usage["state"], usage["error_code"]) == ("unreachable", "retryable")


def test_queue_depths_that_cannot_be_read_answer_null(
    status_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(*_: object) -> dict[str, int]:
        raise RuntimeError("the engine's system database is gone")

    monkeypatch.setattr("contractsync.api._sync.queued_runs", unreadable)

    status = _status(status_client)

    assert sorted(status) == ["flaky", "test"]
    assert [org["queued"] for org in status.values()] == [None, None]
    assert status["test"]["api_usage"]["state"] == "ok"
