"""The calls a Bulk API 2.0 job makes against the sandbox org: result files are read only
when the job's counters say they hold rows, and every record still gets its result."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from contractsync.salesforce import JOB_CALLS, OrgClient
from contractsync.salesforce._bulk import JobPace

KEY_FIELD = "CS_Key__c"


def _kinds(seen: list[str]) -> Counter[str]:
    """Calls by kind; result reads by the file they read."""
    kinds: Counter[str] = Counter()
    for what in seen:
        words = what.split()
        kinds[f"results {words[2].rsplit('/', 1)[1]}" if words[1] == "results" else words[1]] += 1
    return kinds


def test_a_job_whose_rows_all_succeed_reads_only_the_successful_results(
    org_client: OrgClient, record_calls: Callable[[OrgClient], list[str]]
) -> None:
    records = [(f"ACC-{n}", {"Name": f"Account {n}"}) for n in range(30)]
    seen = record_calls(org_client)

    results = org_client.upsert_bulk("Account", KEY_FIELD, records)

    assert [(r.key, r.success, r.created) for r in results] == [(k, True, True) for k, _ in records]
    assert all(r.sf_id and r.sf_id.startswith("001") for r in results)
    kinds = _kinds(seen)
    polls = kinds.pop("poll")
    assert polls >= 1
    assert kinds == {"job": 1, "upload": 1, "close": 1, "results successfulResults": 1}
    assert len(seen) - (polls - 1) == JOB_CALLS  # the least a job costs, one poll in it


def test_failed_rows_are_read_and_matched_to_their_records(
    org_client: OrgClient, record_calls: Callable[[OrgClient], list[str]]
) -> None:
    records = [("ACC-OK", {"Name": "Fine"}), ("ACC-BAD", {"Name": "x" * 300})]
    seen = record_calls(org_client)

    good, bad = org_client.upsert_bulk("Account", KEY_FIELD, records)

    assert (good.key, good.success) == ("ACC-OK", True)
    assert (bad.key, bad.success, bad.errors[0].code) == ("ACC-BAD", False, "STRING_TOO_LONG")
    kinds = _kinds(seen)
    kinds.pop("poll")
    assert kinds == {
        "job": 1,
        "upload": 1,
        "close": 1,
        "results successfulResults": 1,
        "results failedResults": 1,
    }


def test_the_first_poll_waits_as_long_as_the_last_job_of_the_object_took() -> None:
    pace = JobPace()
    guess = pace.first_wait("Account", 4000)
    assert 0 < guess < 30

    pace.observe("Account", 1000, 2.0, first_poll=False)  # done between two later polls
    assert pace.first_wait("Account", 3000) == pytest.approx(6.0)
    assert pace.first_wait("Contract", 4000) == guess  # other objects keep the guess

    pace.observe("Account", 1000, 2.0, first_poll=True)  # done by the first poll: maybe sooner
    assert pace.first_wait("Account", 1000) < 2.0
    assert pace.first_wait("Account", 10**9) == 30.0  # never longer than the cap
