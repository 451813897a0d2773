"""Transient faults on every channel delay delivery but lose nothing; permanent refusals
park exactly the refused records, with the fields the org named, and nothing else.

Through the CLI against the sandbox org, with one in five calls of REST single upserts,
sObject collections and Bulk API 2.0 jobs failing (unavailable, concurrency limit, a row
lock, or a 500 *after* the write committed, which a retry then finds already done).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from sync_support import ORG, SyncHarness, synced_contract

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]

TRANSIENT = ("unavailable", "concurrent", "unknown_after_commit")
CODES = {
    "unavailable": "SERVER_UNAVAILABLE",
    "concurrent": "REQUEST_LIMIT_EXCEEDED",
    "unknown_after_commit": "UNKNOWN_EXCEPTION",
}


def _faults(seed: int, rate: float) -> str:
    """``rate`` of the calls of each write channel fail, spread over the transient faults;
    as many rows of collections and Bulk jobs find their row locked."""
    rules = [
        f"{family}:{fault}={rate / len(TRANSIENT):.3f}"
        for family in ("rest", "composite", "bulk")
        for fault in TRANSIENT
    ]
    rules += [f"composite:lock={rate}", f"bulk:lock={rate}", f"query:unavailable={rate}"]
    return ",".join([f"seed={seed}", *rules])


def _failed_calls(data_dir: Path) -> Counter[str]:
    """Salesforce error codes of the failed calls the sync processes logged."""
    found: Counter[str] = Counter()
    for line in (data_dir / "logs" / "contractsync.log").read_text().splitlines():
        if "salesforce call failed" in line:
            found[line.split(" code=")[1].split()[0]] += 1
    return found


def test_one_call_in_five_failing_on_every_channel_still_delivers_everything(
    harness: SyncHarness, tmp_path: Path
) -> None:
    harness.env |= {
        f"CONTRACTSYNC_ORGS__{ORG.upper()}__BULK_THRESHOLD": "20",
        "CONTRACTSYNC_LOG_LEVEL": "INFO",
    }
    harness.org.set_faults(_faults(seed=7, rate=0.2))
    # 40 contracts: Bulk jobs (40 records an object); 10 more: collections; 1 more: REST.
    for count, start in ((40, 0), (10, 40), (1, 50)):
        harness.load_contracts(count, start=start)
        synced = harness.run("sync", "--org", ORG)
        assert synced.returncode == 0, synced
        # A write retried after it committed finds the record there: "updated".
        written = re.search(r"(\d+) created, (\d+) updated", synced.stdout)
        assert written, synced
        assert int(written[1]) + int(written[2]) == 3 * count, synced
        assert "(complete," in synced.stdout, synced
    harness.org.set_faults("")

    harness.assert_delivered_exactly_once()
    assert harness.app.dead_letters.list() == []
    failed = _failed_calls(tmp_path / "data")
    assert set(CODES.values()) <= set(failed), failed
    assert sum(failed.values()) >= 10, failed


BAD = {
    "BAD-NAME": {"title": "n" * 120},  # Contract.Name takes 80 characters
    "BAD-ACCOUNT": {"account": {"key": "ACC-BAD-ACCOUNT", "name": "Bad", "domain": "w" * 300}},
    "BAD-OBLIGATION": {  # CS_Description__c is a long text area of 32,768 characters
        "obligations": [
            {
                "value": {"key": "REPORT", "kind": "reporting", "description": "d" * 33_000},
                "review": {"state": "auto_approved"},
            }
        ]
    },
}
REFUSED = {  # (sObject, key) → the field the org names
    ("Contract", "BAD-NAME"): "Name",
    ("Account", "ACC-BAD-ACCOUNT"): "Website",
    ("CS_Obligation__c", "BAD-OBLIGATION:REPORT"): "CS_Description__c",
}
WAITING = {  # children of refused records: never sent, no letter of their own
    ("CS_Obligation__c", "BAD-NAME:REPORT"),
    ("Contract", "BAD-ACCOUNT"),
    ("CS_Obligation__c", "BAD-ACCOUNT:REPORT"),
}


@pytest.mark.parametrize("bulk_threshold", ["2000", "5"], ids=["collections", "bulk"])
def test_refused_records_and_only_those_are_dead_lettered_with_their_fields(
    harness: SyncHarness, bulk_threshold: str
) -> None:
    harness.env[f"CONTRACTSYNC_ORGS__{ORG.upper()}__BULK_THRESHOLD"] = bulk_threshold
    harness.load_contracts(30)
    for n, (key, changes) in enumerate(BAD.items()):
        contract = synced_contract(key, n, **changes)
        harness.app.contracts.create(contract, actor="test", reason="bad data")
    harness.org.set_faults(_faults(seed=3, rate=0.1))

    synced = harness.run("sync", "--org", ORG)

    harness.org.set_faults("")
    assert synced.returncode == 1, synced
    assert "3 record(s) were not delivered" in synced.stderr + synced.stdout, synced
    letters = harness.app.dead_letters.list()
    assert {(letter.sobject, letter.external_key): letter.error_fields for letter in letters} == {
        identity: (field,) for identity, field in REFUSED.items()
    }
    assert {letter.error_code for letter in letters} <= {"STRING_TOO_LONG", "INVALID_URL"}
    assert all(letter.payload and letter.message for letter in letters)
    harness.assert_delivered_exactly_once(absent=REFUSED.keys() | WAITING)
