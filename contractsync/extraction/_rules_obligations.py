"""Obligations: service levels, deliverables and payments, each with its evidence.

* Service levels: an availability/uptime (or response/resolution time) target with its
  comparison, and the service credit for missing it when the same or next sentence
  names one (``a credit of 10% of the monthly fee``).
* Deliverables: a party ``shall deliver``/``provide``/``submit`` something by a date.
* Payments: a party ``shall pay`` an amount, with a due date or a recurrence
  (``monthly``, ``quarterly``, ``annually``) starting on a stated date.

Keys are stable within a document (``sla-1``, ``deliverable-2``, ``payment-1``). The
obligor is ``counterparty`` unless the text says ``either``/``each`` party (``both``):
which side "we" are is known to the reviewer, not the extractor.
"""

from __future__ import annotations

import re
from decimal import Decimal

from contractsync.model import (
    Duration,
    Money,
    Obligation,
    ObligationKind,
    OwnerRole,
    Recurrence,
    Remedy,
    ServiceLevel,
)

from ._candidate import Candidate, make_snippet
from ._dates import DATE, parse_date
from ._money import MONEY, parse_money
from ._text import ContractText

_MAX_PER_KIND = 10
_SLA = re.compile(
    r"(?P<metric>availability|uptime|up-time|service\s+level)[^.;]{0,80}?(?P<cmp>at\s+least|"
    r"no\s+less\s+than|not\s+less\s+than|minimum\s+of|of|equal\s+to\s+or\s+greater\s+than)?\s*"
    r"(?P<target>\d{2}(?:\.\d+)?)\s*(?:%|percent)",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"(?:service\s+)?credits?\s+(?:of|equal\s+to)\s+(?P<credit>\d+(?:\.\d+)?)\s*(?:%|percent)",
    re.IGNORECASE,
)
_DELIVER = re.compile(
    rf"\bshall\s+(?:deliver|provide|submit|furnish|complete)\s+(?P<what>[^.;]{{5,160}}?)\s+"
    rf"(?:by|no\s+later\s+than|on\s+or\s+before|prior\s+to)\s+(?P<date>{DATE})",
    re.IGNORECASE,
)
_PAY = re.compile(
    rf"\bshall\s+pay\s+(?P<what>[^.;]{{0,120}}?)(?P<money>{MONEY})(?P<rest>[^.;]{{0,160}})",
    re.IGNORECASE,
)
_DUE = re.compile(rf"(?:by|on\s+or\s+before|no\s+later\s+than|on)\s+(?P<date>{DATE})", re.I)
_EVERY = re.compile(r"\b(?P<every>monthly|quarterly|annually|per\s+month|per\s+quarter|per\s+year)",
                    re.IGNORECASE)  # fmt: skip
_STEPS = {"monthly": 1, "per month": 1, "quarterly": 3, "per quarter": 3, "annually": 12,
          "per year": 12}  # fmt: skip
_STARTING = re.compile(rf"(?:commencing|beginning|starting)\s+(?:on\s+)?(?P<date>{DATE})", re.I)


def obligations(text: ContractText) -> list[Candidate]:
    """Obligation candidates: service levels, dated deliverables, payments."""
    found: list[Candidate] = []
    found.extend(_service_levels(text))
    found.extend(_deliverables(text))
    found.extend(_payments(text))
    return found


def _service_levels(text: ContractText) -> list[Candidate]:
    found: list[Candidate] = []
    for match in _SLA.finditer(text.text):
        target = Decimal(match["target"])
        if not 50 <= target <= 100:
            continue
        sentence = text.sentence_at(match.start())
        following = text.text[sentence.end : sentence.end + 400]
        credit = _CREDIT.search(sentence.text) or _CREDIT.search(following)
        remedy = None
        if credit is not None and Decimal(credit["credit"]) <= 100:
            remedy = Remedy(description=credit.group(), credit_percent=Decimal(credit["credit"]))
        metric = "availability" if "avail" in match["metric"].casefold() else "uptime"
        obligation = Obligation(
            key=f"sla-{len(found) + 1}",
            kind=ObligationKind.SERVICE_LEVEL,
            description=_describe(sentence.text),
            obligor=_obligor(sentence.text),
            service_level=ServiceLevel(metric=metric, target=target, unit="percent"),
            remedy=remedy,
        )
        found.append(_candidate(text, sentence.start, sentence.end, obligation, "service_level"))
        if len(found) >= _MAX_PER_KIND:
            break
    return found


def _deliverables(text: ContractText) -> list[Candidate]:
    found: list[Candidate] = []
    for match in _DELIVER.finditer(text.text):
        due = parse_date(match["date"])
        if due is None:
            continue
        sentence = text.sentence_at(match.start())
        obligation = Obligation(
            key=f"deliverable-{len(found) + 1}",
            kind=ObligationKind.DELIVERABLE,
            description=_describe(sentence.text),
            obligor=_obligor(sentence.text),
            due_date=due,
        )
        found.append(_candidate(text, sentence.start, sentence.end, obligation, "deliverable"))
        if len(found) >= _MAX_PER_KIND:
            break
    return found


def _payments(text: ContractText) -> list[Candidate]:
    found: list[Candidate] = []
    for match in _PAY.finditer(text.text):
        money: Money | None = parse_money(match["money"])
        if money is None or money.amount <= 0:
            continue
        rest = match["rest"]
        due = _DUE.search(rest)
        every = _EVERY.search(rest) or _EVERY.search(match["what"])
        starting = _STARTING.search(rest)
        due_date = parse_date(due["date"]) if due else None
        recurrence = None
        if every is not None and starting is not None:
            start = parse_date(starting["date"])
            if start is not None:
                months = _STEPS[re.sub(r"\s+", " ", every["every"].casefold())]
                recurrence = Recurrence(every=Duration(months=months), starts=start)
                due_date = None
        sentence = text.sentence_at(match.start())
        obligation = Obligation(
            key=f"payment-{len(found) + 1}",
            kind=ObligationKind.PAYMENT,
            description=_describe(sentence.text),
            obligor=_obligor(sentence.text),
            owner_role=OwnerRole.FINANCE,
            due_date=due_date,
            recurrence=recurrence,
            amount=money,
        )
        found.append(_candidate(text, sentence.start, sentence.end, obligation, "payment"))
        if len(found) >= _MAX_PER_KIND:
            break
    return found


def _obligor(sentence: str) -> str:
    return (
        "both"
        if re.search(r"\b(?:each|either|both)\s+part(?:y|ies)\b", sentence, re.I)
        else "counterparty"
    )


def _describe(sentence: str) -> str:
    return make_snippet(sentence, 0, len(sentence))[:300] or "obligation"


def _candidate(text: ContractText, start: int, end: int, value: Obligation, rule: str) -> Candidate:
    return Candidate(
        field="obligations",
        value=value,
        start=start,
        end=end,
        snippet=make_snippet(text.text, start, end),
        rule=rule,
        confidence=0.6,
    )
