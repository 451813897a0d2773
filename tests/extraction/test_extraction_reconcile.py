"""Reconciling candidates from several extractors into one value per field."""

from __future__ import annotations

from datetime import date

import pytest

from contractsync.extraction import Candidate, reconcile


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
