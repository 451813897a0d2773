"""A sync killed with SIGKILL, again and again, still delivers every record exactly once.

Real ``contractsync`` processes against a sandbox org that outlives them (it runs in the
test process, slowed by injected latency so that kills land mid-run). One run is killed
four times: as soon as the store has the first confirmed records; inside a delivery step,
when the org holds contracts the store has not confirmed (created in Draft, not yet
activated); and, at a seeded random moment near the end, the ``workflows recover`` process
resuming it. A last ``sync`` finishes the run. Then every record is in the org once with
its values, ``sync_state`` agrees, the audit chain holds, and a further sync writes nothing.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
from sync_support import ORG, SyncHarness

pytestmark = pytest.mark.slow

CONTRACTS = 240
RECORDS = 3 * CONTRACTS  # an account, a contract and an obligation each
LATENCY = "latency=250"
SEED = 20261128


def _modstamps(harness: SyncHarness) -> dict[str, str]:
    return {
        row["Id"]: row["SystemModstamp"]
        for sobject in ("Account", "Contract", "CS_Obligation__c")
        for row in harness.org_rows(sobject, ["SystemModstamp"])
    }


def test_a_sync_killed_again_and_again_delivers_every_record_exactly_once(
    harness: SyncHarness,
) -> None:
    harness.load_contracts(CONTRACTS)
    harness.org.set_faults(LATENCY)
    rng = random.Random(SEED)

    # 1. As soon as the first confirmed records reach the store.
    sync, log = harness.start("sync", "--org", ORG)
    harness.kill_when(sync, lambda: harness.confirmed() > 0)
    assert 0 < harness.confirmed() < RECORDS, log.read_text()

    # 2. Mid-step: the restarted sync resumes the run and is killed while the org holds
    #    contracts that the store has not confirmed.
    def org_ahead() -> bool:
        in_org = harness.org_holds("Contract")  # read first: the org is written first
        return in_org > harness.confirmed("Contract")

    sync, log = harness.start("sync", "--org", ORG)
    harness.kill_when(sync, org_ahead)
    assert harness.org_holds("Contract") > harness.confirmed("Contract"), log.read_text()

    # 3. Near the end, at a seeded random moment: the process recovering the run.
    delay = rng.uniform(0.0, 0.3)
    recover, log = harness.start("workflows", "recover")
    harness.kill_when(recover, lambda: harness.confirmed() >= 2 * CONTRACTS, then_wait=delay)
    assert harness.confirmed() < RECORDS, f"seed {SEED}: the run ended before the kill"

    # 4. A sync finishes the interrupted run, then finds these contract versions delivered.
    harness.org.set_faults("")
    finished = harness.run("sync", "--org", ORG)
    assert finished.returncode == 0, finished
    assert "is up to date" in finished.stdout, finished

    harness.assert_delivered_exactly_once()
    confirmations = harness.audit_actions()
    per_record = Counter((sobject, key) for (_, sobject, key) in confirmations.elements())
    assert len(per_record) == RECORDS  # every record's delivery is in the audit log
    created = Counter(
        (s, k) for (action, s, k) in confirmations.elements() if action == "sync.created"
    )
    assert max(created.values()) == 1  # and no record was created twice

    # A further sync plans nothing and writes nothing.
    before = _modstamps(harness)
    planned = harness.run("sync", "--org", ORG, "--dry-run")
    assert planned.returncode == 0, planned
    assert f"0 to create, 0 to update, 0 to remove, {RECORDS} unchanged" in planned.stdout
    again = harness.run("sync", "--org", ORG)
    assert again.returncode == 0, again
    assert "nothing written" in again.stdout
    assert _modstamps(harness) == before
