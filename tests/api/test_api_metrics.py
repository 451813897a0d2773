"""``/metrics`` parses as Prometheus text and follows the store's counts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from api_support import org_settings, refused_and_delivered
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from contractsync.context import App
from contractsync.sandbox import SandboxInfo
from contractsync.settings import OrgSettings

Key = Callable[[str], str]
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def org_overrides(packaged_sandbox: SandboxInfo) -> dict[str, OrgSettings]:
    return {"quiet": org_settings(packaged_sandbox)}


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def test_metrics_count_dead_letters_runs_records_and_contracts(
    store: App, client: TestClient, key: Key
) -> None:
    before = scrape(client)
    assert before[("contractsync_dead_letters", (("org", "quiet"), ("status", "open")))] == 0
    assert before[("contractsync_dead_letters", (("org", "test"), ("status", "open")))] == 0
    assert not any(name == "contractsync_sync_runs" for name, _ in before)

    good, bad = key("GOOD"), key("BAD")
    refused_and_delivered(store, good, bad)
    after = scrape(client)

    assert after[("contractsync_dead_letters", (("org", "test"), ("status", "open")))] == 1
    assert after[("contractsync_dead_letters", (("org", "quiet"), ("status", "open")))] == 0
    assert after[("contractsync_sync_runs", (("org", "test"), ("status", "partial")))] == 1
    delivered = {
        dict(labels)["sobject"]: value
        for (name, labels), value in after.items()
        if name == "contractsync_records_delivered"
    }
    # GOOD's account, contract and obligation, and BAD's account; BAD's contract was refused
    # and its obligation waits for it.
    assert delivered == {"Account": 2, "Contract": 1, "CS_Obligation__c": 1}
    assert after[("contractsync_contracts", (("status", "draft"),))] == 2
    [started] = [
        value
        for (name, labels), value in after.items()
        if name == "contractsync_sync_last_run_started_timestamp_seconds"
    ]
    run = store.sync_runs.recent(org="test")[0]
    assert started == pytest.approx(run["started_at"].timestamp())

    [letter] = store.dead_letters.list()
    client.post(f"/dead-letters/{letter.id}/discard", json={"reason": "not needed"})
    discarded = scrape(client)
    assert discarded[("contractsync_dead_letters", (("org", "test"), ("status", "open")))] == 0
    assert discarded[("contractsync_dead_letters", (("org", "test"), ("status", "discarded")))] == 1


def test_metrics_text_declares_help_and_type(client: TestClient) -> None:
    text = client.get("/metrics").text
    for name in (
        "contractsync_dead_letters",
        "contractsync_sync_runs",
        "contractsync_records_delivered",
        "contractsync_contracts",
    ):
        assert f"# TYPE {name} gauge" in text
        assert f"# HELP {name} " in text
