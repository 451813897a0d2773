"""Relative date literals cover the days Salesforce documents, counted from ``now``."""

from __future__ import annotations

import datetime as dt

import pytest

from contractsync.sandbox._soql_dates import day_range, instant_range

D = dt.date
# A Wednesday in the second quarter; the week (Sunday first) runs 06-15 to 06-21.
TODAY = D(2025, 6, 18)

RANGES = [
    ("YESTERDAY", None, D(2025, 6, 17), D(2025, 6, 18)),
    ("TODAY", None, D(2025, 6, 18), D(2025, 6, 19)),
    ("TOMORROW", None, D(2025, 6, 19), D(2025, 6, 20)),
    ("LAST_WEEK", None, D(2025, 6, 8), D(2025, 6, 15)),
    ("THIS_WEEK", None, D(2025, 6, 15), D(2025, 6, 22)),
    ("NEXT_WEEK", None, D(2025, 6, 22), D(2025, 6, 29)),
    ("LAST_MONTH", None, D(2025, 5, 1), D(2025, 6, 1)),
    ("THIS_MONTH", None, D(2025, 6, 1), D(2025, 7, 1)),
    ("NEXT_MONTH", None, D(2025, 7, 1), D(2025, 8, 1)),
    ("LAST_90_DAYS", None, D(2025, 3, 20), D(2025, 6, 19)),
    ("NEXT_90_DAYS", None, D(2025, 6, 19), D(2025, 9, 17)),
    ("LAST_QUARTER", None, D(2025, 1, 1), D(2025, 4, 1)),
    ("THIS_QUARTER", None, D(2025, 4, 1), D(2025, 7, 1)),
    ("NEXT_QUARTER", None, D(2025, 7, 1), D(2025, 10, 1)),
    ("LAST_YEAR", None, D(2024, 1, 1), D(2025, 1, 1)),
    ("THIS_YEAR", None, D(2025, 1, 1), D(2026, 1, 1)),
    ("NEXT_YEAR", None, D(2026, 1, 1), D(2027, 1, 1)),
    ("LAST_N_DAYS", 1, D(2025, 6, 17), D(2025, 6, 19)),
    ("LAST_N_DAYS", 30, D(2025, 5, 19), D(2025, 6, 19)),
    ("NEXT_N_DAYS", 1, D(2025, 6, 19), D(2025, 6, 20)),
    ("NEXT_N_DAYS", 15, D(2025, 6, 19), D(2025, 7, 4)),
    ("N_DAYS_AGO", 3, D(2025, 6, 15), D(2025, 6, 16)),
    ("LAST_N_MONTHS", 2, D(2025, 4, 1), D(2025, 6, 1)),
    ("NEXT_N_MONTHS", 2, D(2025, 7, 1), D(2025, 9, 1)),
    ("LAST_N_WEEKS", 1, D(2025, 6, 8), D(2025, 6, 15)),
    ("NEXT_N_WEEKS", 2, D(2025, 6, 22), D(2025, 7, 6)),
    ("LAST_N_QUARTERS", 2, D(2024, 10, 1), D(2025, 4, 1)),
    ("NEXT_N_YEARS", 1, D(2026, 1, 1), D(2027, 1, 1)),
]


@pytest.mark.parametrize(
    ("name", "n", "start", "end"),
    RANGES,
    ids=[name if n is None else f"{name}:{n}" for name, n, *_ in RANGES],
)
def test_each_literal_covers_its_documented_days(
    name: str, n: int | None, start: dt.date, end: dt.date
) -> None:
    assert day_range(name, n, TODAY) == (start, end)


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (D(2025, 1, 15), D(2024, 12, 1), D(2025, 1, 1)),
        (D(2024, 3, 31), D(2024, 2, 1), D(2024, 3, 1)),
    ],
    ids=["across-a-year", "into-a-leap-february"],
)
def test_last_month_crosses_boundaries(today: dt.date, start: dt.date, end: dt.date) -> None:
    assert day_range("LAST_MONTH", None, today) == (start, end)


def test_a_sunday_starts_its_own_week() -> None:
    sunday = D(2025, 6, 15)
    assert day_range("THIS_WEEK", None, sunday) == (sunday, D(2025, 6, 22))


def test_datetime_fields_compare_against_utc_midnights() -> None:
    assert instant_range((D(2025, 6, 18), D(2025, 6, 19))) == (
        dt.datetime(2025, 6, 18, tzinfo=dt.UTC),
        dt.datetime(2025, 6, 19, tzinfo=dt.UTC),
    )
