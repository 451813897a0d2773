"""Reporting obligations: a party delivers a report on a cadence.

A sentence is a reporting obligation when a party is bound (``shall``, ``will``, ``must``,
``agrees to``) to ``deliver``/``provide``/``submit``/``furnish``/``send``/``render`` a
report, or to ``report``, or a report ``shall be delivered``, and the sentence gives a
cadence: a period (``monthly``, ``quarterly``, ``annual``, ``each calendar quarter``) or a
due offset tied to one (``within thirty (30) days after the end of each calendar quarter``,
``by the 10th day of each month``). What is read:

* who reports: the subject as drafted (``Licensee``, ``Each Party``, ``You``);
* what: the report's name without articles and adjectives (``royalty report``,
  ``sales reports``, ``audited financial statement``, ``report of Commissions``); a
  ``statement`` counts only when it is a financial one, never a statement of work;
* the period and the due offset, as drafted.

A report without a cadence (on request, after an audit, on an adverse event, upon a
breach) is an event's paperwork, not a schedule a reviewer can track; one with only a date
(``by March 31, 2025``) stays a deliverable. Definitions (``"Report" means …``), audit
rights (``Licensor may audit …``), notices (``deemed received``) and survival clauses name
reports without obliging anyone to send one, and are skipped.

One report per sentence: the reconciler keeps one obligation per span and kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._numbers import NUMBER
from ._parties_names import ROLES
from ._text import ContractText, Sentence, squash

_VERBS = (
    r"deliver|provide|submit|furnish|send|render|supply|forward|transmit|issue"
    r"|make\s+available|report"
)
_MODAL = (
    r"\b(?:shall|will|must|agrees?\s+to|undertakes?\s+to|covenants?\s+to"
    r"|(?:is|are)\s+(?:required|obligated|obliged)\s+to)"
)
_OBLIGED = re.compile(
    # "Licensee shall, within thirty (30) days …, promptly deliver"; never "shall not".
    rf"{_MODAL}\s*(?:,[^,;.]{{1,160}},\s*)?(?:\([a-z0-9]{{1,4}}\)\s*)?"
    r"(?:(?!not\b|be\b)[a-z]+\s+){0,2}?"
    rf"(?:(?:prepare|compile)\s+and\s+)?(?P<verb>{_VERBS})\b"
    rf"|\band\s+(?:to\s+)?(?:[a-z]+ly\s+)?(?P<and_verb>{_VERBS})\b"
    r"|\b(?:shall|will|must)\s+be\s+(?:[a-z]+ly\s+)?(?:prepared\s+and\s+)?(?P<passive>"
    r"delivered|provided|submitted|furnished|sent|rendered|supplied|forwarded|transmitted"
    r"|made\s+available)\b",
    re.IGNORECASE,
)
_MODAL_BEFORE = re.compile(_MODAL, re.IGNORECASE)
# Only sentences that name a report are read (far fewer than those with "shall"); found in
# the casefolded text, which a case-sensitive pattern scans several times faster.
_ANCHOR = re.compile(r"report|statement|accounting|balance\s+sheet")
# The object of the verb ends where the next clause or obligation starts.
_OBJECT_END = re.compile(
    rf";|\.\s+(?=[\dA-Z(])|\b(?:shall|will|must|which|that|who|whereby)\b"
    rf"|\b(?:{_VERBS.replace('|report', '')})\b",
    re.IGNORECASE,
)
_REPORT = re.compile(
    r"\b(?P<head>reports?|(?:profit\s+and\s+loss\s+)?statements?|accountings?|balance\s+sheets?"
    r"|reporting)\b(?!\s+(?:principles|records|period|periods|requirements?|obligations?|firm|"
    r"standards|practices|policies|dates?|currency|systems?|purposes|treatment|of\s+work|"
    r"reports?|statements?|information|entries|fees?|services?)\b)",
    re.IGNORECASE,
)
_FINANCIAL = re.compile(
    r"\b(?:royalt\w*|sales|financial|revenues?|commissions?|accounts?|accounting|earnings|"
    r"income|operating|cash|profits?|loss|balance|fees?|costs?|expenditures?|invoic\w*)\b",
    re.IGNORECASE,
)
_TAIL = re.compile(
    r"\s+(?P<prep>of|on|regarding|concerning|detailing|showing|covering)\s+"
    r"(?P<article>(?:the|its|their|all|such|any)\s+)?"
    r"(?P<words>(?:[A-Za-z][\w&-]*(?:['\u2019]s)?\s*){1,3})"
)
_STOP_WORDS = {
    "a", "an", "the", "its", "their", "his", "her", "our", "your", "such", "all", "any",
    "each", "every", "one", "copy", "copies", "of", "to", "with", "for", "and", "or", "in",
    "on", "by", "from", "this", "that", "these", "those", "other", "certain", "additional",
    "following", "within", "during", "after", "before", "as", "under", "at", "than", "no",
    "not", "which", "including", "prepared", "setting", "showing", "us", "you", "them",
    "him", "me", "basis", "period", "periods", "day", "days", "month", "months", "quarter",
    "year", "end", "close", "then", "thereafter", "also", "be",
}  # fmt: skip
_ADJECTIVES = {
    "written", "detailed", "complete", "accurate", "full", "true", "correct", "timely",
    "interim", "periodic", "regular", "current", "then-current", "separate", "itemized",
    "relevant", "reasonable", "signed", "brief", "customary", "standard", "summary",
    "applicable",
}  # fmt: skip
_PERIOD_WORDS = {
    "monthly": "monthly", "quarterly": "quarterly", "annual": "annually",
    "annually": "annually", "yearly": "annually", "semi-annual": "semi-annually",
    "semi-annually": "semi-annually", "semiannual": "semi-annually",
    "semiannually": "semi-annually", "half-yearly": "semi-annually", "weekly": "weekly",
    "bi-weekly": "bi-weekly", "biweekly": "bi-weekly", "daily": "daily",
    "month": "monthly", "quarter": "quarterly", "year": "annually",
    "half-year": "semi-annually", "half year": "semi-annually", "week": "weekly",
}  # fmt: skip
_DESCRIBING = _ADJECTIVES | _PERIOD_WORDS.keys()
_PERIOD = re.compile(
    r"\b(?P<adverb>monthly|quarterly|annually|yearly|semi-?annually|half-yearly|bi-?weekly"
    r"|weekly|daily)\b(?!\s+(?:fees?|payments?|installments?|instalments?|rent|charges?|"
    r"minimums?|prices?|amounts?|meetings?|audits?|subscriptions?|budgets?|plans?)\b)"
    r"|\b(?:each|every|per|once\s+(?:a|an|each|every|per))\s+(?:calendar\s+|fiscal\s+|contract\s+"
    r"|financial\s+)?(?P<unit>month|quarter|year|half[\s-]year|week)\b",
    re.IGNORECASE,
)
_EACH_PERIOD = (
    r"(?:each|every|the|such|said|any)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:month|quarter|year|half[\s-]year|period|semester)s?\b"
)
_OFFSET = re.compile(
    rf"\b(?:within|(?:by\s+)?(?:no|not)\s+later\s+than)\s+{NUMBER}\s+(?:calendar\s+|business\s+"
    r"|working\s+)?(?:days?|weeks?|months?)\s+(?:after|following|of|from)\s+(?:the\s+)?(?:end"
    r"|close|last\s+(?:business\s+)?day|expiration|expiry|conclusion|completion)\s+of\s+"
    rf"{_EACH_PERIOD}"
    r"|\b(?:by|on\s+or\s+before|(?:by\s+)?(?:no|not)\s+later\s+than|before|on)\s+the\s+[\w-]+"
    r"(?:\s*\(\s*\w+\s*\))?\s+(?:business\s+|working\s+|calendar\s+)?day\s+(?:of|after"
    rf"|following)\s+(?:the\s+(?:end|close)\s+of\s+)?{_EACH_PERIOD}"
    r"|\bas\s+soon\s+as\s+(?:reasonably\s+)?practicable\s+(?:after|following)\s+the\s+(?:end"
    rf"|close)\s+of\s+{_EACH_PERIOD}",
    re.IGNORECASE,
)
_NOT_AN_OBLIGATION = re.compile(
    # A definition, an audit right, a report on request, a notice of breach, a notice
    # provision, or a survival clause.
    r"[\"“][^\"”]{1,80}[\"”]\s*(?:means|shall\s+mean|has\s+the\s+meaning|shall\s+have\s+the\s+"
    r"meaning|refers\s+to|is\s+defined)\b"
    r"|\b(?:may|right\s+to|entitled\s+to)\s+(?:[\w,]+\s+){0,4}?(?:audit|inspect|examine)\b"
    r"|\b(?:upon|on|at|following)\s+(?:the\s+)?(?:[\w&.-]+(?:'s|\u2019s)\s+|its\s+|their\s+)?"
    r"(?:written\s+|reasonable\s+|prior\s+)?request\b|\bas\s+(?:may\s+be\s+)?(?:reasonably\s+)?"
    r"requested\b|\b(?:if|when)\s+(?:so\s+)?requested\b"
    r"|\b(?:notice|notify|notification|report)\s+(?:to\s+\w+\s+)?(?:of\s+)?(?:any|a|such|the)?"
    r"\s*(?:breach|default|violation)"
    r"|\bdeemed\s+(?:to\s+have\s+been\s+)?(?:received|given|delivered|made)\b"
    r"|\bsurviv(?:e|es|ing|al)\b",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    r"(?:(?P<each>\b(?i:(?:each|either|both)\s+part(?:y|ies)|the\s+parties))"
    r"|(?P<name>(?:\b[a-z]?[A-Z][\w&.'\u2019-]*\s+(?:of\s+)?){0,3}\b[a-z]?[A-Z][\w&.'\u2019-]*)"
    r"|(?P<pronoun>\b(?:you|we|You|We)))\s*$",
)
# "Licensee, within thirty (30) days after …, shall": the aside is not the subject.
_ASIDE = re.compile(
    r",\s*(?:within|no\s+later|not\s+later|on\s+or\s+before|by|at|during|beginning|commencing"
    r"|as\s+soon|upon|following|after|through|in\s+(?:each|accordance|addition)|for\s+each"
    r"|promptly|each|every)\b[^;]*,\s*$",
    re.IGNORECASE,
)
_BY_SUBJECT = re.compile(
    r"^\s*by\s+(?:the\s+)?(?!(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December)\b)(?P<name>[A-Z][\w&.'\u2019-]*)"
)
# A list item's label or a sentence adverb before the subject: "B. You will supply".
_LEAD_WORDS = re.compile(
    r"[A-Za-z]\.|[IVX]+\.|The|Thereafter|Additionally|Also|Further|Furthermore|Moreover|Then"
    r"|Finally|Accordingly|Similarly|In|And|Each|Every"
)
# A report named in a list of examples is not the one the verb obliges a party to send.
_EXAMPLES = re.compile(r"\binclud\w*|\bsuch\s+as\b|\bother\s+than\b|\bexcept\b", re.I)
# Paperwork of an event (an adverse event, a breach, a recall) is reported when it happens.
_EVENT = re.compile(
    r"\b(?:adverse|incidents?|breach\w*|complaints?|recalls?|injur\w*|deaths?|defects?"
    r"|non-?conform\w*|non-?complian\w*)\b",
    re.IGNORECASE,
)

_Named = tuple[list[str], str, str]
"""A report's name: the words before its head noun, the head noun, an ``of …`` tail."""


@dataclass(frozen=True, slots=True)
class ScheduledReport:
    """A report a party must deliver on a cadence, as the sentence words it.

    Attributes:
        sentence: the sentence it was read from.
        what: the report's name (``royalty report``).
        reporter: the party that reports, as drafted (``Licensee``), if the sentence names it.
        period: ``monthly``, ``quarterly``, ``semi-annually``, ``annually``, ``weekly`` …
        offset: when each report is due relative to its period, as drafted.
        financial: whether it reports money (royalties, sales, financial statements).
    """

    sentence: Sentence
    what: str
    reporter: str | None
    period: str | None
    offset: str | None
    financial: bool

    @property
    def description(self) -> str:
        """``Licensee: royalty report, quarterly, within 30 days after the end of each quarter``."""
        schedule = ", ".join(part for part in (self.what, self.period, self.offset) if part)
        if self.reporter is None:
            return _capitalised(schedule)[:300]
        return f"{self.reporter}: {schedule}"[:300]


def scheduled_reports(text: ContractText) -> list[ScheduledReport]:
    """Reporting obligations with a cadence, one per sentence, in document order."""
    found: list[ScheduledReport] = []
    read_until = 0
    for anchor in _ANCHOR.finditer(text.folded):
        if anchor.start() < read_until:
            continue  # in a sentence already read (a run-on one is cut at different places)
        sentence = text.sentence_at(anchor.start())
        read_until = sentence.end
        report = _first_report(sentence)
        if report is not None and not _NOT_AN_OBLIGATION.search(sentence.text):
            found.append(report)
    return found


def _first_report(sentence: Sentence) -> ScheduledReport | None:
    for match in _OBLIGED.finditer(sentence.text):
        report = _read(sentence, match, match.start())
        if report is not None:
            return report
    return None


def _read(sentence: Sentence, match: re.Match[str], at: int) -> ScheduledReport | None:
    words = sentence.text
    read = _passive(words, match, at) if match["passive"] else _active(words, match, at)
    if read is None:
        return None
    (qualifiers, head, tail), reporter, matter = read
    offset_match = _OFFSET.search(words)
    # The due offset's period governs: "the weekly reports … on the sixth day of each Month".
    drafted = _period(qualifiers)
    offset_period = _period_in(offset_match.group()) if offset_match else None
    period = offset_period or drafted or _period_in(words)
    what = " ".join([*(q for q in qualifiers if q.casefold() not in _DESCRIBING), head]) + tail
    if period is None or (_EVENT.search(matter or what) and drafted is None):
        return None
    return ScheduledReport(
        sentence=sentence,
        what=squash(what),
        reporter=reporter,
        period=period,
        offset=squash(offset_match.group()) if offset_match else None,
        financial=_FINANCIAL.search(what) is not None,
    )


def _passive(words: str, match: re.Match[str], at: int) -> tuple[_Named, str | None, str] | None:
    named = _named_before(words[max(0, at - 120) : at])
    if named is None:
        return None
    by = _BY_SUBJECT.match(words[at + len(match.group()) :])
    return named, by["name"] if by else None, ""


def _active(words: str, match: re.Match[str], at: int) -> tuple[_Named, str | None, str] | None:
    before = words[:at]
    if match["and_verb"]:
        # "Licensee shall keep records and deliver …": the subject of the earlier verb.
        modals = list(_MODAL_BEFORE.finditer(before))
        if not modals:
            return None
        before = before[: modals[-1].start()]
    object_start = at + len(match.group())
    end = _OBJECT_END.search(words, object_start, object_start + 200)
    object_words = words[object_start : end.start() if end else object_start + 200]
    named = _named_after(object_words)
    if named is not None:
        return named, _reporter(before), ""
    if (match["verb"] or match["and_verb"]).casefold() == "report":
        # "shall report Net Sales quarterly": what is reported is the verb's object.
        return ([], "report", ""), _reporter(before), object_words
    return None


def _named_after(object_words: str) -> _Named | None:
    """The first report the verb's object names: (qualifiers, head noun, ``of …`` tail)."""
    for head in _REPORT.finditer(object_words):
        if _EXAMPLES.search(object_words, 0, head.start()):
            return None
        named = _name(object_words, head)
        if named is not None:
            return named
    return None


def _named_before(subject_words: str) -> _Named | None:
    """The report that is the subject of a passive verb (``Monthly reports shall be sent``)."""
    heads = list(_REPORT.finditer(subject_words))
    if not heads or len(subject_words) - heads[-1].end() > 80:
        return None
    return _name(subject_words, heads[-1])


def _name(words: str, head: re.Match[str]) -> _Named | None:
    qualifiers: list[str] = []
    for word in reversed(words[: head.start()].split()):
        if len(qualifiers) == 4 or not re.fullmatch(r"[A-Za-z][\w&-]*", word):
            break
        if word.casefold() in _STOP_WORDS or word.casefold() in ROLES:
            break
        if qualifiers and word[0].isupper() and qualifiers[0][0].islower():
            break  # a recipient before the report: "to the FDA annual safety reports"
        qualifiers.insert(0, word)
    tail_match = _TAIL.match(words, head.end())
    tail = ""
    if tail_match is not None:
        kept = []
        for word in tail_match["words"].split():
            if word.casefold() in _STOP_WORDS or word.endswith(("ing", "ed")):
                break
            kept.append(word)
        article = tail_match["article"] or ""
        tail = f" {tail_match['prep']} {article}{' '.join(kept)}" if kept else ""
    head_words = squash(head["head"])
    if head_words.casefold().startswith("statement") and not _FINANCIAL.search(
        " ".join(qualifiers) + tail
    ):
        return None  # a statement of work, or of facts, is not a financial report
    return qualifiers, head_words, tail


def _period(qualifiers: list[str]) -> str | None:
    for word in qualifiers:
        period = _PERIOD_WORDS.get(word.casefold())
        if period is not None:
            return period
    return None


def _period_in(words: str) -> str | None:
    match = _PERIOD.search(words)
    if match is None:
        return None
    word = match["adverb"] or match["unit"]
    return _PERIOD_WORDS.get(re.sub(r"\s+", " ", word.casefold()))


def _reporter(before: str) -> str | None:
    # "The Franchisee agrees to keep records and shall furnish": the subject of the first verb.
    for modal in [None, *reversed(list(_MODAL_BEFORE.finditer(before)))]:
        clause = before if modal is None else before[: modal.start()]
        match = _SUBJECT.search(_ASIDE.sub("", clause.rstrip()).rstrip(" ,"))
        if match is not None:
            return _subject(match)
    return None


def _subject(match: re.Match[str]) -> str | None:
    if match["each"]:
        return _capitalised(squash(match["each"]))
    if match["pronoun"]:
        return match["pronoun"].capitalize()
    names = match["name"].split()
    # A sentence the splitter missed ends in the run: "2. Terms. iVillage shall provide".
    ends = [i for i, word in enumerate(names[:-1]) if re.fullmatch(r"[A-Za-z][a-z]{3,}\.", word)]
    names = names[ends[-1] + 1 :] if ends else names
    while names and _LEAD_WORDS.fullmatch(names[0]):
        names.pop(0)
    return " ".join(names) or None


def _capitalised(words: str) -> str:
    return words[:1].upper() + words[1:]
