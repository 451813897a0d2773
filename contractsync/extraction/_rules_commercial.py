"""Commercial terms: payment terms, billing frequency, contract value, price escalator.

* ``payment_terms_days``: ``net 30``, ``within thirty (30) days of (receipt of the)
  invoice``, ``payable … days after the date of invoice``.
* ``billing_frequency``: how invoicing or payment recurs (``invoiced monthly``,
  ``quarterly in advance``, ``annual fee``, ``one-time fee``, ``milestone payments``).
* ``total_value`` / ``annual_value``: an amount called the total, aggregate or maximum
  value, price or fees of the contract; an amount ``per year``/``per annum``/``annual``.
* ``price_escalator``: a price ``increase`` by a percent or by an index (CPI, RPI), with a
  cap (``not to exceed 5%``) when stated.

None of these has labels in CUAD, so their confidences are the rules' priors, capped
below the auto-approve threshold (see ``_calibration``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from contractsync.model import BillingFrequency, PriceEscalator

from ._candidate import Candidate, make_snippet
from ._money import MONEY, parse_money
from ._numbers import NUMBER, parse_int
from ._text import ContractText

_NET = re.compile(
    rf"(?<![.\w])net\s+(?P<n>{NUMBER})(?:\s+days)?\b|within\s+(?P<w>{NUMBER})\s+(?:calendar\s+|business\s+)?"
    r"days\s+(?:after|of|from|following)\s+(?:the\s+)?(?:receipt\s+of\s+(?:an?\s+|the\s+|such\s+)?|"
    r"(?:the\s+)?date\s+of\s+(?:the\s+|such\s+|an?\s+)?)?invoice"
    rf"|payable\s+(?P<p>{NUMBER})\s+days\s+(?:after|from|following)\s+(?:the\s+)?(?:date\s+of\s+)?"
    r"(?:receipt\s+of\s+)?(?:the\s+|an?\s+)?invoice",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\b(?:invoiced?|bill(?:ed)?|payable|paid|pay)\s+(?:\w+\s+){0,3}?(?P<a>monthly|quarterly|annually|"
    r"yearly|semi-annually|bi-annually)\b|\b(?P<b>monthly|quarterly|annual|yearly|semi-annual)\s+"
    r"(?:fees?|invoices?|payments?|installments?|subscription\s+fees?|license\s+fees?)"
    r"|\b(?P<c>one-time|one\s+time)\s+(?:fee|payment|charge)|\b(?P<d>milestone)\s+payments?\b",
    re.IGNORECASE,
)
_FREQUENCIES = {
    "monthly": BillingFrequency.MONTHLY, "quarterly": BillingFrequency.QUARTERLY,
    "annually": BillingFrequency.ANNUAL, "yearly": BillingFrequency.ANNUAL,
    "annual": BillingFrequency.ANNUAL, "semi-annually": BillingFrequency.SEMI_ANNUAL,
    "bi-annually": BillingFrequency.SEMI_ANNUAL, "semi-annual": BillingFrequency.SEMI_ANNUAL,
    "one-time": BillingFrequency.ONE_TIME, "one time": BillingFrequency.ONE_TIME,
    "milestone": BillingFrequency.MILESTONE,
}  # fmt: skip
_TOTAL = re.compile(
    rf"(?:total|aggregate|maximum)\s+(?:contract\s+)?(?:value|price|fees?|amount|consideration|"
    rf"compensation)\b[^.;$€£]{{0,80}}?(?P<money>{MONEY})|not\s+to\s+exceed\s+(?P<cap>{MONEY})",
    re.IGNORECASE,
)
_ANNUAL = re.compile(
    rf"(?P<money>{MONEY})\s+(?:per\s+(?:year|annum|contract\s+year)|annually|each\s+year)"
    rf"|annual\s+(?:fee|license\s+fee|subscription\s+fee|payment)\s+of\s+(?P<money2>{MONEY})",
    re.IGNORECASE,
)
_ESCALATOR = re.compile(
    r"(?:increase|escalat|adjust)\w*[^.;]{0,120}?(?:(?P<percent>\d+(?:\.\d+)?)\s*(?:%|percent)"
    r"|(?P<index>consumer\s+price\s+index|CPI(?:-U|-W)?|retail\s+price\s+index|RPI|HICP|PPI|"
    r"producer\s+price\s+index))",
    re.IGNORECASE,
)
_CAP = re.compile(
    r"(?:not\s+(?:to\s+)?exceed|capped\s+at|maximum\s+of|no\s+(?:more|greater)\s+than|up\s+to)\s+"
    r"(?P<cap>\d+(?:\.\d+)?)\s*(?:%|percent)",
    re.IGNORECASE,
)
_INDEX_NAMES = {"consumer price index": "CPI", "retail price index": "RPI",
                "producer price index": "PPI"}  # fmt: skip


def commercial_terms(text: ContractText) -> list[Candidate]:
    """Candidates for payment terms, billing frequency, values and price escalator."""
    found: list[Candidate] = []
    for match in _NET.finditer(text.text):
        days = parse_int(match["n"] or match["w"] or match["p"])
        if days is not None and 0 < days <= 365:
            found.append(_candidate(text, "payment_terms_days", days, match, "net_days"))
            break
    # How invoices are sent ("invoiced quarterly") says more than what a fee is called.
    frequencies = sorted(_FREQUENCY.finditer(text.text), key=lambda m: (m["a"] is None, m.start()))
    if frequencies:
        match = frequencies[0]
        word = next(g for g in (match["a"], match["b"], match["c"], match["d"]) if g)
        rule = "invoiced" if match["a"] else "fee_named"
        found.append(
            _candidate(text, "billing_frequency", _FREQUENCIES[word.casefold()], match, rule)
        )
    for match in _TOTAL.finditer(text.text):
        money = parse_money(match["money"] or match["cap"])
        if money is not None and money.amount > 0:
            rule = "total_named" if match["money"] else "not_to_exceed"
            found.append(_candidate(text, "total_value", money, match, rule))
            break
    for match in _ANNUAL.finditer(text.text):
        money = parse_money(match["money"] or match["money2"])
        if money is not None and money.amount > 0:
            found.append(_candidate(text, "annual_value", money, match, "per_year"))
            break
    found.extend(_escalator(text))
    return found


def _escalator(text: ContractText) -> list[Candidate]:
    for match in _ESCALATOR.finditer(text.text):
        if not re.search(r"price|fee|rate|charge|royalt", match.group(), re.IGNORECASE):
            continue
        sentence = text.sentence_at(match.start())
        cap = _CAP.search(sentence.text)
        index = match["index"]
        percent = Decimal(match["percent"]) if match["percent"] else None
        if cap is not None and percent is not None and Decimal(cap["cap"]) == percent:
            percent = None  # "increase … not to exceed 3%" is a cap, not a fixed rise
        if index is None:
            named = re.search(r"consumer\s+price\s+index|\bCPI\b|\bRPI\b", sentence.text, re.I)
            index = named.group() if named else None
        if percent is None and index is None:
            continue
        value = PriceEscalator(
            percent=percent,
            index=_INDEX_NAMES.get(index.casefold(), index.upper()) if index else None,
            cap_percent=Decimal(cap["cap"]) if cap else None,
        )
        return [_candidate(text, "price_escalator", value, match, "increase")]
    return []


def _candidate(
    text: ContractText, field: str, value: object, match: re.Match[str], rule: str
) -> Candidate:
    sentence = text.sentence_at(match.start())
    return Candidate(
        field=field,
        value=value,
        start=sentence.start,
        end=sentence.end,
        snippet=make_snippet(text.text, sentence.start, sentence.end),
        rule=rule,
        confidence=0.7,
    )
