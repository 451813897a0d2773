"""Renewal and early termination: whether and how the term renews, and how to stop it.

The initial term and the expiration date are read by ``_rules_expiration``.

* ``auto_renew``, ``renewal_term`` and ``renewal_notice_period`` come from sentences that
  speak of renewal or extension: automatic (``shall automatically renew``, ``successive
  … unless``) or optional (``may be renewed``, ``option to renew``); the renewal length is
  the duration that follows the renewal verb; the notice is a duration said to come
  ``prior to``/``before`` the end of a term, or of notice of non-renewal.
  Each is named by how it was found, as calibration bins its confidence by rule name:
  ``renewal.length.stated`` (automatic renewal, or a party's option to renew, with the
  length in the clause right after the verb), ``renewal.length.inferred`` (``year to
  year``, ``annual``), ``renewal.length`` (anything else: a length far from the verb, or
  a renewal by mutual agreement); ``renewal.notice.automatic`` (the notice that stops an
  automatic renewal stated in the same sentence), ``renewal.notice`` (anything else).
* ``termination_for_convenience`` comes from ``may terminate … without cause / for
  convenience / for any reason`` with the notice it requires, when the sentence says
  who may terminate (either party, or a party whose defined term names its role).
"""

from __future__ import annotations

import re

from contractsync.model import Duration, TerminationForConvenience

from ._candidate import Candidate, make_snippet
from ._durations import DURATION, parse_duration
from ._text import ContractText, Sentence

_DURATION = re.compile(DURATION, re.IGNORECASE)
RENEW = re.compile(
    r"\brenew|\bextended\s+(?:automatically|for)|automatic(?:ally)?\s+extend"
    r"|\bextension\s+(?:term|period)|\bextend\s+(?:the\s+|this\s+)?(?:initial\s+)?(?:term|agreement)\b"
    # "shall continue automatically for successive annual periods": a renewal in all but name.
    r"|\bcontinue\s+(?:automatically\s+)?(?:thereafter\s+)?for\s+(?:successive|consecutive)\b",
    re.IGNORECASE,
)
_AUTO = re.compile(
    r"automatic(?:ally)?\s+(?:be\s+)?(?:renew|extend)|auto-?renew|(?:renew|extend)\w*\s+automatically"
    r"|(?:shall|will)\s+(?:thereafter\s+)?(?:be\s+)?(?:renew|extended)\w*\s+(?:for|on|from)"
    r"|(?:renew|extend)\w*[^.]{0,120}unless|thereafter\s+(?:from\s+)?year\s+to\s+year"
    r"|evergreen|renew\w*\s+tacitly|tacit(?:ly)?\s+renew|continue\s+automatically",
    re.IGNORECASE,
)
_OPTIONAL = re.compile(
    r"may\s+(?:be\s+)?(?:renew|extend)|option\b[^.;]{0,80}?\bto\s+(?:renew|extend)"
    r"|right\s+to\s+(?:renew|extend)"
    r"|(?:by|upon|with)\s+(?:the\s+)?mutual\s+(?:written\s+)?(?:agreement|consent)"
    r"|mutually\s+agree|if\s+(?:the\s+parties|both\s+parties)\s+agree|at\s+the\s+option\s+of",
    re.IGNORECASE,
)
_PERIODIC_RENEWAL = re.compile(
    r"(?P<kind>year[\s-]+to[\s-]+year|month[\s-]+to[\s-]+month|annual(?:ly)?|yearly|"
    r"one\s+or\s+more\s+annual|every\s+(?:calendar\s+)?(?:year|month))\b",
    re.IGNORECASE,
)
# A duration followed by these words is a notice period, not a length of time the contract runs.
NOTICE_AFTER = re.compile(
    r"^\W{0,3}(?:\)\s*)?(?:'s?|\u2019s?)?\s*(?:of\s+)?(?:advance\s+|prior\s+|advanced\s+)?(?:written\s+)?"
    r"(?:prior\s+)?(?:notice|notification|before|prior|in\s+advance|preceding|written)",
    re.IGNORECASE,
)
_STOP_RENEWAL = re.compile(
    r"not\s+(?:to\s+)?renew|non-?renewal|terminat|cancel|intent\w*\s+not|elect\w*\s+not"
    r"|expir|end\s+of\s+(?:the|such|any|then)|not\s+(?:to\s+)?extend",
    re.IGNORECASE,
)
# Renewal is exercised, not stopped, by these notices: an option holder's election to
# renew, or a vendor's reminder that the term is about to renew.
_ASK_RENEWAL = re.compile(
    r"(?:election|elect|desire|intent\w*|wish|decision)\s+to\s+renew|renewal\s+notice"
    r"|exercis\w*\s+(?:\w+\s+){0,3}(?:renewal\s+)?option|notice\s+of\s+renewal",
    re.IGNORECASE,
)
_REFUSE_RENEWAL = re.compile(
    r"not\s+(?:to\s+)?(?:renew|extend)|non-?renewal|intent\w*\s+not|elect\w*\s+not|cancel"
    r"|(?<!earlier\s)(?<!sooner\s)terminat",
    re.IGNORECASE,
)
_NOTICE_PERIOD_BEFORE = re.compile(
    r"\bnotice\s+period\b[^.;]{0,40}?\b(?:is|be|of|to|at)\s+(?:(?:at\s+least|not\s+less\s+than|"
    r"no\s+less\s+than)\s+)?$",
    re.IGNORECASE,
)
# Insurance policies renew too; their notices and periods are not the contract's.
_OTHER_RENEWAL = re.compile(r"\binsur|\bpolic(?:y|ies)\b", re.IGNORECASE)
# A renewal length is stated in the clause right after the verb ("shall automatically
# renew for successive periods of one (1) year"); one further off is often another period.
_LENGTH_REACH = 120
# "within two (2) years of the expiry", "three (3) months following the notice": when,
# not for how long.
_NOT_LENGTH_BEFORE = re.compile(r"\b(?:within|after|following)\s+(?:a\s+period\s+of\s+)?$",
                                re.IGNORECASE)  # fmt: skip
# A renewal the parties may agree on is no renewal term of the contract: any contract can
# be renewed that way.
_MUTUAL = re.compile(r"\bmutual(?:ly)?\s+(?:written\s+)?(?:agree|consent|understanding)"
                     r"|if\s+(?:the\s+|both\s+)?parties\s+agree", re.IGNORECASE)  # fmt: skip
_CONVENIENCE = re.compile(
    r"terminat\w*\s+(?:this\s+(?:agreement|contract)\s+)?(?:(?:at\s+any\s+time|in\s+whole\s+or\s+"
    r"in\s+part|,)\s+)*(?:for\s+(?:any\s+reason|convenience|no\s+reason|any\s+or\s+no\s+reason)"
    r"|without\s+(?:cause|reason)|with\s+or\s+without\s+cause|at\s+(?:its|their)\s+(?:sole\s+)?"
    r"(?:discretion|convenience))",
    re.IGNORECASE,
)
_SUBJECT_ROLES = {
    "customer": "customer", "client": "customer", "buyer": "customer", "purchaser": "customer",
    "licensee": "customer", "vendor": "vendor", "supplier": "vendor", "provider": "vendor",
    "seller": "vendor", "licensor": "vendor", "contractor": "vendor", "consultant": "vendor",
}  # fmt: skip


def renewal(text: ContractText) -> list[Candidate]:
    """auto_renew, renewal_term and renewal_notice_period candidates."""
    found: dict[str, Candidate] = {}
    seen: set[int] = set()
    for anchor in RENEW.finditer(text.text):
        sentence = text.sentence_at(anchor.start())
        if sentence.start in seen:
            continue
        seen.add(sentence.start)
        for candidate in _renewal_sentence(text, sentence, anchor.start() - sentence.start):
            found.setdefault(candidate.field, candidate)
        if len(found) == 3:
            break
    return list(found.values())


def _renewal_sentence(text: ContractText, sentence: Sentence, at: int) -> list[Candidate]:
    body = sentence.text
    found: list[Candidate] = []
    optional = _OPTIONAL.search(body)
    automatic = _AUTO.search(body)
    if automatic and not (optional and optional.start() < automatic.start()):
        found.append(
            sentence_candidate(text, sentence, "auto_renew", value=True, rule="renewal.automatic")
        )
        mode = "automatic"
        at = automatic.start()
    elif optional:
        found.append(
            sentence_candidate(text, sentence, "auto_renew", value=False, rule="renewal.optional")
        )
        mode = "mutual" if _MUTUAL.search(body) else "option"
    else:
        mode = ""
    if _OTHER_RENEWAL.search(body):
        return found
    length: Candidate | None = None
    notice: Candidate | None = None
    for match in _DURATION.finditer(body):
        value = parse_duration(match.group())
        if value is None:
            continue
        named = _NOTICE_PERIOD_BEFORE.search(body, max(0, match.start() - 80), match.start())
        if named is not None:
            # "the renewal notice period is ninety (90) days": named as the notice outright.
            if notice is None:
                rule = "renewal.notice.automatic" if mode == "automatic" else "renewal.notice"
                notice = sentence_candidate(text, sentence, "renewal_notice_period", value, rule)
            continue
        if NOTICE_AFTER.search(body[match.end() : match.end() + 40]):
            if notice is None and _stops_renewal(body):
                rule = "renewal.notice.automatic" if mode == "automatic" else "renewal.notice"
                notice = sentence_candidate(text, sentence, "renewal_notice_period", value, rule)
            continue
        if length is None and match.start() >= at - 5:
            if _NOT_LENGTH_BEFORE.search(body, max(0, match.start() - 30), match.start()):
                continue
            near = mode in {"automatic", "option"} and match.start() - at <= _LENGTH_REACH
            rule = "renewal.length.stated" if near else "renewal.length"
            length = sentence_candidate(text, sentence, "renewal_term", value, rule)
    periodic = _PERIODIC_RENEWAL.search(body, max(0, at - 40), at + _LENGTH_REACH)
    if length is None and periodic:
        kind = periodic["kind"].casefold()
        value = Duration(months=1) if "month" in kind else Duration(months=12)
        length = sentence_candidate(
            text, sentence, "renewal_term", value, "renewal.length.inferred"
        )
    return found + [c for c in (length, notice) if c is not None]


def _stops_renewal(body: str) -> bool:
    """Whether a notice in ``body`` can be one that stops a renewal, not one that asks for it."""
    if not _STOP_RENEWAL.search(body):
        return False
    return not _ASK_RENEWAL.search(body) or bool(_REFUSE_RENEWAL.search(body))


def termination_for_convenience(text: ContractText) -> list[Candidate]:
    """Whether and on what notice a party may terminate without cause."""
    for match in _CONVENIENCE.finditer(text.text):
        sentence = text.sentence_at(match.start())
        subject = text.text[sentence.start : match.start()].casefold()
        by = _subject(subject)
        if by is None:
            continue
        notice = None
        for duration in _DURATION.finditer(sentence.text):
            if NOTICE_AFTER.search(sentence.text[duration.end() : duration.end() + 40]):
                notice = parse_duration(duration.group())
                break
        value = TerminationForConvenience(allowed=True, notice=notice, by=by)
        return [
            sentence_candidate(text, sentence, "termination_for_convenience", value, "convenience")
        ]
    return []


def _subject(before: str) -> str | None:
    if re.search(r"\b(?:either|each|any)\s+party\b|\bthe\s+parties\b", before):
        return "either"
    for word, role in _SUBJECT_ROLES.items():
        if re.search(rf"\b{word}\b", before):
            return role
    return None


def sentence_candidate(
    text: ContractText, sentence: Sentence, field: str, value: object, rule: str
) -> Candidate:
    """A candidate whose evidence is the whole sentence it was read from."""
    return Candidate(
        field=field,
        value=value,
        start=sentence.start,
        end=sentence.end,
        snippet=make_snippet(text.text, sentence.start, sentence.end),
        rule=rule,
        confidence=0.75,
    )
