"""How a proposed value is judged against a CUAD answer, and the figures per field.

Judging (``is_correct``):

* dates: equal;
* expirations: equal (``"perpetual"`` equals ``"perpetual"``), or the proposed date is
  the day before the answer. The canonical expiration is the term's last day, inclusive
  (``Duration.last_day``: five years from 2020-01-01 end on 2024-12-31), whereas CUAD's
  annotators, for a term given as a length, write the anniversary on which it ends
  (2025-01-01). Both name the same end, so the inclusive end one day before an answered
  date is right; nothing else is: not the day after, and not for the other date fields;
* durations: equal parts, or a day count within three days of a month count
  (``180 days`` ~ ``6 months``), since contracts and annotators convert freely;
* governing law: when the answer names a subdivision, the same ISO 3166-2 code; when it
  names only a country, the same ISO 3166-1 country (a proposed subdivision of it is
  not penalised);
* parties: names are compared after casefolding and dropping punctuation and ``the``;
  two names match when equal, when one contains the other, or when their similarity
  (difflib ratio) is at least 0.85. Answered names with the same key are one party
  (CUAD lists a party once per spelling in the text). A contract's parties are *correct* when every
  answered party is matched and nothing else is proposed; party-name precision, recall
  and F1 are micro-averaged over all names.

Figures per field, over the contracts whose answer is scorable (N):

* accuracy = (right values + right abstentions) / N, where a right abstention is no
  value for an ``absent`` answer;
* precision = right values / values proposed; recall = right values / answers present;
* coverage = values proposed / N;
* auto precision = right / proposed at or above the auto-approve threshold, and auto
  coverage = proposed at or above the threshold / proposed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from contractsync.model import Duration, GoverningLaw, Party

from ._gold import GoldAnswer

_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_NAME_RATIO = 0.85


def is_correct(field_name: str, value: Any, gold: GoldAnswer) -> bool:
    """Whether a proposed value matches one of the answer's acceptable values."""
    if gold.status != "value":
        return False
    if field_name == "parties":
        matched, proposed, answered = match_parties(value, gold)
        return matched == proposed == answered
    if field_name == "expiration_date" and isinstance(value, date):
        return any(_same_end(value, expected) for expected in gold.values)
    return any(_same(value, expected) for expected in gold.values)


def _same_end(value: date, expected: Any) -> bool:
    return isinstance(expected, date) and value in {expected, expected - timedelta(days=1)}


def _same(value: Any, expected: Any) -> bool:
    if isinstance(expected, Duration) and isinstance(value, Duration):
        return _same_duration(value, expected)
    if isinstance(expected, GoverningLaw) and isinstance(value, GoverningLaw):
        if expected.subdivision is not None:
            return value.subdivision == expected.subdivision
        return value.country == expected.country
    if isinstance(expected, (date, str)):
        return bool(value == expected)
    return False


def _same_duration(a: Duration, b: Duration) -> bool:
    if (a.months, a.days) == (b.months, b.days):
        return True
    if a.days == 0 and b.months == 0:
        a, b = b, a
    if a.months == 0 and b.days == 0:
        return abs(a.days - b.months * 30.44) <= 3
    return False


def match_parties(value: Any, gold: GoldAnswer) -> tuple[int, int, int]:
    """(matched names, proposed names, answered names) for one contract."""
    proposed = [_name_key(p.name if isinstance(p, Party) else str(p)) for p in value or ()]
    answered = _distinct(
        [_name_key(str(name)) for name in gold.values] if gold.status == "value" else []
    )
    remaining = list(answered)
    matched = 0
    for name in proposed:
        for index, expected in enumerate(remaining):
            if _names_match(name, expected):
                matched += 1
                del remaining[index]
                break
    return matched, len(proposed), len(answered)


def _distinct(names: list[str]) -> list[str]:
    """Each answered name once: CUAD answers repeat a party for each spelling in the text
    ("ACME CORP." in the title, "Acme Corp" in the preamble), and no proposal can name a
    party twice. Only identical keys merge: similar names may be distinct parties."""
    return list(dict.fromkeys(names))


def _name_key(name: str) -> str:
    key = _SPACES.sub(" ", _PUNCTUATION.sub(" ", name.casefold())).strip()
    return key.removeprefix("the ")


def _names_match(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= _NAME_RATIO


@dataclass(slots=True)
class FieldScore:
    """Counts for one field; the rates are properties so JSON and tables agree."""

    name: str
    scored: int = 0
    unscorable: int = 0
    answered: int = 0
    proposed: int = 0
    right: int = 0
    right_abstentions: int = 0
    auto_proposed: int = 0
    auto_right: int = 0
    names_matched: int = 0
    names_proposed: int = 0
    names_answered: int = 0
    outcomes: list[tuple[str, float, bool]] = field(default_factory=list)

    @property
    def accuracy(self) -> float | None:
        return _rate(self.right + self.right_abstentions, self.scored)

    @property
    def precision(self) -> float | None:
        return _rate(self.right, self.proposed)

    @property
    def recall(self) -> float | None:
        return _rate(self.right, self.answered)

    @property
    def coverage(self) -> float | None:
        return _rate(self.proposed, self.scored)

    @property
    def auto_precision(self) -> float | None:
        return _rate(self.auto_right, self.auto_proposed)

    @property
    def auto_coverage(self) -> float | None:
        return _rate(self.auto_proposed, self.proposed)

    def name_f1(self) -> tuple[float | None, float | None, float | None]:
        precision = _rate(self.names_matched, self.names_proposed)
        recall = _rate(self.names_matched, self.names_answered)
        if precision is None or recall is None or precision + recall == 0:
            return precision, recall, None
        return precision, recall, 2 * precision * recall / (precision + recall)

    def add(
        self, value: Any, confidence: float | None, rule: str, gold: GoldAnswer, threshold: float
    ) -> bool | None:
        """Count one contract's outcome; returns whether a proposed value was right."""
        if gold.status == "unscorable":
            self.unscorable += 1
            return None
        self.scored += 1
        self.answered += gold.status == "value"
        if self.name == "parties":
            matched, proposed, answered = match_parties(value, gold)
            self.names_matched += matched
            self.names_proposed += proposed
            self.names_answered += answered
        if value is None or confidence is None:
            self.right_abstentions += gold.status == "absent"
            return None
        correct = is_correct(self.name, value, gold)
        self.proposed += 1
        self.right += correct
        if confidence >= threshold:
            self.auto_proposed += 1
            self.auto_right += correct
        self.outcomes.append((rule, confidence, correct))
        return correct


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
