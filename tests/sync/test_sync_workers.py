"""Two worker processes on one PostgreSQL store and engine never deliver a record twice.

Both run ``contractsync sync --org it`` at the same time against a sandbox org slowed by
injected latency: for overlapping sets of contracts (two runs, both planning the shared
records as new), and for the same contracts, the second joining while the first is
delivering (one run, which the second must not take over). Either way every record is in
the org once, ``sync_state`` has one row per record, and the audit log one ``sync.created``
entry per record and no other delivery.
"""

from __future__ import annotations

import time

import pytest
from sync_support import ORG, SyncHarness

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.parametrize("store_url", ["postgres"], indirect=True),
]

CONTRACTS = 240
RECORDS = 3 * CONTRACTS


def _only(keys: list[str]) -> list[str]:
    return [arg for key in keys for arg in ("--contract", key)]


@pytest.mark.parametrize("selection", ["overlapping", "same"])
def test_two_workers_deliver_each_record_once(harness: SyncHarness, selection: str) -> None:
    keys = harness.load_contracts(CONTRACTS)
    harness.org.set_faults("latency=300")

    if selection == "overlapping":
        first, first_log = harness.start("sync", "--org", ORG, *_only(keys[:160]))
        second, second_log = harness.start("sync", "--org", ORG, *_only(keys[80:]))
        while harness.confirmed() == 0:
            time.sleep(0.005)
    else:
        first, first_log = harness.start("sync", "--org", ORG)
        while harness.confirmed() == 0:
            time.sleep(0.005)
        second, second_log = harness.start("sync", "--org", ORG)
    assert first.poll() is None, "the workers must overlap in time"
    assert second.poll() is None, "the workers must overlap in time"
    assert harness.confirmed() < RECORDS

    assert first.wait(timeout=120) == 0, first_log.read_text()
    assert second.wait(timeout=120) == 0, second_log.read_text()
    harness.org.set_faults("")

    harness.assert_delivered_exactly_once()
    assert harness.confirmed() == RECORDS
    deliveries = harness.audit_actions()
    assert sum(deliveries.values()) == RECORDS, "a record was delivered more than once"
    assert {action for action, _, _ in deliveries} == {"sync.created"}
