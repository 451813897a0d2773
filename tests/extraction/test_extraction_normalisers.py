"""The normalisers: dates, numbers, durations, money and jurisdictions."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from contractsync.extraction import (
    parse_date,
    parse_duration,
    parse_money,
    parse_number,
    resolve_jurisdiction,
)
from contractsync.extraction._dates import DATE
from contractsync.model import Duration, Money

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


@given(dates, st.sampled_from(["-", "/", "."]), st.booleans())
def test_year_first_dates_round_trip(day: date, separator: str, padded: bool) -> None:
    month, dom = (f"{day.month:02}", f"{day.day:02}") if padded else (day.month, day.day)
    text = f"{day.year}{separator}{month}{separator}{dom}"
    assert parse_date(text) == day
    if padded or separator != ".":  # "2019.1.2" is a release number to a scan
        found = re.search(DATE, f"signed on {text}.", re.IGNORECASE)
        assert found is not None
        assert found.group() == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020/12/31", date(2020, 12, 31)),
        ("2020.12.31", date(2020, 12, 31)),
        ("2020-1-5", date(2020, 1, 5)),
        ("Dated 29/3/18", date(2018, 3, 29)),
        ("31/12/2020", date(2020, 12, 31)),
        ("2020/13/01", None),  # dateparser would read year, day, month
        ("2020/02/30", None),
    ],
    ids=str,
)
def test_numeric_date_orders(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_dates_that_are_not_dates() -> None:
    assert parse_date("June 31, 2019") is None
    assert parse_date("this ___ day of ______, 2004") is None
    assert parse_date("5 de marzo de 2019") == date(2019, 3, 5)  # dateparser's fallback
    assert re.search(DATE, "release 2019.1.2 of the software") is None


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


amounts = st.decimals(min_value=0, max_value=10**12, places=2)
# The spaces that group thousands in typeset text: plain, no-break, narrow no-break.
SPACES = ["\u0020", "\u00a0", "\u202f"]


def _european(us: str) -> str:
    return us.translate(str.maketrans(",.", ".,"))


@given(amounts)
def test_money_in_us_format(amount: Decimal) -> None:
    expected = Money(amount=amount, currency="USD")
    assert parse_money(f"${amount:,}") == expected
    assert parse_money(f"USD {amount:,}") == expected
    assert parse_money(f"{amount:,} dollars") == expected


@given(amounts)
def test_money_in_european_format(amount: Decimal) -> None:
    written = _european(f"{amount:,}")  # 1.234.567,89
    expected = Money(amount=amount, currency="EUR")
    assert parse_money(f"€{written}") == expected
    assert parse_money(f"{written} EUR") == expected
    assert parse_money(f"{written} €") == expected


@given(amounts, st.sampled_from(["'", "\u2019"]))
def test_money_in_swiss_format(amount: Decimal, apostrophe: str) -> None:
    written = f"{amount:,}".replace(",", apostrophe)  # 1'234'567.89
    assert parse_money(f"CHF {written}") == Money(amount=amount, currency="CHF")


@given(amounts, st.sampled_from(SPACES))
def test_money_spaced(amount: Decimal, space: str) -> None:
    written = _european(f"{amount:,}").replace(".", space)  # 1 234 567,89
    assert parse_money(f"{written} EUR") == Money(amount=amount, currency="EUR")
    assert parse_money(f"SEK {written}") == Money(amount=amount, currency="SEK")


@given(st.integers(min_value=1_000_000, max_value=10**15), st.sampled_from([".", "'", " "]))
def test_whole_money_with_several_groups(amount: int, separator: str) -> None:
    written = f"{amount:,}".replace(",", separator)  # 1.000.000: dots that must group
    assert parse_money(f"{written} EUR") == Money(amount=Decimal(amount), currency="EUR")


@given(st.integers(min_value=1_000, max_value=999_999))
def test_money_that_reads_two_ways_is_refused(amount: int) -> None:
    # "€1.000" is a thousand euros in Berlin and one euro in a price list with mills.
    assert parse_money(f"€{amount:,}".replace(",", ".")) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€1.000.000,00", Money(amount=Decimal("1000000"), currency="EUR")),
        ("1.000.000 EUR", Money(amount=Decimal("1000000"), currency="EUR")),
        ("CHF 5'000", Money(amount=Decimal("5000"), currency="CHF")),
        ("CHF 5'000.\u2013", Money(amount=Decimal("5000"), currency="CHF")),
        ("$5,000", Money(amount=Decimal("5000"), currency="USD")),
        ("EUR 12,5 million", Money(amount=Decimal("12500000"), currency="EUR")),
        ("$1.500 million", Money(amount=Decimal("1500000"), currency="USD")),
        ("$0.125 per share", Money(amount=Decimal("0.125"), currency="USD")),
        ("€1.000", None),
        ("1.234,567 EUR", None),
        ("1,000.000.000 EUR", None),
        ("1.000.000.00 EUR", None),
        ("₹1,00,000", None),  # lakh grouping, which this does not read
    ],
    ids=str,
)
def test_money_separators(text: str, expected: Money | None) -> None:
    assert parse_money(text) == expected


def test_money_scales_and_symbols() -> None:
    assert parse_money("$2.5 million") is not None
    assert parse_money("$2.5 million").amount == Decimal("2500000")  # type: ignore[union-attr]
    assert parse_money("£300").currency == "GBP"  # type: ignore[union-attr]
    assert parse_money("C$ 10") is not None
    assert parse_money("the fee") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thirty five hundred", 3500),
        ("thirty-five hundred", 3500),
        ("one hundred and twenty", 120),
        ("one hundred twenty", 120),
        ("twenty-four", 24),
        ("Twenty Four", 24),
        ("ninety (90)", 90),
        ("a hundred", 100),
        ("three thousand, five hundred", 3500),
        ("thirty days", 30),
        ("twenty twenty", None),
        ("the fee", None),
    ],
    ids=str,
)
def test_numbers_in_words(text: str, expected: int | None) -> None:
    assert parse_number(text) == expected


@given(st.integers(min_value=0, max_value=10**9))
def test_numbers_in_words_round_trip(number: int) -> None:
    words = num2words(number)  # "one thousand, two hundred and thirty-four"
    assert parse_number(words) == number
    assert parse_number(words.replace(" and ", " ").replace(",", "")) == number


@given(st.integers(min_value=11, max_value=99))
def test_hundreds_of_a_two_digit_number(number: int) -> None:
    assert parse_number(f"{num2words(number)} hundred") == number * 100


def test_durations_in_compound_words() -> None:
    assert parse_duration("twenty-four (24) months") == Duration(months=24)
    assert parse_duration("twenty-four months") == Duration(months=24)
    assert parse_duration("one hundred and twenty days") == Duration(days=120)


# Sorted: pycountry returns sets, and parallel test workers must collect the same order.
US_STATES = sorted(
    (s for s in pycountry.subdivisions.get(country_code="US") if s.type in {"State", "District"}),
    key=lambda s: s.code,
)
CANADA = sorted(pycountry.subdivisions.get(country_code="CA"), key=lambda s: s.code)


def _country_names() -> list[tuple[str, str]]:
    """Every name pycountry gives a country, and the inverted ones the other way round."""
    names = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                names.add((name, country.alpha_2))
                if "," in name:  # "Korea, Republic of" is written "Republic of Korea"
                    head, tail = (part.strip() for part in name.split(",", 1))
                    names.add((f"{tail} {head}", country.alpha_2))
    return sorted(names)


COUNTRY_NAMES = _country_names()


@pytest.mark.parametrize("state", US_STATES, ids=lambda state: state.name)
def test_every_us_state(state: pycountry.Subdivision) -> None:
    assert len(US_STATES) == 51  # the fifty states and DC
    for phrase in (state.name, f"the laws of the State of {state.name}"):
        law = resolve_jurisdiction(phrase)
        assert law is not None, phrase
        assert (law.country, law.subdivision) == ("US", state.code), phrase


@pytest.mark.parametrize("province", CANADA, ids=lambda province: province.name)
def test_every_canadian_province_and_territory(province: pycountry.Subdivision) -> None:
    assert len(CANADA) == 13
    for phrase in (province.name, f"the laws of the Province of {province.name}"):
        law = resolve_jurisdiction(phrase)
        assert law is not None, phrase
        assert (law.country, law.subdivision) == ("CA", province.code), phrase


@pytest.mark.parametrize(("name", "code"), COUNTRY_NAMES, ids=[n for n, _ in COUNTRY_NAMES])
def test_every_country(name: str, code: str) -> None:
    # "Georgia" in a contract from a US filing is the state; the country is named in full.
    expected = ("US", "US-GA") if name == "Georgia" else (code, None)
    for phrase in (name, f"the laws of {name}"):
        law = resolve_jurisdiction(phrase)
        assert law is not None, phrase
        assert (law.country, law.subdivision) == expected, phrase


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("the State of Nevada", "US-NV"),
        ("the laws of the State of Maryland, without regard to conflicts of law", "US-MD"),
        ("Maryland and the federal laws of the United States", "US-MD"),
        ("Maryland County, Liberia", "LR-MY"),  # the named country claims its county
        ("Montana", "US-MT"),
        ("the United Mexican States", "MX"),
        ("Mexico", "MX"),
        ("the Grand Duchy of Luxembourg", "LU"),
        ("Niger", "NE"),
        ("Nigeria", "NG"),
        ("the Republic of Georgia", "GE"),
        ("Puerto Rico", "PR"),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [("$2.4 million", "2400000"), ("EUR 1.25 thousand", "1250"), ("$0.5 million", "500000")],
)
def test_scaled_amounts_keep_no_spurious_decimals(text: str, expected: str) -> None:
    money = parse_money(text)
    assert money is not None
    assert str(money.amount) == expected


def test_dollar_amounts_are_not_grouped_with_spaces() -> None:
    assert parse_money("a fee of $500 100 days after delivery") == parse_money("$500")
    assert parse_money("EUR 5 000 000") == parse_money("EUR 5,000,000")
