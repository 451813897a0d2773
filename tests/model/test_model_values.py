"""Value types of the canonical model: durations, money, review state, evidence, provenance."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from contractsync.model import (
    Duration,
    Evidence,
    Money,
    Provenance,
    Review,
    ReviewState,
    Tracked,
    add_months,
    shift,
)

SHA = "a" * 64

# Dates far enough from date.min/date.max that any valid Duration can move them.
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
months = st.integers(min_value=0, max_value=1200)
days = st.integers(min_value=0, max_value=36600)
durations = (
    st.tuples(months, days)
    .filter(lambda parts: parts != (0, 0))
    .map(lambda parts: Duration(months=parts[0], days=parts[1]))
)


# ---- Duration: validation and JSON shape ----


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({}, "needs months or days", id="empty"),
        pytest.param({"months": 0, "days": 0}, "needs months or days", id="all-zero"),
        pytest.param({"months": -1}, "greater than or equal to 0", id="negative-months"),
        pytest.param({"days": -30}, "greater than or equal to 0", id="negative-days"),
        pytest.param({"months": 1201}, "less than or equal to 1200", id="too-many-months"),
        pytest.param({"years": 1}, "Extra inputs are not permitted", id="unknown-unit"),
        pytest.param({"months": 1.5}, "valid integer", id="fractional-months"),
    ],
)
def test_duration_rejects_invalid_input(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Duration.model_validate(data)


@pytest.mark.parametrize(
    ("duration", "json"),
    [
        pytest.param(Duration(months=12), {"months": 12}, id="months-only"),
        pytest.param(Duration(days=30), {"days": 30}, id="days-only"),
        pytest.param(Duration(months=1, days=15), {"months": 1, "days": 15}, id="both"),
    ],
)
def test_duration_serialises_without_zero_parts(duration: Duration, json: dict[str, int]) -> None:
    assert duration.model_dump() == json
    assert duration.model_dump(mode="json") == json
    assert Duration.model_validate(json) == duration


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        pytest.param(Duration(months=1), "1 month", id="one-month"),
        pytest.param(Duration(months=12), "12 months", id="months"),
        pytest.param(Duration(days=1), "1 day", id="one-day"),
        pytest.param(Duration(months=2, days=10), "2 months 10 days", id="both"),
    ],
)
def test_duration_reads_as_words(duration: Duration, text: str) -> None:
    assert str(duration) == text


def test_duration_is_immutable() -> None:
    duration = Duration(months=12)
    with pytest.raises(ValidationError, match="frozen"):
        duration.months = 6  # type: ignore[misc]


# ---- Duration: calendar arithmetic ----


@pytest.mark.parametrize(
    ("duration", "start", "end"),
    [
        pytest.param(Duration(months=1), date(2025, 1, 31), date(2025, 2, 28), id="jan31-feb28"),
        pytest.param(Duration(months=1), date(2024, 1, 31), date(2024, 2, 29), id="leap-feb29"),
        pytest.param(Duration(months=1), date(2025, 3, 31), date(2025, 4, 30), id="mar31-apr30"),
        pytest.param(Duration(months=12), date(2024, 2, 29), date(2025, 2, 28), id="leap-day"),
        pytest.param(Duration(months=48), date(2024, 2, 29), date(2028, 2, 29), id="leap-4y"),
        pytest.param(Duration(months=13), date(2025, 12, 15), date(2027, 1, 15), id="year-wrap"),
        pytest.param(Duration(days=30), date(2025, 2, 1), date(2025, 3, 3), id="days"),
        pytest.param(Duration(days=1), date(2025, 12, 31), date(2026, 1, 1), id="new-year"),
        pytest.param(
            Duration(months=1, days=1), date(2025, 1, 31), date(2025, 3, 1), id="months-then-days"
        ),
    ],
)
def test_duration_after(duration: Duration, start: date, end: date) -> None:
    assert duration.after(start) == end


@pytest.mark.parametrize(
    ("duration", "end", "start"),
    [
        pytest.param(Duration(months=1), date(2025, 3, 31), date(2025, 2, 28), id="mar31-feb28"),
        pytest.param(Duration(months=1), date(2024, 3, 31), date(2024, 2, 29), id="leap-feb29"),
        pytest.param(Duration(days=90), date(2028, 1, 31), date(2027, 11, 2), id="notice-days"),
        pytest.param(Duration(months=3), date(2026, 1, 15), date(2025, 10, 15), id="year-wrap"),
        pytest.param(Duration(days=1), date(2026, 1, 1), date(2025, 12, 31), id="old-year"),
    ],
)
def test_duration_before(duration: Duration, end: date, start: date) -> None:
    assert duration.before(end) == start


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2025, 1, 31), 1, date(2025, 2, 28), id="clamp"),
        pytest.param(date(2025, 1, 31), -2, date(2024, 11, 30), id="backwards-clamp"),
        pytest.param(date(2025, 1, 15), -1, date(2024, 12, 15), id="backwards-year"),
        pytest.param(date(2025, 5, 20), 0, date(2025, 5, 20), id="zero"),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_shift_moves_months_first_then_days() -> None:
    assert shift(date(2025, 1, 30), months=1, days=1) == date(2025, 3, 1)
    assert shift(date(2025, 1, 29), months=1, days=-1) == date(2025, 2, 27)


@given(duration=durations, start=dates)
def test_after_never_goes_back(duration: Duration, start: date) -> None:
    assert duration.after(start) >= start
    assert duration.before(start) <= start


@given(count=st.integers(min_value=1, max_value=36600), start=dates)
def test_days_before_undoes_days_after(count: int, start: date) -> None:
    duration = Duration(days=count)
    assert duration.before(duration.after(start)) == start
    assert (duration.after(start) - start).days == count


@given(start=dates, first=st.integers(-1200, 1200), second=st.integers(-1200, 1200))
def test_add_months_is_monotonic_in_months(start: date, first: int, second: int) -> None:
    low, high = sorted((first, second))
    assert add_months(start, low) <= add_months(start, high)


@given(start=dates, count=st.integers(-1200, 1200))
def test_add_months_keeps_the_day_or_clamps_to_month_end(start: date, count: int) -> None:
    moved = add_months(start, count)
    assert (moved.year * 12 + moved.month) - (start.year * 12 + start.month) == count
    next_day_month = (moved + timedelta(days=1)).month
    assert moved.day == start.day or (moved.day < start.day and next_day_month != moved.month)


@given(count=st.integers(min_value=1, max_value=1200), start=dates.filter(lambda d: d.day <= 28))
def test_months_before_undoes_months_after_without_clamping(count: int, start: date) -> None:
    duration = Duration(months=count)
    assert duration.before(duration.after(start)) == start


def test_mixed_duration_before_undoes_after_without_clamping() -> None:
    duration = Duration(months=1, days=5)
    start = date(2025, 1, 28)
    assert duration.after(start) == date(2025, 3, 5)
    assert duration.before(date(2025, 3, 5)) == start  # gives 2025-01-31


# ---- Money ----


@pytest.mark.parametrize(
    "amount",
    [
        pytest.param("1200000", id="string"),
        pytest.param(1200000, id="int"),
        pytest.param(Decimal("1200000.00"), id="decimal"),
    ],
)
def test_money_amount_is_decimal(amount: object) -> None:
    money = Money.model_validate({"amount": amount, "currency": "EUR"})
    assert isinstance(money.amount, Decimal)
    assert money.amount == Decimal(1200000)
    assert str(money) == f"{money.amount:,} EUR"


def test_money_keeps_decimal_precision_through_json() -> None:
    money = Money(amount=Decimal("0.10"), currency="USD")
    dumped = money.model_dump(mode="json")
    assert dumped == {"amount": "0.10", "currency": "USD"}
    assert Money.model_validate(dumped).amount == Decimal("0.10")
    assert str(Money(amount=Decimal("1200000"), currency="EUR")) == "1,200,000 EUR"


@pytest.mark.parametrize("code", ["USD", "EUR", "GBP", "JPY", "CHF"])
def test_money_accepts_iso_4217_codes(code: str) -> None:
    assert Money(amount=Decimal(1), currency=code).currency == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param("XYZ", "'XYZ' is not an ISO 4217 currency code (e.g. USD", id="unknown"),
        pytest.param("usd", "should match pattern", id="lowercase"),
        pytest.param("US", "should match pattern", id="too-short"),
        pytest.param("$", "should match pattern", id="symbol"),
    ],
)
def test_money_rejects_unknown_currencies(code: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        Money.model_validate({"amount": "1", "currency": code})


@pytest.mark.parametrize(
    "amount", [pytest.param("NaN", id="nan"), pytest.param("Infinity", id="infinity")]
)
def test_money_refuses_non_finite_amounts(amount: str) -> None:
    with pytest.raises(ValidationError, match="amount"):
        Money.model_validate({"amount": amount, "currency": "USD"})


# ---- Review ----


@pytest.mark.parametrize("state", [ReviewState.APPROVED, ReviewState.EDITED, ReviewState.REJECTED])
def test_human_review_states_need_a_reviewer(state: ReviewState) -> None:
    with pytest.raises(ValidationError, match=f"review state '{state}' needs the reviewer"):
        Review(state=state)
    assert Review(state=state, reviewer="legal@contoso.example").reviewer is not None


@pytest.mark.parametrize("state", [ReviewState.PENDING, ReviewState.AUTO_APPROVED])
def test_machine_review_states_need_no_reviewer(state: ReviewState) -> None:
    assert Review(state=state).reviewer is None


@pytest.mark.parametrize(
    ("state", "trusted"),
    [
        pytest.param(ReviewState.AUTO_APPROVED, True, id="auto-approved"),
        pytest.param(ReviewState.APPROVED, True, id="approved"),
        pytest.param(ReviewState.EDITED, True, id="edited"),
        pytest.param(ReviewState.PENDING, False, id="pending"),
        pytest.param(ReviewState.REJECTED, False, id="rejected"),
    ],
)
def test_only_decided_values_are_trusted(state: ReviewState, trusted: bool) -> None:
    review = Review(state=state, reviewer="someone")
    assert state.is_trusted is trusted
    assert Tracked[int](value=1, review=review).trusted is trusted


def test_tracked_value_defaults_to_pending_review() -> None:
    tracked = Tracked[int](value=1)
    assert tracked.review.state is ReviewState.PENDING
    assert not tracked.trusted


def test_review_refuses_naive_datetimes() -> None:
    with pytest.raises(ValidationError, match="instants must carry a time zone"):
        Review(state=ReviewState.PENDING, at=datetime(2025, 1, 2, 10, 0))  # noqa: DTZ001


def test_review_normalises_instants_to_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    review = Review(at=datetime(2025, 1, 2, 12, 0, tzinfo=plus_two))
    assert review.at == datetime(2025, 1, 2, 10, 0, tzinfo=UTC)
    assert review.at is not None
    assert review.at.utcoffset() == timedelta(0)


def test_provenance_refuses_naive_datetimes() -> None:
    with pytest.raises(ValidationError, match="instants must carry a time zone"):
        Provenance(source="rules/1.0", recorded_at=datetime(2025, 1, 2))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"source": ""}, "at least 1 character", id="empty-source"),
        pytest.param({"source": "x", "confidence": 1.5}, "less than or equal", id="over-one"),
        pytest.param({"source": "x", "confidence": -0.1}, "greater than or equal", id="negative"),
    ],
)
def test_provenance_rejects_invalid_input(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Provenance.model_validate(data)


# ---- Evidence ----


def _evidence(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "document_sha256": SHA,
        "page": 1,
        "start": 10,
        "end": 20,
        "snippet": "the words!",
    }
    data.update(changes)
    return data


def test_evidence_span_may_be_empty() -> None:
    evidence = Evidence.model_validate(_evidence(start=5, end=5, snippet=""))
    assert (evidence.start, evidence.end) == (5, 5)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"start": 20, "end": 10}, "span end 10 is before its start 20", id="reversed"),
        pytest.param({"page": 0}, "greater than or equal to 1", id="page-zero"),
        pytest.param({"start": -1}, "greater than or equal to 0", id="negative-start"),
        pytest.param({"document_sha256": "A" * 64}, "should match pattern", id="uppercase-sha"),
        pytest.param({"document_sha256": "a" * 63}, "should match pattern", id="short-sha"),
    ],
)
def test_evidence_rejects_invalid_spans(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Evidence.model_validate(_evidence(**changes))
