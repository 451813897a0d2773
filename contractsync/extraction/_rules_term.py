"""The term: how long the contract runs, whether and how it renews, and how to stop it.

* ``initial_term`` and ``expiration_date`` come from the sentence that sets the term:
  an explicit end (``until December 31, 2020``), a length counted from a start (``five
  (5) years from the Effective Date``, ``the third anniversary of …``), or no end at all
  (``shall continue until terminated``, ``in perpetuity``), which is ``"perpetual"``. A
  length counted from the effective date (or the date of the agreement) becomes a date
  by calendar arithmetic, the anniversary convention contracts and CUAD use.
* ``auto_renew``, ``renewal_term`` and ``renewal_notice_period`` come from sentences that
  speak of renewal or extension: automatic (``shall automatically renew``, ``successive
  … unless``) or optional (``may be renewed``, ``option to renew``); the renewal length is
  the duration that follows the renewal verb; the notice is a duration said to come
  ``prior to``/``before`` the end of a term, or of notice of non-renewal.
* ``termination_for_convenience`` comes from ``may terminate … without cause / for
  convenience / for any reason`` with the notice it requires, when the sentence says
  who may terminate (either party, or a party whose defined term names its role).
"""

from __future__ import annotations

import re
from datetime import date

from contractsync.model import Duration, TerminationForConvenience

from ._candidate import Candidate, make_snippet
from ._dates import DATE, parse_date
from ._durations import DURATION, parse_duration
from ._numbers import parse_ordinal
from ._text import ContractText, Sentence

_DATE = re.compile(DATE, re.IGNORECASE)
_DURATION = re.compile(DURATION, re.IGNORECASE)
_TERM_ANCHOR = re.compile(
    r"(?:initial\s+|effective\s+)?term\s+of\s+(?:this|the)\s+[^.;]{0,40}?"
    r"\b(?:shall|will|is|commences|begins|means)\b"
    r"|(?:agreement|contract)\s+(?:shall|will|is\s+to)\s+(?:commence|continue|remain|be\s+"
    r"(?:in\s+(?:full\s+)?force|effective|valid|for)|expire|have\s+a\s+term|run|begin|"
    r"become\s+effective|come\s+into\s+(?:force|effect)|apply|end|automatically\s+terminate)"
    r"|(?:agreement|contract)\s+is\s+for\s+a\s+(?:term|period)"
    r"|initial\s+term\s+(?:shall|will|is|means|of)\b|[\"“]?term[\"”]?\s+(?:shall\s+)?means?"
    r"|\bterm[\"”]?\s+(?:shall|will)\s+(?:commence|begin|be|expire|continue|end)|effective\s+term\s+is"
    r"|\b(?:is|are)\s+valid\s+for|indefinite\s+term|in\s+perpetuity|perpetually"
    r"|(?:termination|expiration|expiry|end)\s+date\s*:|term\s+of\s+execution",
    re.IGNORECASE,
)
# Survival and post-term covenants ("during the term and for two years thereafter") speak
# of time around the term, not of the term itself.
_AROUND_TERM = re.compile(
    r"(?:years?|months?|days?)\)?\s+(?:thereafter|after\s+(?:the\s+|its\s+|such\s+)?"
    r"(?:termination|expiration|expiry)|following\s+(?:the\s+|its\s+)?(?:termination|expiration"
    r"|expiry))|surviv|during\s+the\s+(?:initial\s+)?term",
    re.IGNORECASE,
)
_NOT_THE_TERM = re.compile(r"calendar\s+quarter|contract\s+year|as\s+such\s+term", re.IGNORECASE)
_EVENT_START = re.compile(
    r"\W{0,3}(?:\([^)]*\)\s*)?(?:from|after|following|subsequent\s+to)\s+(?!(?:and\s+including\s+)?"
    r"(?:the\s+)?(?:effective|commencement|start|execution)\s+date|(?:the\s+)?date\s+(?:hereof|of\s+"
    r"(?:this|execution|signature|signing))|(?:the\s+)?date\s+first|(?:the\s+)?execution|the\s+date\s+"
    rf"(?:on\s+which\s+)?this|signing|{DATE})",
    re.IGNORECASE,
)
_ALTERNATIVE_ENDS = re.compile(
    r"\b(?:the\s+)?(?:earlier|sooner|later|longer|shorter)\s+of\b", re.IGNORECASE
)
_END_DATE = re.compile(
    rf"(?:until|through|thru|to|expir\w*\s+on|terminat\w*\s+on|end\w*\s+on|ending|expir\w*|"
    rf"conclud\w*\s+on|end\s+as\s+of|date\s*:|"
    rf"and\s+including|up\s+to)\s+(?:and\s+including\s+)?(?:midnight\s+(?:on\s+)?)?"
    rf"(?:the\s+)?(?:close\s+of\s+business\s+on\s+)?(?P<date>{DATE})",
    re.IGNORECASE,
)
_LENGTH = re.compile(
    rf"(?:for|of|period\s+of|term\s+of|be|is|last|lasting|end|terminate|expire|valid\s+for)"
    rf"\s+(?:on\s+the\s+date\s+(?:that\s+is\s+)?)?(?:an?\s+)?(?:initial\s+)?"
    rf"(?:term\s+|period\s+)?(?:of\s+)?(?:approximately\s+)?(?P<length>{DURATION})"
    rf"|(?P<length2>{DURATION})\s+(?:initial\s+)?(?:term|period)",
    re.IGNORECASE,
)
_ANNIVERSARY = re.compile(
    r"(?P<ordinal>\w+)\s+\(?\d*\)?\s*anniversary\s+of\s+the\s+(?P<of>[\w\s]{3,40}?date|date\s+hereof)",
    re.IGNORECASE,
)
_PERPETUAL = re.compile(
    r"perpetu(?:al|ity)(?!\s*,?\s*(?:irrevocable|non-?exclusive|exclusive|royalty|fully|"
    r"worldwide|licen[sc]e|right|paid|transferable))|indefinite(?:ly)?|"
    r"(?:until|unless\s+and\s+until)\s+(?:it\s+is\s+|this\s+agreement\s+is\s+)?"
    r"(?:otherwise\s+)?terminated|until\s+(?:either|one|a)\s+party\s+(?:terminates|gives)"
    r"|when\s+terminated|unless\s+terminated\s+as",
    re.IGNORECASE,
)
_UNTIL_EVENT = re.compile(
    r"(?:continue|remain)\s+in\s+(?:full\s+)?(?:force|effect)\s+until\s+(?:the\s+)?"
    r"(?:expiration|expiry|termination|end|later|last|completion)",
    re.IGNORECASE,
)
_START_REF = re.compile(
    r"(?:from|after|following|of|commencing\s+(?:on|with)|beginning\s+(?:on|with)|starting)\s+"
    r"(?:and\s+including\s+)?(?:the\s+)?(?P<ref>(?:effective|commencement|start)\s+date|"
    r"date\s+(?:hereof|of\s+this\s+agreement|first\s+(?:written|set\s+forth)\s+above|of\s+"
    r"(?:execution|signature|signing))|execution\s+date)",
    re.IGNORECASE,
)
_START_DATE = re.compile(
    rf"(?:from|commenc\w*\s+(?:on|as\s+of)?|beginning\s+(?:on)?|starting\s+(?:on)?|effective"
    rf"\s+(?:as\s+of|on)?)\s*(?:the\s+)?(?P<date>{DATE})",
    re.IGNORECASE,
)
_RENEW = re.compile(r"\brenew|\bextended\s+(?:automatically|for)|automatic(?:ally)?\s+extend"
                    r"|\bextension\s+(?:term|period)", re.IGNORECASE)  # fmt: skip
_AUTO = re.compile(
    r"automatic(?:ally)?\s+(?:be\s+)?(?:renew|extend)|auto-?renew|(?:renew|extend)\w*\s+automatically"
    r"|(?:shall|will)\s+(?:thereafter\s+)?(?:be\s+)?(?:renew|extended)\w*\s+(?:for|on|from)"
    r"|(?:renew|extend)\w*[^.]{0,120}unless|thereafter\s+(?:from\s+)?year\s+to\s+year"
    r"|evergreen",
    re.IGNORECASE,
)
_OPTIONAL = re.compile(
    r"may\s+(?:be\s+)?(?:renew|extend)|option\s+to\s+(?:renew|extend)|right\s+to\s+(?:renew|extend)"
    r"|(?:by|upon|with)\s+(?:the\s+)?mutual\s+(?:written\s+)?(?:agreement|consent)"
    r"|mutually\s+agree|if\s+(?:the\s+parties|both\s+parties)\s+agree|at\s+the\s+option\s+of",
    re.IGNORECASE,
)
_PERIODIC_RENEWAL = re.compile(
    r"(?P<kind>year[\s-]+to[\s-]+year|month[\s-]+to[\s-]+month|annual(?:ly)?|yearly|"
    r"one\s+or\s+more\s+annual)\b",
    re.IGNORECASE,
)
_NOTICE_AFTER = re.compile(
    r"^\W{0,3}(?:\)\s*)?(?:'s?|\u2019s?)?\s*(?:of\s+)?(?:advance\s+|prior\s+|advanced\s+)?(?:written\s+)?"
    r"(?:prior\s+)?(?:notice|notification|before|prior|in\s+advance|preceding|written)",
    re.IGNORECASE,
)
_STOP_RENEWAL = re.compile(
    r"not\s+(?:to\s+)?renew|non-?renewal|terminat|cancel|intent\w*\s+not|elect\w*\s+not"
    r"|expir|end\s+of\s+(?:the|such|any|then)|not\s+(?:to\s+)?extend",
    re.IGNORECASE,
)
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


def term(text: ContractText, start_dates: dict[str, date]) -> list[Candidate]:
    """initial_term and expiration_date candidates from the sentences that set the term."""
    found: list[Candidate] = []
    seen: set[int] = set()
    for anchor in _TERM_ANCHOR.finditer(text.text):
        sentence = text.sentence_at(anchor.start())
        if sentence.start in seen:
            continue
        seen.add(sentence.start)
        found.extend(_term_sentence(text, sentence, start_dates))
        if any(c.field == "expiration_date" for c in found):
            break
    return found


def _term_sentence(
    text: ContractText, sentence: Sentence, starts: dict[str, date]
) -> list[Candidate]:
    body = sentence.text
    if _AROUND_TERM.search(body) or _NOT_THE_TERM.search(body):
        return []
    renewal = _RENEW.search(body)
    # Only what comes before any renewal language describes the initial term.
    initial = body[: renewal.start()] if renewal else body
    found: list[Candidate] = []

    def add(field: str, value: object, rule: str) -> None:
        found.append(_candidate(text, sentence, field, value, rule))

    end = _END_DATE.search(initial)
    if end is not None and (value := parse_date(end["date"])) is not None:
        add("expiration_date", value, "term.end_date")
        return found
    length_match = _LENGTH.search(initial)
    anniversary = _ANNIVERSARY.search(initial)
    length: Duration | None = None
    if length_match is not None:
        length = parse_duration(length_match["length"] or length_match["length2"])
    elif anniversary is not None and (years := parse_ordinal(anniversary["ordinal"])):
        length = Duration(months=12 * years)
    if length is not None:
        after = initial[length_match.end() :] if length_match is not None else ""
        if _NOTICE_AFTER.search(after[:40]):
            return found
        add("initial_term", length, "term.length")
        if _EVENT_START.match(after) or _ALTERNATIVE_ENDS.search(initial):
            return found  # counted from an event, or whichever of two ends comes first
        start, how = _term_start(initial, starts)
        if start is not None:
            add("expiration_date", length.after(start), f"term.length_from_{how}")
        return found
    if _PERPETUAL.search(initial):
        add("expiration_date", "perpetual", "term.perpetual")
    elif _UNTIL_EVENT.search(initial):
        add("expiration_date", "perpetual", "term.until_event")
    return found


def _term_start(body: str, starts: dict[str, date]) -> tuple[date | None, str]:
    explicit = _START_DATE.search(body)
    if explicit is not None and (value := parse_date(explicit["date"])) is not None:
        return value, "date"
    reference = _START_REF.search(body)
    if reference is not None:
        ref = reference["ref"].casefold()
        if ref.startswith(("effective", "commencement", "start")):
            return starts.get("effective_date") or starts.get("agreement_date"), "effective"
        return starts.get("agreement_date") or starts.get("effective_date"), "agreement"
    if "effective_date" in starts:
        return starts["effective_date"], "assumed_effective"
    return starts.get("agreement_date"), "assumed_agreement"


def renewal(text: ContractText) -> list[Candidate]:
    """auto_renew, renewal_term and renewal_notice_period candidates."""
    found: dict[str, Candidate] = {}
    seen: set[int] = set()
    for anchor in _RENEW.finditer(text.text):
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
        found.append(_candidate(text, sentence, "auto_renew", value=True, rule="renewal.automatic"))
    elif optional:
        found.append(_candidate(text, sentence, "auto_renew", value=False, rule="renewal.optional"))
    renewal_length: Duration | None = None
    notice: Duration | None = None
    for match in _DURATION.finditer(body):
        value = parse_duration(match.group())
        if value is None:
            continue
        if _NOTICE_AFTER.search(body[match.end() : match.end() + 40]):
            if notice is None and _STOP_RENEWAL.search(body):
                notice = value
            continue
        if renewal_length is None and match.start() >= at - 5:
            renewal_length = value
    if renewal_length is None and (periodic := _PERIODIC_RENEWAL.search(body, max(0, at - 40))):
        kind = periodic["kind"].casefold()
        renewal_length = Duration(months=1) if kind.startswith("month") else Duration(months=12)
    if renewal_length is not None:
        found.append(_candidate(text, sentence, "renewal_term", renewal_length, "renewal.length"))
    if notice is not None:
        found.append(_candidate(text, sentence, "renewal_notice_period", notice, "renewal.notice"))
    return found


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
            if _NOTICE_AFTER.search(sentence.text[duration.end() : duration.end() + 40]):
                notice = parse_duration(duration.group())
                break
        value = TerminationForConvenience(allowed=True, notice=notice, by=by)
        return [_candidate(text, sentence, "termination_for_convenience", value, "convenience")]
    return []


def _subject(before: str) -> str | None:
    if re.search(r"\b(?:either|each|any)\s+party\b|\bthe\s+parties\b", before):
        return "either"
    for word, role in _SUBJECT_ROLES.items():
        if re.search(rf"\b{word}\b", before):
            return role
    return None


def _candidate(
    text: ContractText, sentence: Sentence, field: str, value: object, rule: str
) -> Candidate:
    return Candidate(
        field=field,
        value=value,
        start=sentence.start,
        end=sentence.end,
        snippet=make_snippet(text.text, sentence.start, sentence.end),
        rule=rule,
        confidence=0.75,
    )
