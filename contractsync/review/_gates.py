"""The review gate: which extracted values may skip a human, and which never may.

A value is auto-approved only when both hold:

* its confidence is at or above the policy's threshold (the calibrated auto-approve
  threshold, chosen so that values above it are right at least 97% of the time), and
* its field is not forced to review: every ``critical`` field of the field dictionary
  (``model/fields.yaml``) is, whatever the confidence, because a wrong party, effective
  date or notice period costs far more than the minute a reviewer spends on it.

Everything else waits for a person (``pending``). The gate is a pure function of the
policy, the field name and the confidence, so it is the same in the importer, the API
and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contractsync.model import FieldDictionary, Review, ReviewState, field_dictionary


@dataclass(frozen=True, slots=True)
class ReviewPolicy:
    """When an extracted value may skip human review.

    Attributes:
        threshold: the confidence at or above which a value may be auto-approved.
        forced_review: fields a person always reviews, whatever the confidence.
    """

    threshold: float
    forced_review: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"the review threshold must be in [0, 1], not {self.threshold}")

    @classmethod
    def from_field_dictionary(
        cls, threshold: float, dictionary: FieldDictionary | None = None
    ) -> ReviewPolicy:
        """The policy that forces review of every ``critical`` field of the dictionary."""
        fields = dictionary if dictionary is not None else field_dictionary()
        critical = frozenset(spec.name for spec in fields.fields if spec.critical)
        return cls(threshold=threshold, forced_review=critical)

    def needs_review(self, field_name: str, confidence: float) -> bool:
        """Whether a person must look at this value before it is trusted."""
        return field_name in self.forced_review or confidence < self.threshold


def review_state(policy: ReviewPolicy, field_name: str, confidence: float) -> ReviewState:
    """``auto_approved`` or ``pending`` for one extracted value."""
    if policy.needs_review(field_name, confidence):
        return ReviewState.PENDING
    return ReviewState.AUTO_APPROVED


def gate(policy: ReviewPolicy, field_name: str, confidence: float) -> Review:
    """The review record the gate gives one extracted value, with the reason as its note.

    The note is deterministic (no time stamp), so importing the same document twice
    produces the same record.
    """
    if field_name in policy.forced_review:
        note = "critical field: a person reviews it whatever the confidence"
        return Review(state=ReviewState.PENDING, note=note)
    if confidence < policy.threshold:
        note = f"confidence {confidence:.2f} is below the threshold {policy.threshold:.2f}"
        return Review(state=ReviewState.PENDING, note=note)
    note = f"confidence {confidence:.2f} is at or above the threshold {policy.threshold:.2f}"
    return Review(state=ReviewState.AUTO_APPROVED, note=note)
