"""The initial term and the expiration date, from the sentences that set the term.

A term sentence ends the term in one of three ways: at an explicit date (``until
December 31, 2020``, ``through February 16, 2019 (the "Initial Term")``), after a length
counted from a start (``five (5) years from the Effective Date``, ``the third anniversary
of …``), or never (``shall continue until terminated``, ``in perpetuity``), which is
``"perpetual"``.

The expiration date is the term's last day, inclusive, as the canonical model's
``term_end`` is: a length counted from a start ends the day before its anniversary
(``Duration.last_day``), and an explicit date is taken as written.

Every term sentence is read and the most explicit answer wins: a stated end date over a
computed one, a length counted from a stated start over one whose start is assumed, any
end over ``"perpetual"``. A length counted from an event (``three years from the Launch
Date``), or whichever of two ends comes first, gives no date: the event's date is not in
the text, and guessing it is worse than leaving the field to the reviewer.
"""

from __future__ import annotations

import re
from datetime import date

from contractsync.model import Duration

from ._candidate import Candidate
from ._dates import DATE, parse_date
from ._durations import DURATION, parse_duration
from ._numbers import parse_ordinal
from ._rules_term import NOTICE_AFTER, RENEW
from ._rules_term import sentence_candidate as _candidate
from ._text import ContractText, Sentence

_DATE = re.compile(DATE, re.IGNORECASE)
_TERM_ANCHOR = re.compile(
    r"(?:initial\s+|effective\s+)?term\s+of\s+(?:this|the)\s+[^.;]{0,60}?"
    r"\b(?:shall|will|is|commences|begins|means)\b"
    r"|(?:agreement|contract|employment|engagement|appointment)\s+(?:shall|will|is\s+to)\s+"
    r"(?:commence|continue|remain|be\s+"
    r"(?:in\s+(?:full\s+)?force|effective|valid|for)|expire|have\s+a\s+term|run|begin|"
    r"become\s+effective|come\s+into\s+(?:force|effect)|apply|end|automatically\s+terminate)"
    r"|(?:agreement|contract)\s+is\s+(?:for\s+a\s+(?:term|period)|effective\s+(?:as\s+of|from|on))"
    r"|(?:agreement|contract)\s+(?:begins|commences|starts)\s+(?:on|as\s+of|upon)\b"
    r"|initial\s+term\s+(?:shall|will|is|means|of)\b|[\"“]?term[\"”]?\s+(?:shall\s+)?means?"
    r"|\bterm[\"”]?\s*(?:\([^)]{0,40}\)\s*)?(?:shall|will)\s+(?:commence|begin|be|expire|continue"
    r"|end)|effective\s+term\s+is|\bfixed\s+term\b"
    r"|\b(?:is|are)\s+valid\s+for|indefinite\s+term|in\s+perpetuity|perpetually"
    r"|(?:termination|expiration|expiry|end)\s+date\s*:|term\s+of\s+execution"
    # The sentence that defines the term: "… through February 16, 2019 (the "Initial Term")".
    r"|\((?:the\s+)?(?:initial\s+)?[\"“](?:initial\s+|[\w-]+\s+)?term[\"”]\s*\)",
    re.IGNORECASE,
)
_MAX_SENTENCES = 12
# Survival and post-term covenants ("during the term and for two years thereafter") speak
# of time around the term, not of the term itself.
_AROUND_TERM = re.compile(
    r"(?:years?|months?|days?)\)?\s+(?:after\s+(?:the\s+|its\s+|such\s+)?"
    r"(?:termination|expiration|expiry)|following\s+(?:the\s+|its\s+)?(?:termination|expiration"
    r"|expiry))|surviv|during\s+the\s+(?:initial\s+)?term",
    re.IGNORECASE,
)
# "… for two years thereafter" runs past the term when the term or its end came first
# ("upon termination and for two years thereafter"), but is the term itself after a start
# ("shall commence on the Effective Date and extend for five (5) years thereafter").
_THEREAFTER = re.compile(r"(?:years?|months?|days?)\)?\s+thereafter", re.IGNORECASE)
_TERM_WORD = re.compile(r"\bterm\b|terminat|expir", re.IGNORECASE)
# "shall end on the 60th day following a written notice from one party": no fixed end,
# the term runs until a party gives notice.
_UNTIL_NOTICE = re.compile(
    r"\b(?:end|expire|terminate)s?\s+(?:on\s+)?(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:days?|months?)\s+"
    r"(?:following|after)\s+(?:the\s+)?(?:receipt\s+of\s+)?(?:a\s+|such\s+|any\s+)?"
    r"(?:prior\s+)?(?:written\s+)?notice",
    re.IGNORECASE,
)
_NOT_THE_TERM = re.compile(r"calendar\s+quarter|contract\s+year|as\s+such\s+term", re.IGNORECASE)
# A definition of some other period ('"Calendar Year" means each successive period of 12
# months … the first Calendar Year of the Term shall commence …') is not the term; one of
# the term or its end ('"Intended End of Term" means …') is.
_OTHER_DEFINITION = re.compile(
    r"^\W*(?:[\d.()a-z]{1,8}\s+)?[\"“](?![^\"”]{0,40}\b(?:term|expir\w*|end)\b)[^\"”]{1,40}[\"”]\s+"
    r"(?:shall\s+)?(?:means?|refers\s+to)\b",
    re.IGNORECASE,
)
_EVENT_START = re.compile(
    r"\s*\W{0,3}\s*(?:\([^)]*\)\s*)?(?:from|after|following|subsequent\s+to)\s+"
    r"(?!(?:and\s+including\s+)?(?:"
    r"(?:the\s+)?(?:effective|commencement|start|execution)\s+date|(?:the\s+)?date\s+(?:hereof|of\s+"
    r"(?:this|(?:its\s+)?execution|signature|signing|(?:the\s+)?effective))|(?:the\s+)?date\s+first"
    r"|(?:the\s+)?execution|the\s+date\s+"
    rf"(?:on\s+which\s+)?this|signing|{DATE}))",
    re.IGNORECASE,
)
# "shall be effective as of the date of physical completion of …", "shall commence on the
# date upon which the Company delivers …": the term starts at an event the text cannot date.
_EVENT_COMMENCES = re.compile(
    r"(?:commenc\w*|effective|begin\w*|start\w*)\s+(?:as\s+of|on|upon|from)\s+(?:the\s+)?"
    r"(?:date|day)\s+(?:of|on\s+which|upon\s+which|when|that)\s+(?!(?:this|the)\s+(?:agreement|"
    r"contract)|(?:its\s+)?(?:execution|signing|signature)|it\s+is\s+(?:signed|executed)|both|all)",
    re.IGNORECASE,
)
_ALTERNATIVE_ENDS = re.compile(
    r"\b(?:the\s+)?(?:earlier|sooner|later|longer|shorter|first\s+to\s+occur)\s+of\b",
    re.IGNORECASE,
)
_END_DATE = re.compile(
    rf"(?:until|through|thru|to|expir\w*\s+on|terminat\w*\s+on|end\w*\s+on|ending|expir\w*|"
    rf"conclud\w*\s+on|end\s+as\s+of|date\s*:|"
    rf"and\s+including|up\s+to)\s+(?:and\s+including\s+)?(?:midnight\s+(?:on\s+)?)?"
    rf"(?:the\s+)?(?:close\s+of\s+business\s+on\s+)?(?P<date>{DATE})",
    re.IGNORECASE,
)
# "five years from launch, but in no event later than February 28, 2013": a cap on an end
# the text cannot date, read as the alternative end it is.
_LATEST_END = re.compile(
    rf"\b(?:in\s+no\s+event|but\s+not|and\s+not)\s+later\s+than\s+(?:the\s+)?(?P<date>{DATE})",
    re.IGNORECASE,
)
_LENGTH = re.compile(
    rf"(?:for|of|period\s+of|term\s+of|be|is|last|lasting|end|terminate|expires?(?:\s+in)?|until"
    r"|valid\s+for)\s+(?:the\s+(?:earlier|later|longer|shorter)\s+of\s*:?\s*)?(?:\(\w{1,3}\)\s*)?"
    r"(?:on\s+the\s+date\s+(?:that\s+is\s+)?)?(?:an?\s+|the\s+)?(?:initial\s+)?"
    rf"(?:term\s+|period\s+)?(?:of\s+)?(?:approximately\s+)?(?P<length>{DURATION})"
    rf"|(?P<length2>{DURATION})\s+(?:initial\s+)?(?:term|period)",
    re.IGNORECASE,
)
_ANNIVERSARY = re.compile(
    r"(?P<ordinal>\w+)\s+(?:\(\d+(?:st|nd|rd|th)?\)\s*)?anniversary\s+of\s+(?:the\s+)?"
    r"(?:(?:effective|commencement|start|execution)\s+date|date\s+(?:hereof|of\s+this))",
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
    r"(?:expiration|expiry|termination|end|last|completion)",
    re.IGNORECASE,
)
_START_REF = re.compile(
    r"(?:from|after|following|of|commencing\s+(?:on|with)|beginning\s+(?:on|with)|starting)\s+"
    r"(?:and\s+including\s+)?(?:the\s+)?(?P<ref>(?:effective|commencement|start)\s+date|"
    r"date\s+(?:hereof|of\s+this\s+agreement|first\s+(?:written|set\s+forth)\s+above|of\s+"
    r"(?:its\s+)?(?:execution|signature|signing))|execution\s+date)",
    re.IGNORECASE,
)
_START_DATE = re.compile(
    rf"(?:from|commenc\w*\s+(?:on|as\s+of)?|beginning\s+(?:on)?|starting\s+(?:on)?|effective"
    rf"\s+(?:as\s+of|on)?)\s*(?:the\s+)?(?P<date>{DATE})",
    re.IGNORECASE,
)
# Lower ranks are more explicit; the first sentence of the best rank wins.
_RANK = {
    "term.end_date": 0,
    "term.length_from_date": 1,
    "term.length_from_effective": 1,
    "term.length_from_agreement": 1,
    "term.length_from_assumed_effective": 2,
    "term.length_from_assumed_agreement": 2,
    "term.alternative_end_date": 2,
    "term.alternative_length": 2,
    "term.perpetual": 3,
    "term.until_event": 3,
    "term.until_notice": 3,
}


def term(text: ContractText, start_dates: dict[str, date]) -> list[Candidate]:
    """initial_term and expiration_date candidates from the sentences that set the term."""
    lengths: list[Candidate] = []
    ends: list[Candidate] = []
    seen: set[int] = set()
    for anchor in _TERM_ANCHOR.finditer(text.text):
        sentence = text.sentence_at(anchor.start())
        if sentence.start in seen:
            continue
        seen.add(sentence.start)
        for candidate in _term_sentence(text, sentence, start_dates):
            (ends if candidate.field == "expiration_date" else lengths).append(candidate)
        if len(seen) >= _MAX_SENTENCES or any(_RANK[c.rule] == 0 for c in ends):
            break
    best = sorted(ends, key=lambda c: _RANK[c.rule])[:1]
    if lengths and best and best[0].value == "perpetual":
        # A term with a length is not perpetual, even when the text cannot date its start.
        best = []
    return [*lengths[:1], *best]


def _term_sentence(
    text: ContractText, sentence: Sentence, starts: dict[str, date]
) -> list[Candidate]:
    body = sentence.text
    renewal = RENEW.search(body)
    # Only what comes before any renewal language describes the initial term.
    initial = body[: renewal.start()] if renewal else body
    thereafter = _THEREAFTER.search(initial)
    if (
        _AROUND_TERM.search(initial)
        or (thereafter is not None and _TERM_WORD.search(initial, 0, thereafter.start()))
        or _NOT_THE_TERM.search(initial)
        or _OTHER_DEFINITION.search(initial)
    ):
        return []
    found: list[Candidate] = []

    def add(field: str, value: object, rule: str) -> None:
        found.append(_candidate(text, sentence, field, value, rule))

    alternative = _ALTERNATIVE_ENDS.search(initial)
    end = _END_DATE.search(initial)
    if end is not None and (value := parse_date(end["date"])) is not None:
        add("expiration_date", value, "term.end_date")
        return found
    latest = _LATEST_END.search(initial)
    if latest is not None and (value := parse_date(latest["date"])) is not None:
        add("expiration_date", value, "term.alternative_end_date")
        return found
    if alternative is not None:
        # "until the later of (a) July 31, 2021 or (b) …": the stated end, which holds
        # unless the event comes later; its own rule, so calibration says how far to trust it.
        stated = _DATE.search(initial, alternative.end(), alternative.end() + 40)
        if stated is not None and (value := parse_date(stated.group())) is not None:
            add("expiration_date", value, "term.alternative_end_date")
            return found
    if _UNTIL_NOTICE.search(initial):
        add("expiration_date", "perpetual", "term.until_notice")
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
        if NOTICE_AFTER.search(after[:40]):
            return found
        add("initial_term", length, "term.length")
        if _EVENT_START.match(after):
            return found
        start, how = _term_start(initial, starts)
        if how.startswith("assumed") and _EVENT_COMMENCES.search(initial):
            return found
        if start is not None:
            rule = "term.alternative_length" if alternative else f"term.length_from_{how}"
            add("expiration_date", length.last_day(start), rule)
        return found
    if alternative is not None:
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
