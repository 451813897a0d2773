"""The review gate: critical fields always go to a person; others pass on confidence."""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractsync.extraction import AUTO_APPROVE_THRESHOLD
from contractsync.model import ReviewState, field_dictionary
from contractsync.review import ReviewPolicy, gate, review_state

POLICY = ReviewPolicy.from_field_dictionary(AUTO_APPROVE_THRESHOLD)
CRITICAL = sorted(spec.name for spec in field_dictionary().fields if spec.critical)
STANDARD = sorted(spec.name for spec in field_dictionary().fields if not spec.critical)


def test_the_public_door() -> None:
    module = importlib.import_module("contractsync.review")
    assert set(module.__all__) == {"ReviewPolicy", "gate", "review_state"}


def test_the_policy_forces_review_of_exactly_the_critical_fields() -> None:
    assert POLICY.forced_review == frozenset(CRITICAL)
    assert {"parties", "effective_date", "expiration_date", "renewal_notice_period"} <= set(
        CRITICAL
    )
    assert POLICY.threshold == AUTO_APPROVE_THRESHOLD


@pytest.mark.parametrize("name", CRITICAL)
def test_a_critical_field_is_pending_even_when_certain(name: str) -> None:
    review = gate(POLICY, name, 1.0)
    assert review.state is ReviewState.PENDING
    assert review.note is not None
    assert "critical" in review.note


@pytest.mark.parametrize(
    ("confidence", "expected"),
    [
        pytest.param(AUTO_APPROVE_THRESHOLD, ReviewState.AUTO_APPROVED, id="at-threshold"),
        pytest.param(0.999, ReviewState.AUTO_APPROVED, id="above"),
        pytest.param(AUTO_APPROVE_THRESHOLD - 0.001, ReviewState.PENDING, id="just-below"),
        pytest.param(0.0, ReviewState.PENDING, id="zero"),
    ],
)
def test_a_standard_field_passes_on_confidence(confidence: float, expected: ReviewState) -> None:
    assert review_state(POLICY, "governing_law", confidence) is expected
    assert gate(POLICY, "governing_law", confidence).state is expected


@given(
    name=st.sampled_from(CRITICAL + STANDARD),
    confidence=st.floats(min_value=0.0, max_value=1.0),
)
def test_auto_approval_needs_both_conditions(name: str, confidence: float) -> None:
    approved = review_state(POLICY, name, confidence) is ReviewState.AUTO_APPROVED
    assert approved == (name not in CRITICAL and confidence >= AUTO_APPROVE_THRESHOLD)
    assert gate(POLICY, name, confidence).state is review_state(POLICY, name, confidence)


def test_the_gate_is_deterministic() -> None:
    assert gate(POLICY, "agreement_date", 0.95) == gate(POLICY, "agreement_date", 0.95)
    assert gate(POLICY, "agreement_date", 0.95).at is None


def test_a_custom_policy() -> None:
    strict = ReviewPolicy(threshold=0.99, forced_review=frozenset({"governing_law"}))
    assert review_state(strict, "governing_law", 1.0) is ReviewState.PENDING
    assert review_state(strict, "parties", 0.995) is ReviewState.AUTO_APPROVED
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ReviewPolicy(threshold=1.5)
