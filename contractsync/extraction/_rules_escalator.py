"""Price escalators: a price increase by a fixed percent or by an index, and its cap.

A sentence is an escalator when an increase verb (``increase``, ``escalate``, ``adjust``,
``uplift``, ``raise``) has a price for its subject or object (``The Fees shall increase by
3%``, ``Vendor may increase the Fees by …``, ``prices shall be adjusted annually by the
change in the CPI-U``) and the clause after the verb names a percent or an index. The
subject is read in the sentence before the verb, because the verb is where most drafting
puts the number and the price word comes first.

Percents after the verb are sorted by what precedes them: after ``not to exceed``,
``capped at``, ``up to a maximum of``, ``the lesser of`` … it is the cap; otherwise the
rise. With only a cap (``may increase the Fees by up to 3%``) the rise is recorded as the
cap: the model needs a percent or an index, and "at most 3%" is best read as 3% with a 3%
cap. ``the greater of CPI or 3%`` keeps the index only: a floor has no place in the model.
"""

from __future__ import annotations

import re
from decimal import Decimal

from contractsync.model import PriceEscalator

from ._candidate import Candidate, make_snippet
from ._numbers import NUMBER, parse_number
from ._text import ContractText, squash

_VERB = re.compile(
    r"\b(?:increas|escalat|adjust|uplift|rais(?=e|ed|es|ing)|index(?=ed\b|ation\b))\w*",
    re.IGNORECASE,
)
PERCENT = (
    rf"(?:\d+(?:\.\d+)?\s*%|(?:{NUMBER})\s*(?:percent|per\s+cent)\b"
    r"(?:\s*\(\s*\d+(?:\.\d+)?\s*%\s*\))?)"
)
"""A regular expression (no groups) for a percent in digits (``2.5%``) or words (``three
percent (3%)``); ``parse_number`` reads its value."""
_PERCENT = re.compile(PERCENT, re.IGNORECASE)
# A price index that escalators follow, by name or abbreviation.
_INDEX = re.compile(
    r"consumer\s+price\s+index(?:\s*[,-]?\s*(?:for\s+)?all\s+urban\s+consumers"
    r"|\s*[,-]?\s*(?:for\s+)?urban\s+wage\s+earners(?:\s+and\s+clerical\s+workers)?)?"
    r"|\bretail\s+prices?\s+index|harmoni[sz]ed\s+index\s+of\s+consumer\s+prices"
    r"|\bemployment\s+cost\s+index|\bproducer\s+price\s+index"
    # Abbreviations only in capitals, and not PPI or ECI: those are also company initials.
    r"|(?-i:\bCPI(?:-[UW])?\b|\bRPI\b|\bHICP\b)",
    re.IGNORECASE,
)
_INDEX_NAMES = (
    (re.compile(r"all\s+urban\s+consumers", re.I), "CPI-U"),
    (re.compile(r"urban\s+wage\s+earners", re.I), "CPI-W"),
    (re.compile(r"consumer\s+price\s+index", re.I), "CPI"),
    (re.compile(r"retail\s+prices?\s+index", re.I), "RPI"),
    (re.compile(r"index\s+of\s+consumer\s+prices", re.I), "HICP"),
    (re.compile(r"employment\s+cost\s+index", re.I), "ECI"),
    (re.compile(r"producer\s+price\s+index", re.I), "PPI"),
)
# What makes a number a ceiling rather than the rise, read in the words just before it.
_CAP_WORDS = re.compile(
    r"\b(?:exceed\w*|capped|cap\s+of|maximum|no\s+(?:more|greater)\s+than|more\s+than|"
    r"up\s+to|at\s+most|ceiling|lesser\s+of|lower\s+of|limited\s+to)\b",
    re.IGNORECASE,
)
_FLOOR_WORDS = re.compile(r"\b(?:greater|higher)\s+of\b|\bat\s+least\b|\bminimum\b", re.I)
_PRICE = re.compile(
    r"\b(?:prices?|pricing|fees?|rates?|charges?|royalt(?:y|ies)|rents?|rental|subscriptions?|"
    r"tariffs?|compensation|remuneration)\b",
    re.IGNORECASE,
)
# Rates that are not prices, and subjects that grow by a percent without being prices.
_NOT_A_PRICE_RATE = re.compile(
    r"\b(?:interest|exchange|tax|discount|error|failure|defect|response|utili[sz]ation|"
    r"conversion|growth|burn|vacancy|royalty\s+base)\s+rates?\b",
    re.IGNORECASE,
)
_OTHER_SUBJECT = re.compile(
    r"\b(?:headcount|staff(?:ing)?|personnel|employees|insurance|coverage|limits?|"
    r"liabilit(?:y|ies)|deductibles?|capacity|storage|volumes?|quantit(?:y|ies)|forecasts?|"
    r"salary|salaries|wages?)\b",
    re.IGNORECASE,
)
_STATEMENT = re.compile(r"\b(?:shall|will|may|must|is|are|be|being)\b", re.IGNORECASE)
_SUBJECT_REACH = 100
_CLAUSE_REACH = 220
_MAX_PERCENT = Decimal(100)


def price_escalator(text: ContractText) -> list[Candidate]:
    """The first sentence that raises a price by a percent or an index, as a candidate.

    A sentence that says something (``shall``, ``may``, ``is``) wins over one that does not:
    headings and tables of contents ("9.1 CPI Adjustments") name escalators too.
    """
    fallback: Candidate | None = None
    for verb in _VERB.finditer(text.text):
        sentence = text.sentence_at(verb.start())
        offset = verb.start() - sentence.start
        clause = _clause_after(sentence.text[offset:])
        if not _about_prices(_subject_before(sentence.text[:offset]), clause):
            continue
        value = read_escalator(clause, context=sentence.text)
        if value is None:
            continue
        candidate = Candidate(
            field="price_escalator",
            value=value,
            start=sentence.start,
            end=sentence.end,
            snippet=make_snippet(text.text, sentence.start, sentence.end),
            rule="increase",
            confidence=0.7,
        )
        if _STATEMENT.search(sentence.text):
            return [candidate]
        fallback = fallback or candidate
    return [fallback] if fallback else []


def read_escalator(clause: str, *, context: str = "") -> PriceEscalator | None:
    """The escalator ``clause`` states (``3%``, ``CPI-U, not to exceed 4%``), or None.

    ``context`` is the whole sentence, where an index may be named before the verb
    (``In line with the CPI, the Fees shall be adjusted annually``).
    """
    named = _INDEX.search(clause) or _INDEX.search(context)
    index = _index_name(named.group()) if named else None
    rise: Decimal | None = None
    cap: Decimal | None = None
    previous_end = 0
    for match in _PERCENT.finditer(clause):
        value = parse_number(match.group())
        before = clause[max(previous_end, match.start() - 60) : match.start()]
        previous_end = match.end()
        if value is None or not 0 < value <= _MAX_PERCENT:
            continue
        if _CAP_WORDS.search(before):
            cap = cap if cap is not None else value
        elif index is not None and _FLOOR_WORDS.search(before):
            continue
        elif rise is None:
            rise = value
    if rise is None and index is None:
        if cap is None:
            return None
        rise = cap
    return PriceEscalator(percent=rise, index=index, cap_percent=cap)


def _index_name(words: str) -> str:
    """The short name of an index as written: ``Consumer Price Index`` → ``CPI``."""
    for pattern, name in _INDEX_NAMES:
        if pattern.search(words):
            return name
    return squash(words).upper()


def _about_prices(subject: str, clause: str) -> bool:
    # The object comes first ("increase the insurance limits by 10%"), then the subject
    # ("The Fees shall increase"), whose last price word must not be qualified away by a
    # non-price noun after it ("the Fees paid for additional headcount increase").
    number = _PERCENT.search(clause)
    index = _INDEX.search(clause)
    ends = [m.start() for m in (number, index) if m is not None]
    obj = _blank_non_prices(clause[: min(ends, default=len(clause))][:120])
    obj_price = _PRICE.search(obj)
    obj_other = _OTHER_SUBJECT.search(obj)
    if obj_other is not None and (obj_price is None or obj_other.start() < obj_price.start()):
        return False
    if obj_price is not None:
        return True
    subject = _blank_non_prices(subject)
    prices = list(_PRICE.finditer(subject))
    if not prices:
        return False
    return _OTHER_SUBJECT.search(subject, prices[-1].end()) is None


def _blank_non_prices(words: str) -> str:
    words = _INDEX.sub(lambda m: " " * len(m.group()), words)
    return _NOT_A_PRICE_RATE.sub(lambda m: " " * len(m.group()), words)


def _subject_before(before: str) -> str:
    clause_start = max(before.rfind(";"), before.rfind(":")) + 1
    return before[clause_start:][-_SUBJECT_REACH:]


def _clause_after(after: str) -> str:
    end = after.find(";")
    return after[: end if end >= 0 else _CLAUSE_REACH][:_CLAUSE_REACH]
