"""Obligations: service levels, deliverables, payments and reports, each with its evidence.

* Service levels (``_rules_service_levels``): an availability/uptime target, or a support
  response/resolution time, with the service credit for missing it when the same or next
  sentence names one (``a credit of 10% of the monthly fee``).
* Deliverables: a party ``shall deliver``/``provide``/``submit`` something by a date.
* Payments: a party ``shall pay`` an amount, with a due date or a recurrence
  (``monthly``, ``quarterly``, ``annually``) starting on a stated date (rule ``payment``).
* Payment schedules, with or without an amount (rule ``payment_schedule``): a sentence
  that says something is paid or payable on a schedule relative to another date
  (``within thirty (30) days after the end of each calendar quarter``, ``within 30 days
  of acceptance``), on a day of each period (``on or before the 15th day of each month``),
  in a cycle (``quarterly in advance``) or in installments. The model's ``Recurrence``
  needs a start date, so the schedule stays in the description unless the sentence states
  one (``commencing on January 1, 2025``). Terms relative to an invoice are
  ``payment_terms_days``, not obligations.
* Reports (``_rules_reporting``, rule ``reporting``): a party delivers a report on a
  cadence (``a written royalty report within thirty (30) days after the end of each
  calendar quarter``). The description names who reports, the report, its period and due
  offset; as for payment schedules, a ``Recurrence`` only when a start date is stated. A
  report sentence is a report, not also a dated deliverable.

Keys are stable within a document (``sla-1``, ``deliverable-2``, ``payment-1``,
``report-1``). The obligor is ``counterparty`` unless the text says ``either``/``each``
party (``both``): which side "we" are is known to the reviewer, not the extractor.
"""

from __future__ import annotations

import re
from datetime import date

from contractsync.model import (
    Duration,
    Money,
    Obligation,
    ObligationKind,
    OwnerRole,
    Recurrence,
)

from ._candidate import Candidate, make_snippet
from ._dates import DATE, parse_date
from ._money import MONEY, parse_money
from ._numbers import NUMBER
from ._rules_reporting import scheduled_reports
from ._rules_service_levels import service_levels
from ._text import ContractText, Sentence

_MAX_PER_KIND = 10
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
_STEPS = {"monthly": 1, "per month": 1, "month": 1, "quarterly": 3, "per quarter": 3,
          "quarter": 3, "annually": 12, "annual": 12, "per year": 12, "year": 12,
          "semi-annually": 6, "semi-annual": 6, "half-year": 6, "half year": 6}  # fmt: skip
_STARTING = re.compile(rf"(?:commencing|beginning|starting)\s+(?:on\s+)?(?P<date>{DATE})", re.I)
_PAYING = re.compile(
    r"\b(?:shall|will|must|agrees?\s+to|to)\s+(?:\w+\s+)?(?:pay|remit)\b|\bpayable\b"
    r"|\b(?:be|is|are|become|becomes)\s+(?:due|paid)\b|\bpayments?\s+(?:shall|will)\s+be\s+made\b",
    re.IGNORECASE,
)
_SCHEDULE = re.compile(
    r"\b(?:after|following|of|from)\s+the\s+(?:end|close|last\s+day)\s+of\s+(?:each|every|the\s+"
    r"(?:applicable|relevant|preceding))\s+(?:calendar\s+|fiscal\s+|contract\s+)?"
    r"(?P<period>month|quarter|year|half[\s-]year)\b"
    r"|\bon\s+or\s+before\s+the\s+[\w-]+\s+(?:business\s+)?day\s+of\s+(?:each|every)\s+"
    r"(?:calendar\s+)?(?P<day_of>month|quarter|year)\b"
    r"|\b(?P<cycle>monthly|quarterly|annually|semi-annually)\s+in\s+(?:advance|arrears)\b"
    rf"|\bin\s+(?:{NUMBER}\s+)?(?:equal\s+)?(?:consecutive\s+)?"
    r"(?:(?P<installments>monthly|quarterly|annual|semi-annual)\s+)?(?:installments|instalments)\b"
    rf"|\b(?:within|no\s+later\s+than|not\s+later\s+than)\s+(?:{NUMBER})\s+(?:calendar\s+|"
    r"business\s+|working\s+)?days?\s+(?:after|following|of|from)\s+(?:the\s+)?(?:Effective\s+Date"
    r"|execution|signing|signature|acceptance|delivery|completion|achievement|occurrence)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(MONEY, re.IGNORECASE)
# "fails to pay … and does not cure within ten days of notice" is a default, not a schedule.
_DEFAULT = re.compile(r"\bcure[ds]?\b|\bdefault\b|\bfail(?:s|ed|ure)?\s+to\s+pay\b", re.I)


def obligations(text: ContractText) -> list[Candidate]:
    """Obligation candidates: service levels, dated deliverables, payments, reports."""
    reports = _reports(text)
    found: list[Candidate] = []
    found.extend(_service_levels(text))
    found.extend(_deliverables(text, reported=[(c.start, c.end) for c in reports]))
    found.extend(_payments(text))
    found.extend(reports)
    return found


def _service_levels(text: ContractText) -> list[Candidate]:
    found: list[Candidate] = []
    for measured in service_levels(text)[:_MAX_PER_KIND]:
        sentence = measured.sentence
        obligation = Obligation(
            key=f"sla-{len(found) + 1}",
            kind=ObligationKind.SERVICE_LEVEL,
            description=_describe(sentence.text),
            obligor=_obligor(sentence.text),
            service_level=measured.level,
            remedy=measured.remedy,
        )
        rule = "service_level" if measured.level.unit == "percent" else "support_time"
        found.append(_candidate(text, sentence, obligation, rule))
    return found


def _deliverables(text: ContractText, *, reported: list[tuple[int, int]]) -> list[Candidate]:
    found: list[Candidate] = []
    for match in _DELIVER.finditer(text.text):
        due = parse_date(match["date"])
        if due is None:
            continue
        if any(start <= match.start() < end for start, end in reported):
            continue  # a report with a date is a report, not also a deliverable
        sentence = text.sentence_at(match.start())
        obligation = Obligation(
            key=f"deliverable-{len(found) + 1}",
            kind=ObligationKind.DELIVERABLE,
            description=_describe(sentence.text),
            obligor=_obligor(sentence.text),
            due_date=due,
        )
        found.append(_candidate(text, sentence, obligation, "deliverable"))
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
        recurrence = _recurrence(every["every"] if every else None, starting)
        sentence = text.sentence_at(match.start())
        obligation = _payment(len(found) + 1, sentence, money, due_date, recurrence)
        found.append(_candidate(text, sentence, obligation, "payment"))
        if len(found) >= _MAX_PER_KIND:
            return found
    paid_sentences = {candidate.start for candidate in found}
    for match in _SCHEDULE.finditer(text.text):
        sentence = text.sentence_at(match.start())
        if sentence.start in paid_sentences or not _PAYING.search(sentence.text):
            continue
        if _DEFAULT.search(sentence.text):
            continue
        paid_sentences.add(sentence.start)
        period = match["period"] or match["day_of"] or match["cycle"] or match["installments"]
        recurrence = _recurrence(period, _STARTING.search(sentence.text))
        due = _DUE.search(sentence.text) if recurrence is None else None
        obligation = _payment(
            len(found) + 1,
            sentence,
            _sole_amount(sentence.text),
            parse_date(due["date"]) if due else None,
            recurrence,
        )
        found.append(_candidate(text, sentence, obligation, "payment_schedule"))
        if len(found) >= _MAX_PER_KIND:
            break
    return found


def _reports(text: ContractText) -> list[Candidate]:
    found: list[Candidate] = []
    for report in scheduled_reports(text)[:_MAX_PER_KIND]:
        sentence = report.sentence
        recurrence = _recurrence(report.period, _STARTING.search(sentence.text))
        due = _DUE.search(sentence.text) if recurrence is None else None
        obligation = Obligation(
            key=f"report-{len(found) + 1}",
            kind=ObligationKind.REPORTING,
            description=report.description,
            obligor=_obligor(sentence.text),
            owner_role=OwnerRole.FINANCE if report.financial else OwnerRole.OPERATIONS,
            due_date=parse_date(due["date"]) if due else None,
            recurrence=recurrence,
        )
        found.append(_candidate(text, sentence, obligation, "reporting"))
    return found


def _payment(
    number: int,
    sentence: Sentence,
    amount: Money | None,
    due_date: date | None,
    recurrence: Recurrence | None,
) -> Obligation:
    return Obligation(
        key=f"payment-{number}",
        kind=ObligationKind.PAYMENT,
        description=_describe(sentence.text),
        obligor=_obligor(sentence.text),
        owner_role=OwnerRole.FINANCE,
        due_date=None if recurrence is not None else due_date,
        recurrence=recurrence,
        amount=amount,
    )


def _recurrence(period: str | None, starting: re.Match[str] | None) -> Recurrence | None:
    if period is None or starting is None:
        return None
    start = parse_date(starting["date"])
    months = _STEPS.get(re.sub(r"\s+", " ", period.casefold()))
    if start is None or months is None:
        return None
    return Recurrence(every=Duration(months=months), starts=start)


def _sole_amount(sentence: str) -> Money | None:
    # With two amounts (an annual fee and its installments) which one is owed is unclear.
    amounts = {parse_money(match.group()) for match in _MONEY.finditer(sentence)} - {None}
    return next(iter(amounts)) if len(amounts) == 1 else None


def _obligor(sentence: str) -> str:
    return (
        "both"
        if re.search(r"\b(?:each|either|both)\s+part(?:y|ies)\b", sentence, re.I)
        else "counterparty"
    )


def _describe(sentence: str) -> str:
    return make_snippet(sentence, 0, len(sentence))[:300] or "obligation"


def _candidate(text: ContractText, sentence: Sentence, value: Obligation, rule: str) -> Candidate:
    return Candidate(
        field="obligations",
        value=value,
        start=sentence.start,
        end=sentence.end,
        snippet=make_snippet(text.text, sentence.start, sentence.end),
        rule=rule,
        confidence=0.6,
    )
