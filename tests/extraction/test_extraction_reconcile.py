"""Reconciling candidates from several extractors into one value per field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contractsync.extraction import Candidate, reconcile
from contractsync.model import Obligation, ObligationKind, Remedy, ServiceLevel


def _candidate(value: object, confidence: float, extractor: str, field: str = "x") -> Candidate:
    return Candidate(field=field, value=value, start=0, end=4, snippet="text", rule="r",
                     confidence=confidence, extractor=extractor)  # fmt: skip


def test_agreement_keeps_the_surest_confidence() -> None:
    chosen, _ = reconcile([_candidate(date(2020, 1, 1), 0.9, "rules"),
                           _candidate(date(2020, 1, 1), 0.7, "llm")])  # fmt: skip
    assert chosen["x"].confidence == pytest.approx(0.9)
    assert chosen["x"].extractor == "rules"


def test_disagreement_lowers_confidence_to_send_to_review() -> None:
    chosen, _ = reconcile([_candidate(date(2020, 1, 1), 0.9, "rules"),
                           _candidate(date(2021, 1, 1), 0.8, "llm")])  # fmt: skip
    assert chosen["x"].value == date(2020, 1, 1)
    assert chosen["x"].confidence == pytest.approx(0.9 * 0.9 / 1.7)


def test_two_weak_agreeing_beat_one_strong() -> None:
    chosen, _ = reconcile([_candidate("a", 0.6, "rules"), _candidate("a", 0.6, "llm"),
                           _candidate("b", 0.9, "other")])  # fmt: skip
    assert chosen["x"].value == "a"


def test_obligations_are_all_kept() -> None:
    _, obligations = reconcile([_candidate("a", 0.6, "rules", "obligations"),
                                Candidate("obligations", "b", 10, 20, "t", "r", 0.5)])  # fmt: skip
    assert len(obligations) == 2


def test_the_reading_of_an_obligation_that_says_more_is_kept() -> None:
    level = ServiceLevel(metric="uptime", target=Decimal("99.9"), unit="percent")
    terse = Obligation(key="sla-1", kind=ObligationKind.SERVICE_LEVEL,
                       description="99.9% uptime", service_level=level)  # fmt: skip
    rich = terse.model_copy(
        update={"remedy": Remedy(description="service credit", credit_percent=Decimal(10))}
    )
    candidates = [
        Candidate("obligations", rich, 10, 60, "t", "sla", 0.6, extractor="rules"),
        Candidate("obligations", terse, 10, 60, "t", "llm", 0.7, extractor="llm"),
    ]
    for order in (candidates, candidates[::-1]):
        _, [kept] = reconcile(order)
        assert kept.value.remedy is not None  # the credit survives the surer, terser reading
