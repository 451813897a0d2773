"""Health, sync runs and per-org status, and the read-only contract views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from api_support import LOOPBACK, TODAY, org_settings, refused_and_delivered, sync_contract
from fastapi.testclient import TestClient
from pydantic import SecretStr

from contractsync import __version__
from contractsync.api import create_api
from contractsync.context import App
from contractsync.errors import StoreError
from contractsync.model import LifecycleStatus
from contractsync.sandbox import SandboxInfo
from contractsync.settings import OrgSettings, load_settings
from contractsync.sync import start_sync

Key = Callable[[str], str]


@pytest.fixture
def org_overrides(packaged_sandbox: SandboxInfo) -> dict[str, OrgSettings]:
    """A second org whose login is refused: it never answers."""
    return {"locked": org_settings(packaged_sandbox, password=SecretStr("not-the-password"))}


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok", "version": __version__}
    assert client.get("/health/ready").json() == {"status": "ready", "store": "ok"}


def test_readiness_fails_on_a_store_without_its_schema(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'empty.sqlite'}"
    )
    app = App.open(settings, require_schema=False)
    try:
        # No lifespan: readiness must not depend on the engine.
        response = TestClient(create_api(app)).get("/health/ready")
    finally:
        app.close()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "store": "store_error"}
    assert "empty.sqlite" not in response.text


def test_sync_runs_and_status_per_org(store: App, client: TestClient, key: Key) -> None:
    status = {org["org"]: org for org in client.get("/sync/status").json()["orgs"]}
    assert status["test"]["last_run"] is None
    assert status["test"]["open_dead_letters"] == 0

    summary = refused_and_delivered(store, key("GOOD"), key("BAD"))

    runs = client.get("/sync/runs").json()
    assert runs["count"] == 1
    [run] = runs["items"]
    assert (run["run_id"], run["org"], run["status"]) == (summary["run_id"], "test", "partial")
    assert run["summary"]["delivered"]["dead_letters"] == 1
    assert run["finished_at"] is not None
    assert client.get("/sync/runs", params={"org": "locked"}).json() == {"count": 0, "items": []}
    assert client.get("/sync/runs", params={"limit": 0}).status_code == 422

    status = {org["org"]: org for org in client.get("/sync/status").json()["orgs"]}
    assert sorted(status) == ["locked", "test"]
    test = status["test"]
    assert (test["flow"], test["runs_in_progress"], test["open_dead_letters"]) == (
        "password",
        0,
        1,
    )
    assert (test["last_run"]["run_id"], test["last_run"]["status"]) == (
        summary["run_id"],
        "partial",
    )
    usage = test["api_usage"]
    assert usage["state"] == "ok"
    assert 0 < usage["used"] <= usage["max"]
    locked = status["locked"]
    assert locked["api_usage"] == {
        "state": "unreachable",
        "used": None,
        "max": None,
        "age_s": None,
        "error_code": "permanent",
    }
    assert (locked["last_run"], locked["open_dead_letters"]) == (None, 0)
    assert "not-the-password" not in client.get("/sync/status").text


def test_contracts_page_by_key_and_show_any_version(
    store: App, client: TestClient, key: Key
) -> None:
    keys = sorted(key(f"C{n}") for n in range(5))
    for contract_key in keys:
        store.contracts.create(sync_contract(contract_key), actor="tester", reason="new")
    current = store.contracts.get(keys[0])
    store.contracts.update(
        current.contract.with_changes({"title": "Renamed"}),
        expected_version=current.version,
        actor="tester",
        reason="rename",
    )
    store.contracts.transition(
        keys[1], LifecycleStatus.IN_REVIEW, expected_version=1, actor="tester", reason="review"
    )

    page = client.get("/contracts", params={"limit": 2, "offset": 2}).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    assert [item["key"] for item in page["items"]] == keys[2:4]
    assert client.get("/contracts", params={"offset": 5}).json()["items"] == []
    reviewing = client.get("/contracts", params={"status": "in_review"}).json()
    assert [(i["key"], i["status"]) for i in reviewing["items"]] == [(keys[1], "in_review")]
    assert client.get("/contracts", params={"status": "lost"}).status_code == 422
    assert client.get("/contracts", params={"limit": 201}).status_code == 422

    shown = client.get(f"/contracts/{keys[0]}").json()
    assert (shown["version"], shown["current_version"], shown["updated_by"]) == (2, 2, "tester")
    assert shown["record"]["title"] == "Renamed"
    assert shown["record"]["contract_key"] == keys[0]
    first = client.get(f"/contracts/{keys[0]}", params={"version": 1}).json()
    assert (first["version"], first["record"]["title"]) == (1, f"Contract {keys[0]}")

    missing = client.get(f"/contracts/{keys[0]}", params={"version": 7})
    assert missing.status_code == 404
    assert missing.json()["message"] == (
        f"Contract '{keys[0]}' has no version 7; its versions are 1 to 2."
    )
    unknown = client.get("/contracts/NOPE-1")
    assert unknown.status_code == 404
    assert unknown.json() == {
        "code": "not_found",
        "message": "No contract 'NOPE-1' in the store. List them with GET /contracts.",
    }


def test_an_earlier_version_shows_who_wrote_it_and_when(
    store: App, client: TestClient, key: Key
) -> None:
    contract_key = key("V")
    store.contracts.create(sync_contract(contract_key), actor="alice", reason="new")
    current = store.contracts.get(contract_key)
    store.contracts.update(
        current.contract.with_changes({"title": "Renamed"}),
        expected_version=1,
        actor="bob",
        reason="rename",
    )
    first, second = store.contracts.history(contract_key)

    shown = client.get(f"/contracts/{contract_key}", params={"version": 1}).json()
    assert (shown["version"], shown["current_version"], shown["updated_by"]) == (1, 2, "alice")
    assert datetime.fromisoformat(shown["updated_at"]) == first.created_at
    latest = client.get(f"/contracts/{contract_key}").json()
    assert (latest["version"], latest["updated_by"]) == (2, "bob")
    assert datetime.fromisoformat(latest["updated_at"]) == second.created_at
    assert shown["created_at"] == latest["created_at"]


def test_the_openapi_document_describes_every_endpoint(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert set(document["paths"]) == {
        "/health",
        "/health/ready",
        "/dead-letters",
        "/dead-letters/{letter_id}",
        "/dead-letters/{letter_id}/discard",
        "/dead-letters/replay",
        "/sync/runs",
        "/sync/status",
        "/contracts",
        "/contracts/{key}",
        "/metrics",
    }
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    discard = document["paths"]["/dead-letters/{letter_id}/discard"]["post"]
    assert {"401", "404", "409", "422"} <= set(discard["responses"])
    assert "security" not in document["paths"]["/health"]["get"]
    assert "DeadLetterDetail" in document["components"]["schemas"]


def test_a_sync_started_in_the_served_process_is_seen_as_a_run(
    store: App, client: TestClient, key: Key
) -> None:
    contract_key = key("ONE")
    store.contracts.create(sync_contract(contract_key), actor="tester", reason="new")
    summary = start_sync("test", [contract_key], today=TODAY, actor="tester")
    [run] = client.get("/sync/runs", params={"org": "test"}).json()["items"]
    assert (run["run_id"], run["status"]) == (summary["run_id"], "complete")


def test_errors_answer_json_with_a_code_and_no_traceback_or_secret(
    store: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = create_api(store)
    client = TestClient(api, raise_server_exceptions=False, client=LOOPBACK)

    def refused(*_: object) -> None:
        raise StoreError("Cannot open the database postgresql://cs:s3cr3t@db/cs: timed out.")

    monkeypatch.setattr(store.dead_letters, "get", refused)
    response = client.get("/dead-letters/1")
    assert response.status_code == 503
    assert response.json() == {
        "code": "store_error",
        "message": "Cannot open the database postgresql://cs:***@db/cs: timed out.",
    }

    def broken(*_: object) -> None:
        raise RuntimeError("password=s3cr3t in a place nobody expected")

    monkeypatch.setattr(store.dead_letters, "get", broken)
    response = client.get("/dead-letters/1")
    assert response.status_code == 500
    assert response.json() == {
        "code": "internal_error",
        "message": "Unexpected error; the server log has the details.",
    }
    assert "s3cr3t" not in response.text
    assert "Traceback" not in response.text
