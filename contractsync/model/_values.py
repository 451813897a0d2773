"""Value types of the canonical model: durations, money, provenance and review state.

Every term that can come from a document is a ``Tracked`` value: the value itself, where it
came from (document, page, character span, snippet, extractor, confidence) and where it
stands in review. A value typed in by a person has no document provenance but still has an
actor and a review state.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Generic, Self, TypeVar

import pycountry
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_serializer,
    model_validator,
)

T = TypeVar("T")


class Frozen(BaseModel):
    """Base of the canonical value models: immutable, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Duration(Frozen):
    """A calendar duration in whole months and days, never a float of years.

    ``Duration(months=12)`` is a year from any start date; ``Duration(days=30)`` is thirty days.
    Serialised without zero parts: ``{"months": 12}``.
    """

    months: Annotated[int, Field(ge=0, le=1200)] = 0
    days: Annotated[int, Field(ge=0, le=36600)] = 0

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.months == 0 and self.days == 0:
            raise ValueError("a duration needs months or days, e.g. {months: 12} or {days: 30}")
        return self

    @model_serializer
    def _without_zero_parts(self) -> dict[str, int]:
        parts = {"months": self.months, "days": self.days}
        return {name: amount for name, amount in parts.items() if amount}

    def after(self, start: date) -> date:
        """The date this duration after ``start`` (month ends clamp: Jan 31 + 1 month = Feb 28)."""
        return shift(start, months=self.months, days=self.days)

    def last_day(self, start: date) -> date:
        """The last day of a period of this length that begins on ``start``, inclusive.

        Three years from 1 February 2025 run through 31 January 2028: the period ends the
        day before the anniversary, which is the first day it no longer covers.
        """
        return shift(self.after(start), days=-1)

    def before(self, end: date) -> date:
        """The date this duration before ``end``: days off first, then months, so that
        ``d.before(d.after(x)) == x`` whenever no month end was clamped on the way."""
        return add_months(shift(end, days=-self.days), -self.months)

    def __str__(self) -> str:
        parts = []
        if self.months:
            parts.append(f"{self.months} month{'s' if self.months != 1 else ''}")
        if self.days:
            parts.append(f"{self.days} day{'s' if self.days != 1 else ''}")
        return " ".join(parts)


def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months`` calendar months, clamping to the month's last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def shift(start: date, *, months: int = 0, days: int = 0) -> date:
    """``start`` moved by whole months first (clamping month ends), then by days."""
    return date.fromordinal(add_months(start, months).toordinal() + days)


class Money(Frozen):
    """An amount in an ISO 4217 currency; amounts are Decimal, never float."""

    amount: Decimal
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str) -> str:
        if pycountry.currencies.get(alpha_3=code) is None:
            raise ValueError(f"'{code}' is not an ISO 4217 currency code (e.g. USD, EUR, GBP)")
        return code

    def __str__(self) -> str:
        return f"{self.amount:,} {self.currency}"


class ReviewState(StrEnum):
    """Where a value stands with the human review gate."""

    AUTO_APPROVED = "auto_approved"
    PENDING = "pending"
    APPROVED = "approved"
    EDITED = "edited"
    REJECTED = "rejected"

    @property
    def is_trusted(self) -> bool:
        """Whether the value may be delivered to Salesforce."""
        return self in {ReviewState.AUTO_APPROVED, ReviewState.APPROVED, ReviewState.EDITED}


class Review(Frozen):
    """The review decision on one value: who decided what, and when."""

    state: ReviewState = ReviewState.PENDING
    reviewer: str | None = None
    at: datetime | None = None
    note: str | None = None

    @field_validator("at")
    @classmethod
    def _aware(cls, at: datetime | None) -> datetime | None:
        return _require_utc(at)

    @model_validator(mode="after")
    def _decided_by_someone(self) -> Self:
        human = {ReviewState.APPROVED, ReviewState.EDITED, ReviewState.REJECTED}
        if self.state in human and not self.reviewer:
            raise ValueError(f"review state '{self.state}' needs the reviewer who decided it")
        return self


class Evidence(Frozen):
    """Where in a document a value was read: page, character span and the text itself.

    ``start`` and ``end`` index the document's full extracted text, so the span can be shown
    highlighted in context; ``page`` is 1-based.
    """

    document_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    page: Annotated[int, Field(ge=1)]
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    snippet: str

    @model_validator(mode="after")
    def _ordered_span(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"evidence span end {self.end} is before its start {self.start}")
        return self


class Provenance(Frozen):
    """Who or what produced a value, from which evidence, and how sure it was."""

    source: Annotated[str, Field(min_length=1)]
    """The extractor and its version (``rules/1.2``, ``llm/gpt-x``) or ``person:<name>``."""
    confidence: Annotated[float, Field(ge=0.0, le=1.0)] = 1.0
    evidence: Evidence | None = None
    recorded_at: datetime | None = None

    @field_validator("recorded_at")
    @classmethod
    def _aware(cls, at: datetime | None) -> datetime | None:
        return _require_utc(at)


class Tracked(Frozen, Generic[T]):
    """A canonical field value with its provenance and review state."""

    value: T
    provenance: Provenance | None = None
    review: Review = Review()

    @property
    def trusted(self) -> bool:
        return self.review.state.is_trusted


def _require_utc(at: datetime | None) -> datetime | None:
    if at is not None and at.tzinfo is None:
        raise ValueError("instants must carry a time zone, e.g. 2025-01-02T10:00:00Z")
    return at.astimezone(UTC) if at is not None else None
