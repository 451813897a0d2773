"""The pure core of the client layer: result shapes, failure classification, retry, limits."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractsync.salesforce import (
    Disposition,
    FieldError,
    LimitTracker,
    RecordResult,
    RetryPolicy,
    classify,
    parse_limit_info,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        pytest.param(
            {
                "message": "Required fields are missing: [Name]",
                "errorCode": "REQUIRED_FIELD_MISSING",
                "fields": ["Name"],
            },
            FieldError("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", ("Name",)),
            id="rest-errorCode",
        ),
        pytest.param(
            {"statusCode": "DUPLICATE_VALUE", "message": "duplicate value found", "fields": []},
            FieldError("DUPLICATE_VALUE", "duplicate value found"),
            id="collections-statusCode",
        ),
        pytest.param({"message": "odd"}, FieldError("UNKNOWN_ERROR", "odd"), id="no-code"),
    ],
)
def test_field_errors_from_api_shapes(error: dict[str, object], expected: FieldError) -> None:
    assert FieldError.from_api(error) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param(
            "REQUIRED_FIELD_MISSING:Required fields are missing: [AccountId]:AccountId --",
            FieldError(
                "REQUIRED_FIELD_MISSING", "Required fields are missing: [AccountId]", ("AccountId",)
            ),
            id="with-field",
        ),
        pytest.param(
            "UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--",
            FieldError("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record"),
            id="no-fields",
        ),
        pytest.param(
            "STRING_TOO_LONG:Name: data value too large:Name,Title__c --",
            FieldError("STRING_TOO_LONG", "Name: data value too large", ("Name", "Title__c")),
            id="two-fields",
        ),
    ],
)
def test_field_errors_from_bulk_result_cells(cell: str, expected: FieldError) -> None:
    assert FieldError.from_bulk(cell) == expected


def test_record_result_failed_keeps_every_error() -> None:
    result = RecordResult.failed("C-1", [FieldError("A", "a"), FieldError("B", "b")])
    assert not result.success
    assert result.error_codes == ("A", "B")


@pytest.mark.parametrize(
    ("status", "code", "message", "expected"),
    [
        pytest.param(
            401, "INVALID_SESSION_ID", "Session expired", Disposition.REAUTHENTICATE, id="expired"
        ),
        pytest.param(
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
            Disposition.PAUSE,
            id="daily-limit",
        ),
        pytest.param(
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "ConcurrentPerOrgLongTxn Limit exceeded.",
            Disposition.RETRY,
            id="concurrency",
        ),
        pytest.param(
            400,
            "UNABLE_TO_LOCK_ROW",
            "unable to obtain exclusive access",
            Disposition.RETRY,
            id="lock",
        ),
        pytest.param(
            None, "UNABLE_TO_LOCK_ROW", "per record", Disposition.RETRY, id="lock-per-record"
        ),
        pytest.param(503, "SERVER_UNAVAILABLE", "Server unavailable", Disposition.RETRY, id="503"),
        pytest.param(500, "UNKNOWN_EXCEPTION", "ErrorId 123", Disposition.RETRY, id="500"),
        pytest.param(502, "", "", Disposition.RETRY, id="502-no-body"),
        pytest.param(
            None,
            "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            "rolled back",
            Disposition.RETRY,
            id="collateral",
        ),
        pytest.param(
            400, "REQUIRED_FIELD_MISSING", "missing", Disposition.REJECT_RECORD, id="required"
        ),
        pytest.param(400, "DUPLICATE_VALUE", "dup", Disposition.REJECT_RECORD, id="duplicate"),
        pytest.param(
            None,
            "FIELD_CUSTOM_VALIDATION_EXCEPTION",
            "rule",
            Disposition.REJECT_RECORD,
            id="validation-rule",
        ),
        pytest.param(
            400, "INVALID_CROSS_REFERENCE_KEY", "bad ref", Disposition.REJECT_RECORD, id="reference"
        ),
        pytest.param(
            404,
            "NOT_FOUND",
            "The requested resource does not exist",
            Disposition.FAIL,
            id="not-found",
        ),
        pytest.param(
            403, "API_DISABLED_FOR_ORG", "API is not enabled", Disposition.FAIL, id="api-disabled"
        ),
        pytest.param(
            400,
            "INVALID_TYPE",
            "sObject type 'X' is not supported",
            Disposition.FAIL,
            id="bad-object",
        ),
    ],
)
def test_one_classifier_decides_what_each_failure_means(
    status: int | None, code: str, message: str, expected: Disposition
) -> None:
    error = FieldError(code, message) if code else None
    assert classify(status, error) is expected


def test_backoff_grows_exponentially_within_the_cap_and_honours_retry_after() -> None:
    policy = RetryPolicy(attempts=8, base_s=1.0, cap_s=10.0, rng=random.Random(7))
    ceilings = [1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0]
    delays = list(policy.delays())
    assert len(delays) == 7
    assert all(0.0 <= delay <= ceiling for delay, ceiling in zip(delays, ceilings, strict=True))
    assert policy.backoff(3, retry_after=2.5) == 2.5
    assert policy.backoff(3, retry_after=99.0) == 10.0


def test_the_same_seed_gives_the_same_delays() -> None:
    first = list(RetryPolicy(rng=random.Random(1)).delays())
    second = list(RetryPolicy(rng=random.Random(1)).delays())
    assert first == second


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"attempts": 0}, "at least one attempt", id="no-attempts"),
        pytest.param({"base_s": 5.0, "cap_s": 1.0}, "base_s <= cap_s", id="cap-below-base"),
    ],
)
def test_nonsense_retry_policies_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


@given(retry=st.integers(min_value=1, max_value=60), seed=st.integers(0, 2**32 - 1))
def test_backoff_is_never_negative_nor_above_the_cap(retry: int, seed: int) -> None:
    policy = RetryPolicy(base_s=0.5, cap_s=30.0, rng=random.Random(seed))
    assert 0.0 <= policy.backoff(retry) <= 30.0


def test_limit_info_header_parses_both_allowances() -> None:
    usage = parse_limit_info(
        "api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)", seen_at=NOW
    )
    assert usage["api-usage"].used == 25
    assert usage["api-usage"].remaining == 4975
    assert usage["per-app-api-usage"].total == 250
    assert usage["per-app-api-usage"].app == "sample-connected-app"


def test_the_tracker_keeps_a_reserve_for_other_integrations() -> None:
    tracker = LimitTracker(reserve_fraction=0.2, clock=lambda: NOW)
    assert tracker.allows(10_000)  # nothing known yet
    tracker.observe("api-usage=790/1000")
    assert tracker.allows(10)
    assert not tracker.allows(11)
    tracker.observe("api-usage=10/1000; per-app-api-usage=199/200(appName=cs)")
    assert not tracker.allows(1)
    assert tracker.usage is not None
    assert tracker.usage.used == 10


def test_the_tracker_reads_the_limits_resource() -> None:
    tracker = LimitTracker(clock=lambda: NOW)
    tracker.observe_limits({"DailyApiRequests": {"Max": 15000, "Remaining": 14000}})
    assert tracker.usage is not None
    assert (tracker.usage.used, tracker.usage.total) == (1000, 15000)


def test_a_reserve_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="fraction"):
        LimitTracker(reserve_fraction=1.5)
