"""Commercial terms: payment terms, billing frequency, contract value, price escalator.

* ``payment_terms_days``: ``net 30``, ``within thirty (30) days of (receipt of the)
  invoice``, ``payable … days after the date of invoice``. A sentence about paying wins
  over one about disputing an invoice, which often has the same shape.
* ``billing_frequency``: a frequency tied to invoicing or paying (``invoiced quarterly``,
  ``billed monthly in advance``, ``payable in quarterly installments``, ``due on the first
  day of each month``) wins over one that only names a fee (``monthly fees``, often read
  in a service-credit clause), which gets a lower confidence; a one-time or milestone fee
  counts only when nothing recurring is named.
* ``total_value`` / ``annual_value``: an amount called the total, aggregate or maximum
  value, price or fees of the contract, or its contract value; an amount ``per year``/
  ``per annum``/``annual``. Liability caps, damages and expense ceilings are not values.
* ``price_escalator``: see ``_rules_escalator``.

None of these has labels in CUAD, so their confidences are the rules' priors, capped
below the auto-approve threshold (see ``_calibration``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from contractsync.model import BillingFrequency

from ._candidate import Candidate, make_snippet
from ._money import MONEY, parse_money
from ._numbers import NUMBER, parse_int
from ._rules_escalator import price_escalator
from ._text import ContractText

_NET = re.compile(
    rf"(?<![.\w])net\s*(?P<n>{NUMBER})(?!\s*(?:%|percent|per\s+cent))(?:\s+(?:calendar\s+)?days)?\b"
    rf"|\b(?:within|payable|due|in)\s+(?P<w>{NUMBER})\s+(?:calendar\s+|business\s+|working\s+)?"
    r"days?\s+(?:after|of|from|following|upon)\s+(?:[\w'\u2019-]+\s+){0,5}?invoic(?:e|es|ing)\b",
    re.IGNORECASE,
)
_PAYING = re.compile(r"\b(?:pay|pays|paid|payable|payments?|due|remit\w*)\b", re.IGNORECASE)
# Windows to dispute or query an invoice have the shape of payment terms but are not; "not
# disputed" and "undisputed" amounts are the ones being paid.
_DISPUTING = re.compile(
    r"\b(?:disput\w*|complain\w*|object(?:s|ed|ions?)?|contest\w*|quer(?:y|ies)|challeng\w*)\b",
    re.IGNORECASE,
)
_NOT_DISPUTED = re.compile(r"\bnot\s+(?:\w+\s+)?(?:disputed|contested)\b", re.IGNORECASE)
# Payments that are not the contract's ordinary invoices: audits, refunds, discounts.
_INCIDENTAL = re.compile(
    r"\b(?:audit|underpay|overpay|reimburs|refund|discount|late\b|interest\b)", re.I
)

_ADVERB = r"monthly|quarterly|annually|yearly|semi-?annually|bi-?annually|half-yearly"
_ADJECTIVE = r"monthly|quarterly|annual|yearly|semi-?annual|bi-?annual|half-yearly"
_PAYING_VERB = r"\b(?:invoic\w*|bill(?:s|ed|ing)?|payable|paid|pay|pays|due|charged|remit\w*)\b"
_TOKENS = r"(?:\s+[^\s.;]+)"
# A frequency word after a paying verb is the billing cycle only when what follows it is not
# another noun it qualifies ("paid monthly in arrears", not "based on monthly volumes").
_CYCLE_END = (
    r"(?=\s*(?:[,.;:)]|$)|\s+(?:in|on|at|and|or|by|for|to|from|until|during|within|thereafter|"
    r"commencing|beginning|starting|as|via|upon|after|following|through|throughout|over|"
    r"against|with|of|the|each|installments?|instalments?|payments?|invoices?|fees?|"
    r"charges?|basis)\b)"
)
_INVOICED = re.compile(
    rf"{_PAYING_VERB}{_TOKENS}{{0,4}}?\s+(?:on\s+an?\s+)?"
    rf"(?P<word>(?:{_ADVERB})\b{_CYCLE_END}|(?:{_ADJECTIVE})(?=\s+basis))"
    # "per year" after an amount is a rate ("$120,000 per year"), not a billing cycle.
    rf"|{_PAYING_VERB}{_TOKENS}{{0,8}}?\s+(?:each|every|(?<![\d)\]*]\s)per)\s+(?:calendar\s+)?"
    r"(?P<period>month|quarter|year|half-year)\b"
    rf"|\b(?P<advance>{_ADVERB})\s+in\s+(?:advance|arrears)\b",
    re.IGNORECASE,
)
# "Due" and "paid" also speak of reports and plans; a billing cycle's sentence names money.
_MONEY_WORDS = re.compile(
    r"\b(?:fees?|payments?|pay|paid|payable|invoic\w*|bill\w*|charges?|royalt\w*|amounts?|"
    r"sums?|price|rent|compensation|remuneration|consideration)\b",
    re.IGNORECASE,
)
_INTEREST = re.compile(r"\binterest\b|\blate\s+(?:payment\s+)?(?:charge|fee)", re.IGNORECASE)
_INSTALLMENTS = re.compile(
    rf"\b(?P<word>{_ADJECTIVE})\s+"
    r"(?:installments?|instalments?|payments?|invoices?|billings?|invoicing)\b",
    re.IGNORECASE,
)
_FEE_NAMED = re.compile(
    rf"\b(?P<word>{_ADJECTIVE})\s+(?:(?:base|service|subscription|licen[cs]e|maintenance|"
    r"support|hosting|management|minimum)\s+)?(?:fees?|charges?|rent|retainer|royalt(?:y|ies))\b"
    r"|\b(?P<once>one-time|one\s+time|upfront|up-front)\s+(?:\w+\s+)?(?:fee|payment|charge)s?\b"
    r"|\b(?P<milestone>milestone)\s+payments?\b",
    re.IGNORECASE,
)
# A fee named in a service-credit clause ("5% of the monthly fee") says nothing of billing.
_CREDIT_CLAUSE = re.compile(
    r"\bservice\s+(?:level\s+)?credits?\b|\bcredits?\s+(?:of|equal)\b", re.I
)
_ONE_OFF = (BillingFrequency.ONE_TIME, BillingFrequency.MILESTONE)
_FREQUENCIES = {
    "monthly": BillingFrequency.MONTHLY, "month": BillingFrequency.MONTHLY,
    "quarterly": BillingFrequency.QUARTERLY, "quarter": BillingFrequency.QUARTERLY,
    "annually": BillingFrequency.ANNUAL, "annual": BillingFrequency.ANNUAL,
    "yearly": BillingFrequency.ANNUAL, "year": BillingFrequency.ANNUAL,
    "semiannually": BillingFrequency.SEMI_ANNUAL, "semiannual": BillingFrequency.SEMI_ANNUAL,
    "biannually": BillingFrequency.SEMI_ANNUAL, "biannual": BillingFrequency.SEMI_ANNUAL,
    "halfyearly": BillingFrequency.SEMI_ANNUAL, "halfyear": BillingFrequency.SEMI_ANNUAL,
    "onetime": BillingFrequency.ONE_TIME, "upfront": BillingFrequency.ONE_TIME,
    "milestone": BillingFrequency.MILESTONE, "milestones": BillingFrequency.MILESTONE,
    "usage": BillingFrequency.USAGE,
}  # fmt: skip

_TOTAL = re.compile(
    r"(?<!minimum\s)\b(?:total|aggregate|maximum)\s+(?:contract\s+)?(?:value|price|fees?|amount|"
    r"consideration|compensation)\b|\bcontract\s+(?:value|sum|amount)\b",
    re.IGNORECASE,
)
_NOT_TO_EXCEED = re.compile(rf"\bnot\s+(?:to\s+)?exceed\s+(?P<money>{MONEY})", re.IGNORECASE)
_MONEY = re.compile(MONEY, re.IGNORECASE)
_UNIT_PRICE = re.compile(r"^\s*(?:(?:per|each|a|an)\b|/)", re.IGNORECASE)
_NOT_A_VALUE = re.compile(r"liabil|indemn|insurance|damages|penalt|deductible", re.I)
_EXPENSES = re.compile(
    r"\b(?:expenses?|costs?|reimburs\w*|acquisitions?|funding|loans?|credit\s+line)\b", re.I
)
# "the total fees may be increased by $10,000" names a change, not the value.
_CHANGE = re.compile(r"\b(?:increas|decreas|reduc|adjust)\w*", re.IGNORECASE)
_FEE_WORD = re.compile(r"\b(?:fees?|price|compensation|consideration|charges?)\b", re.I)
# Found by the words first and the amount next to them, because looking for an amount at
# every offset of a long contract is what made this rule slow.
_PER_YEAR = re.compile(
    r"\s(?:per\s+(?:year|annum|contract\s+year)|annually|each\s+year|a\s+year)\b", re.I
)
_ANNUAL_NAMED = re.compile(
    r"\bannual\s+(?:contract\s+value|value|fees?|licen[cs]e\s+fees?|subscription\s+fees?|"
    r"payment|charges?)\s*(?:of|:|is|shall\s+be|will\s+be|equal\s+to)?\s*",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(rf"(?:{MONEY})$", re.IGNORECASE)
_MONEY_AFTER = re.compile(MONEY, re.IGNORECASE)


def commercial_terms(text: ContractText) -> list[Candidate]:
    """Candidates for payment terms, billing frequency, values and price escalator."""
    found: list[Candidate] = []
    found.extend(_payment_terms(text))
    found.extend(_billing_frequency(text))
    found.extend(_total_value(text))
    found.extend(_annual_value(text))
    found.extend(price_escalator(text))
    return found


def billing_frequency_named(words: str) -> BillingFrequency | None:
    """The frequency a short text names (``Quarterly in advance``, ``one-time``), or None."""
    match = re.search(
        rf"\b(?:{_ADVERB}|{_ADJECTIVE}|one-?\s?time|up-?front|milestones?|usage)\b", words, re.I
    )
    return None if match is None else _frequency(match.group())


def _payment_terms(text: ContractText) -> list[Candidate]:
    ranked: list[tuple[bool, bool, bool, int, re.Match[str], int]] = []
    for match in _NET.finditer(text.text):
        days = parse_int(match["n"] or match["w"])
        if days is None or not 0 < days <= 365:
            continue
        sentence = text.sentence_at(match.start())
        words = _NOT_DISPUTED.sub(" ", text.text[sentence.start : match.start()])
        if _DISPUTING.search(words[-60:]):
            continue
        ranked.append(
            (
                _DISPUTING.search(words) is not None,
                _INCIDENTAL.search(sentence.text) is not None,
                _PAYING.search(sentence.text) is None and match["n"] is None,
                match.start(),
                match,
                days,
            )
        )
    if not ranked:
        return []
    *_, match, days = min(ranked, key=lambda item: item[:4])
    return [_candidate(text, "payment_terms_days", days, match, "net_days")]


def _billing_frequency(text: ContractText) -> list[Candidate]:
    # Rank: said of invoicing or paying ("invoiced quarterly", "monthly in arrears"), then
    # a period paid for ("due on the first day of each month"), then installments, then a
    # fee's name; a one-time or milestone fee after any recurring one; within a rank, the
    # first in the document.
    ranked: list[tuple[int, int, re.Match[str], BillingFrequency, str, float]] = []
    for pattern, rule, confidence, base_rank in (
        (_INVOICED, "invoiced", 0.7, 0),
        (_INSTALLMENTS, "installments", 0.65, 2),
        (_FEE_NAMED, "fee_named", 0.5, 3),
    ):
        for match, frequency in _frequencies(text, pattern):
            rank = base_rank + (pattern is _INVOICED and match["period"] is not None)
            rank += 4 * (frequency in _ONE_OFF)
            ranked.append((rank, match.start(), match, frequency, rule, confidence))
    if not ranked:
        return []
    _, _, match, frequency, rule, confidence = min(ranked, key=lambda item: item[:2])
    candidate = _candidate(text, "billing_frequency", frequency, match, rule)
    return [candidate.with_confidence(confidence)]


def _frequencies(
    text: ContractText, pattern: re.Pattern[str]
) -> Iterator[tuple[re.Match[str], BillingFrequency]]:
    for match in pattern.finditer(text.text):
        word = next(word for word in match.groups() if word)
        frequency = _frequency(word)
        if frequency is None:
            continue
        sentence = text.sentence_at(match.start()).text
        if _CREDIT_CLAUSE.search(sentence) or _INTEREST.search(sentence):
            continue
        if pattern is _INVOICED and not _MONEY_WORDS.search(sentence):
            continue
        yield match, frequency


def _frequency(word: str) -> BillingFrequency | None:
    return _FREQUENCIES.get(re.sub(r"[\s-]", "", word.casefold()))


def _total_value(text: ContractText) -> list[Candidate]:
    for match in _TOTAL.finditer(text.text):
        sentence = text.sentence_at(match.start())
        if _NOT_A_VALUE.search(sentence.text):
            continue
        # The amount follows the name within a short stretch of the same clause.
        after = text.text[match.end() : min(sentence.end, match.end() + 100)]
        amount = _MONEY.search(after)
        if amount is None:
            continue
        gap = after[: amount.start()]
        if re.search(r";|\.\s", gap) or _EXPENSES.search(gap) or _CHANGE.search(gap):
            continue
        money = parse_money(amount.group())
        if money is None or money.amount <= 0 or _UNIT_PRICE.search(after[amount.end() :]):
            continue
        return [_candidate(text, "total_value", money, match, "total_named")]
    for match in _NOT_TO_EXCEED.finditer(text.text):
        sentence = text.sentence_at(match.start())
        before = text.text[max(sentence.start, match.start() - 80) : match.start()]
        if _NOT_A_VALUE.search(sentence.text) or _EXPENSES.search(before):
            continue
        if not _FEE_WORD.search(before):
            continue
        money = parse_money(match["money"])
        if money is not None and money.amount > 0:
            return [_candidate(text, "total_value", money, match, "not_to_exceed")]
    return []


def _annual_value(text: ContractText) -> list[Candidate]:
    found: list[tuple[int, re.Match[str], str]] = []
    for words in _PER_YEAR.finditer(text.text):
        amount = _MONEY_BEFORE.search(text.text, max(0, words.start() - 40), words.start())
        if amount is not None:
            found.append((amount.start(), words, amount.group()))
            break
    for words in _ANNUAL_NAMED.finditer(text.text):
        amount = _MONEY_AFTER.match(text.text, words.end())
        if amount is not None:
            found.append((words.start(), words, amount.group()))
            break
    for _, words, amount_text in sorted(found, key=lambda item: item[0]):
        money = parse_money(amount_text)
        if money is not None and money.amount > 0:
            return [_candidate(text, "annual_value", money, words, "per_year")]
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
