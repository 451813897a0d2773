"""The normalisers: dates, numbers, durations, money and jurisdictions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractsync.extraction import (
    parse_date,
    parse_duration,
    parse_money,
    parse_number,
    resolve_jurisdiction,
)
from contractsync.model import Duration

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
WORDS = {1: "one", 2: "two", 3: "three", 5: "five", 12: "twelve", 30: "thirty", 60: "sixty",
         90: "ninety", 180: "one hundred eighty"}  # fmt: skip
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


@given(dates)
def test_month_name_dates_round_trip(day: date) -> None:
    assert parse_date(f"{MONTHS[day.month - 1]} {day.day}, {day.year}") == day
    assert parse_date(f"the {day.day}th day of {MONTHS[day.month - 1]}, {day.year}") == day
    assert parse_date(f"{day.day} {MONTHS[day.month - 1]} {day.year}") == day


@given(dates)
def test_numeric_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.month}/{day.day}/{day.year}") == day


def test_dates_that_are_not_dates() -> None:
    assert parse_date("June 31, 2019") is None
    assert parse_date("this ___ day of ______, 2004") is None
    assert parse_date("5 de marzo de 2019") == date(2019, 3, 5)  # dateparser's fallback


@given(st.integers(min_value=1, max_value=99), st.sampled_from(["year", "month", "day", "week"]))
def test_durations_in_digits(amount: int, unit: str) -> None:
    plural = "s" if amount != 1 else ""
    expected = {
        "year": Duration(months=12 * amount),
        "month": Duration(months=amount),
        "day": Duration(days=amount),
        "week": Duration(days=7 * amount),
    }[unit]
    assert parse_duration(f"{amount} {unit}{plural}") == expected
    assert parse_duration(f"{amount}-{unit}") == expected


@pytest.mark.parametrize(("amount", "words"), sorted(WORDS.items()))
def test_durations_in_words_and_digits(amount: int, words: str) -> None:
    assert parse_duration(f"{words} ({amount}) days") == Duration(days=amount)
    assert parse_duration(f"{words} days") == Duration(days=amount)
    assert parse_number(words) == amount


@given(st.decimals(min_value=1, max_value=10**9, places=2))
def test_money_round_trip(amount: Decimal) -> None:
    assert parse_money(f"${amount:,}") == parse_money(f"USD {amount}")
    money = parse_money(f"EUR {amount:,}")
    assert money is not None
    assert money.amount == amount
    assert money.currency == "EUR"


def test_money_scales_and_symbols() -> None:
    assert parse_money("$2.5 million") is not None
    assert parse_money("$2.5 million").amount == Decimal("2500000")  # type: ignore[union-attr]
    assert parse_money("£300").currency == "GBP"  # type: ignore[union-attr]
    assert parse_money("C$ 10") is not None
    assert parse_money("the fee") is None


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("the State of Nevada", "US-NV"),
        ("the Province of Ontario and the federal laws of Canada", "CA-ON"),
        ("England and Wales", "GB-ENG"),
        ("the Commonwealth of Massachusetts", "US-MA"),
        ("the People's Republic of China", "CN"),
        ("Hong Kong", "HK"),
        ("the Republic of Kazakhstan", "KZ"),
        ("Canada and the Province of British Columbia", "CA-BC"),
        ("Texas; Singapore; Belgium", "US-TX"),
        ("Swiss", "CH"),
        ("the  Province  of  British  Columbia", "CA-BC"),
        ("the R.O.C.", "TW"),
        ("Colombian", "CO"),
    ],
)
def test_jurisdictions(phrase: str, code: str) -> None:
    law = resolve_jurisdiction(phrase)
    assert law is not None
    assert (law.subdivision or law.country) == code


def test_no_jurisdiction() -> None:
    assert resolve_jurisdiction("the state in which the restaurant is located") is None
