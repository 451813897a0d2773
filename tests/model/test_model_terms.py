"""The structured terms: governing law, recurrences, obligations, escalators, amendments."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from contractsync.model import (
    Amendment,
    Duration,
    GoverningLaw,
    Obligation,
    ObligationKind,
    Owner,
    PriceEscalator,
    Recurrence,
    TerminationForConvenience,
    add_months,
)

# ---- GoverningLaw ----


@pytest.mark.parametrize(
    ("country", "subdivision"),
    [
        pytest.param("US", "US-NV", id="nevada"),
        pytest.param("CA", "CA-ON", id="ontario"),
        pytest.param("GB", "GB-ENG", id="england"),
        pytest.param("DE", None, id="country-only"),
    ],
)
def test_governing_law_accepts_iso_3166_codes(country: str, subdivision: str | None) -> None:
    law = GoverningLaw(country=country, subdivision=subdivision, text="the law")
    assert (law.country, law.subdivision) == (country, subdivision)
    assert str(law) == f"{subdivision or country} (the law)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            {"country": "XX"},
            "'XX' is not an ISO 3166-1 alpha-2 country code (e.g. US, GB)",
            id="unknown-country",
        ),
        pytest.param(
            {"country": "UK", "subdivision": "GB-ENG"},
            "'UK' is not an ISO 3166-1 alpha-2 country code (e.g. US, GB)",
            id="uk-is-not-a-code",
        ),
        pytest.param({"country": "us"}, "should match pattern", id="lowercase-country"),
        pytest.param(
            {"country": "US", "subdivision": "US-XX"},
            "'US-XX' is not an ISO 3166-2 subdivision code",
            id="unknown-subdivision",
        ),
        pytest.param(
            {"country": "US", "subdivision": "CA-ON"},
            "subdivision 'CA-ON' is not in country 'US'; use a code like 'US-XX'",
            id="subdivision-of-another-country",
        ),
        pytest.param(
            {"country": "US", "subdivision": "NV"},
            "subdivision 'NV' is not in country 'US'; use a code like 'US-XX'",
            id="subdivision-without-country",
        ),
    ],
)
def test_governing_law_rejects_unknown_codes(data: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        GoverningLaw.model_validate(data)


def test_governing_law_reads_as_its_code_without_text() -> None:
    assert str(GoverningLaw(country="US", subdivision="US-NV")) == "US-NV"
    assert str(GoverningLaw(country="DE")) == "DE"


# ---- Recurrence ----


@pytest.mark.parametrize(
    ("recurrence", "through", "expected"),
    [
        pytest.param(
            Recurrence(every=Duration(months=1), starts=date(2025, 1, 31)),
            date(2025, 5, 1),
            [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)],
            id="monthly-from-month-end-does-not-drift",
        ),
        pytest.param(
            Recurrence(every=Duration(months=3), starts=date(2025, 4, 14)),
            date(2026, 1, 14),
            [date(2025, 4, 14), date(2025, 7, 14), date(2025, 10, 14), date(2026, 1, 14)],
            id="quarterly-through-is-inclusive",
        ),
        pytest.param(
            Recurrence(
                every=Duration(months=12), starts=date(2026, 1, 31), until=date(2027, 3, 31)
            ),
            date(2030, 1, 1),
            [date(2026, 1, 31), date(2027, 1, 31)],
            id="until-stops-early",
        ),
        pytest.param(
            Recurrence(every=Duration(months=1), starts=date(2025, 1, 1), until=date(2025, 3, 1)),
            date(2025, 2, 15),
            [date(2025, 1, 1), date(2025, 2, 1)],
            id="through-before-until",
        ),
        pytest.param(
            Recurrence(every=Duration(months=1), starts=date(2025, 1, 1), until=date(2025, 3, 1)),
            date(2026, 1, 1),
            [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)],
            id="until-is-inclusive",
        ),
        pytest.param(
            Recurrence(every=Duration(days=10), starts=date(2025, 2, 20)),
            date(2025, 3, 12),
            [date(2025, 2, 20), date(2025, 3, 2), date(2025, 3, 12)],
            id="days",
        ),
        pytest.param(
            Recurrence(every=Duration(months=1), starts=date(2025, 6, 1)),
            date(2025, 5, 31),
            [],
            id="through-before-start",
        ),
    ],
)
def test_recurrence_occurrences(
    recurrence: Recurrence, through: date, expected: list[date]
) -> None:
    assert recurrence.occurrences(through=through) == expected


@given(
    every=st.integers(1, 24).map(lambda n: Duration(months=n)),
    starts=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    span=st.integers(0, 3000),
)
def test_recurrence_occurrences_are_increasing_and_in_range(
    every: Duration, starts: date, span: int
) -> None:
    through = date.fromordinal(starts.toordinal() + span)
    found = Recurrence(every=every, starts=starts).occurrences(through=through)
    assert found[0] == starts
    assert all(earlier < later for earlier, later in pairwise(found))
    assert found[-1] <= through
    assert add_months(starts, every.months * len(found)) > through
    assert all(due.day == starts.day or due.day >= 28 for due in found)


# ---- Obligation ----


def test_obligation_takes_a_due_date_or_a_recurrence_not_both() -> None:
    with pytest.raises(ValidationError, match="obligation 'OB-1' has both a due date and a recur"):
        Obligation(
            key="OB-1",
            kind=ObligationKind.DELIVERABLE,
            description="Deliver it",
            due_date=date(2025, 6, 1),
            recurrence=Recurrence(every=Duration(months=1), starts=date(2025, 1, 1)),
        )
    assert (
        Obligation(
            key="OB-1", kind=ObligationKind.DELIVERABLE, description="x", due_date=date(2025, 6, 1)
        ).recurrence
        is None
    )


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("", id="empty"),
        pytest.param("-leading-dash", id="leading-dash"),
        pytest.param("has space", id="space"),
        pytest.param("slash/key", id="slash"),
        pytest.param("K" * 81, id="too-long"),
    ],
)
def test_keys_are_safe_in_urls_and_csv(key: str) -> None:
    with pytest.raises(ValidationError, match="should match pattern"):
        Obligation(key=key, kind=ObligationKind.OTHER, description="x")


def test_owner_needs_an_email_address() -> None:
    with pytest.raises(ValidationError, match="should match pattern"):
        Owner(email="not an email")
    assert Owner(email="legal@contoso.example").email == "legal@contoso.example"


# ---- PriceEscalator and TerminationForConvenience ----


def test_price_escalator_needs_a_rule() -> None:
    with pytest.raises(ValidationError, match="needs a percent, an index"):
        PriceEscalator(cap_percent=Decimal(5))


@pytest.mark.parametrize(
    ("escalator", "text"),
    [
        pytest.param(
            PriceEscalator(index="CPI", cap_percent=Decimal(5)),
            "CPI, capped at 5% every 12 months",
            id="index-with-cap",
        ),
        pytest.param(PriceEscalator(percent=Decimal(3)), "3% every 12 months", id="percent"),
        pytest.param(
            PriceEscalator(index="CPI", percent=Decimal(1), every=Duration(months=6)),
            "CPI + 1% every 6 months",
            id="index-plus-percent",
        ),
    ],
)
def test_price_escalator_reads_as_words(escalator: PriceEscalator, text: str) -> None:
    assert str(escalator) == text


@pytest.mark.parametrize(
    ("termination", "text"),
    [
        pytest.param(TerminationForConvenience(allowed=False), "not allowed", id="not-allowed"),
        pytest.param(
            TerminationForConvenience(allowed=True, notice=Duration(days=30)),
            "either party on 30 days notice",
            id="either",
        ),
        pytest.param(
            TerminationForConvenience(allowed=True, notice=Duration(days=60), by="customer"),
            "customer on 60 days notice",
            id="customer",
        ),
    ],
)
def test_termination_reads_as_words(termination: TerminationForConvenience, text: str) -> None:
    assert str(termination) == text


# ---- Amendment ----


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("AnnualValue", id="camel-case"),
        pytest.param("annual-value", id="dashes"),
        pytest.param("_private", id="leading-underscore"),
    ],
)
def test_amendment_changes_name_canonical_fields(name: str) -> None:
    with pytest.raises(ValidationError, match=f"'{name}' is not a canonical field name"):
        Amendment(key="A1", title="t", effective_date=date(2026, 1, 1), changes={name: 1})
