"""The agreement date and the effective date, from the preamble and the definitions.

Agreement date: the date the contract says it is dated, made or entered into as of,
normally in its first paragraph. Effective date: a date the contract defines as the
``Effective Date`` (``… 2019 (the "Effective Date")``, ``"Effective Date" means …``) or
says it is effective or commences on. When the contract defines its Effective Date as
the date of the agreement (``the date first written above``), the agreement date is used.
A contract that never names an effective date gets none: the reader can fall back to
the agreement date knowingly, but the extractor does not pretend it read one (measured on
CUAD, such a fallback is right only a third of the time).

When the preamble gives no date, the agreement date comes from the execution clause
(``IN WITNESS WHEREOF … as of March 5, 2019``), else from the dates beside the
signatures (``Date: March 5, 2019``, the last of them: the day the last party signed).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ._candidate import Candidate, make_snippet
from ._dates import DATE, parse_date
from ._text import ContractText

_DATE = re.compile(DATE, re.IGNORECASE)
_PREAMBLE_VERB = re.compile(
    r"(?:dated|made|entered\s+into|executed|signed|effective|concluded|agreed)"
    r"(?:\s+(?:and|&)\s+(?:entered\s+into|effective|made))?"
    r"(?:\s+(?:as\s+of|on|at|this|as\s+at|effective))*\s*(?:the\s+)?(?:date\s+of\s+)?$",
    re.IGNORECASE,
)
_BEFORE_EFFECTIVE = re.compile(
    r"(?:\(|,)\s*(?:hereinafter\s+)?(?:referred\s+to\s+as\s+)?(?:the\s+|this\s+)?"
    r"[\"“”']{1,2}\s*(?:effective|commencement|start)\s+date",
    re.IGNORECASE,
)
_MEANS = re.compile(
    r"[\"“”']\s*(?:effective|commencement)\s+date\s*[\"“”']?\s*(?:shall\s+)?"
    r"(?:means?|is|shall\s+be|refers\s+to)\s*(?P<what>[^.;]{0,120})",
    re.IGNORECASE,
)
_EFFECTIVE_ON = re.compile(
    r"(?:effective|commenc(?:e|es|ing)|take\s+effect|come\s+into\s+(?:force|effect)|"
    r"shall\s+begin|begins?)\s+(?:as\s+(?:of|from)|on|from|upon|at)?\s*(?:this\s+|the\s+)?$",
    re.IGNORECASE,
)
# "Effective Date: July 1, 2019", "EFFECTIVE DATE      JUNE 1, 1998", "The commencement date
# for this contract will be 16th June 2004".
_EFFECTIVE_LABEL = re.compile(
    r"(?:effective|commencement)\s+date\s*(?::\s*|\s{2,}|(?:for|of)\s+this\s+\w+\s+"
    r"(?:will|shall)\s+be\s+|is\s+)(?:the\s+)?$",
    re.IGNORECASE,
)
_TERM_CONTEXT = re.compile(r"\bterm\b", re.IGNORECASE)
_AGREEMENT_REFERENCE = re.compile(
    r"date\s+(?:first\s+)?(?:written|set\s+forth|stated|appearing)\s+above|"
    r"date\s+of\s+this\s+agreement|date\s+hereof",
    re.IGNORECASE,
)
_OTHER_AGREEMENT = re.compile(
    r"(?:agreement|amendment|contract|letter|plan|order)\s*(?:\([^)]*\)\s*)?,?\s*"
    r"(?:dated|entered\s+into)\s+(?:as\s+of\s+)?(?:on\s+)?$",
    re.IGNORECASE,
)
# "This Supply Agreement (this "Agreement") dated …": the contract's own date, even though
# a parenthetical sits between its name and the verb.
_THIS_DATED = re.compile(
    r"\b(?:this|the\s+present)\s+(?:[\w&/,.\-]+\s+){0,10}?(?:agreement|amendment|contract|"
    r"addendum|license|licence|lease|memorandum|deed)\s*(?:\([^)]{0,80}\)\s*)?,?\s*(?:is\s+)?"
    r"(?:made\s+and\s+)?(?:(?:dated|entered\s+into|made|executed|effective|signed)(?:\s+(?:and|&)"
    r"\s+(?:entered\s+into|effective|made))?(?:\s+(?:as\s+of|on|this|at|in\s+\w+\s+on))*)\s*"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
# A title line that carries its date: "SPONSORSHIP AGREEMENT, dated as of May 1, 2002".
_TITLE_DATED = re.compile(
    r"(?:^|\n|\s{3,})\s*(?:[A-Z][A-Z&/,\-]*\s+){0,8}(?:AGREEMENT|CONTRACT|AMENDMENT|LICENSE|LEASE)"
    r"\s*,?\s*(?:dated|DATED|Dated)\s+(?:as\s+of\s+|AS\s+OF\s+)?$"
)
_WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF|in\s+witness\s+whereof", re.IGNORECASE)
_WITNESS_AS_OF = re.compile(rf"\bas\s+of\s+(?:the\s+)?(?P<date>{DATE})", re.IGNORECASE)
_SIGNATURE_DATE = re.compile(rf"\b(?:date|dated)\s*:?\s*(?P<date>{DATE})", re.IGNORECASE)
_SIGNATURE_REACH = 4000
_HEAD = 5000
_FIRST_DATE_REACH = 1500
_THIS_AGREEMENT = re.compile(
    r"\b(?:this|the\s+present)\s+(?:[\w&/,-]+\s+){0,8}?(?:agreement|amendment|contract|addendum|"
    r"license|licence|lease|memorandum|deed)\b|\bhereof\b",
    re.IGNORECASE,
)
_ELSEWHERE = re.compile(
    r"that\s+certain|previously|original|[\"”]\s*(?:shall\s+)?means?\b|\bthe\s+(?:[A-Z][\w-]*\s+)+"
    r"(?:Agreement|Note|Plan)\b[^.]{0,40}$|\bunder\s+(?:a|an|the)\b|\bbetween\s+[A-Z][^.]{0,80}dated",
)
_DEADLINE = re.compile(r"(?:by|through|until|before|later\s+than|after|as\s+of|on)\s*$",
                       re.IGNORECASE)  # fmt: skip


def dates(text: ContractText) -> list[Candidate]:
    """Agreement-date and effective-date candidates."""
    found: list[Candidate] = []
    agreement = _agreement_date(text)
    found.extend(agreement)
    found.extend(_effective_date(text, agreement[0] if agreement else None))
    return found


def _agreement_date(text: ContractText) -> list[Candidate]:
    head = text.text[:_HEAD]
    found: list[Candidate] = []
    for match in _DATE.finditer(head):
        value = parse_date(match.group())
        if value is None:
            continue
        before = head[max(0, match.start() - 60) : match.start()]
        context = head[max(0, match.start() - 250) : match.start()]
        if _THIS_DATED.search(context):
            rule = "preamble_this"
        elif match.start() < _FIRST_DATE_REACH and _TITLE_DATED.search(before):
            rule = "title_dated"
        elif _OTHER_AGREEMENT.search(before) or _ELSEWHERE.search(context):
            continue
        elif _PREAMBLE_VERB.search(before):
            rule = "preamble_this" if _THIS_AGREEMENT.search(context) else "preamble_verb"
        elif re.search(r"\bdated?\s*:?\s*$", before, re.IGNORECASE):
            rule = "dated_label"
        elif not found and match.start() < _FIRST_DATE_REACH and not _DEADLINE.search(before):
            rule = "head_first_date"
        else:
            continue
        found.append(_candidate(text, "agreement_date", value, match.start(), match.end(), rule))
    found.extend(_executed(text))
    ranked = sorted(found, key=lambda c: (_AGREEMENT_RANK[c.rule], c.start))
    return ranked[:1]


_AGREEMENT_RANK = {
    "preamble_this": 0, "title_dated": 1, "preamble_verb": 1, "dated_label": 2,
    "witness_as_of": 3, "head_first_date": 4, "signature_date": 5,
}  # fmt: skip


def _executed(text: ContractText) -> list[Candidate]:
    """The date of the execution clause, else the last date beside the signatures."""
    found: list[Candidate] = []
    for witness in _WITNESS.finditer(text.text):
        sentence = text.sentence_at(witness.start())
        dated = _WITNESS_AS_OF.search(text.text, witness.start(), sentence.end + 40)
        if dated is not None and (value := parse_date(dated["date"])) is not None:
            start, end = dated.start("date"), dated.end("date")
            found.append(_candidate(text, "agreement_date", value, start, end, "witness_as_of"))
            break
    tail_start = max(0, len(text.text) - _SIGNATURE_REACH)
    last_witness = [m.start() for m in _WITNESS.finditer(text.text)][-1:]
    if last_witness:
        tail_start = min(tail_start, last_witness[0])
    signed = [
        (value, match)
        for match in _SIGNATURE_DATE.finditer(text.text, tail_start)
        if (value := parse_date(match["date"])) is not None
    ]
    if signed:
        value, match = max(signed, key=lambda item: (item[0], item[1].start()))
        found.append(_candidate(text, "agreement_date", value, match.start("date"),
                                match.end("date"), "signature_date"))  # fmt: skip
    return found


def _effective_date(text: ContractText, agreement: Candidate | None) -> list[Candidate]:
    found: list[Candidate] = []
    for match in _DATE.finditer(text.text):
        after = text.text[match.end() : match.end() + 60]
        before = text.text[max(0, match.start() - 80) : match.start()]
        context = text.text[max(0, match.start() - 250) : match.start()]
        if _BEFORE_EFFECTIVE.match(after.lstrip(" ,")) or _BEFORE_EFFECTIVE.match(after):
            rule = "defined_term"
        elif _EFFECTIVE_LABEL.search(before) and not _ELSEWHERE.search(context):
            rule = "effective_label"
        elif _EFFECTIVE_ON.search(before):
            if _ELSEWHERE.search(context):
                continue
            if _THIS_AGREEMENT.search(context):
                rule = "effective_on"
            elif match.start() < _FIRST_DATE_REACH:
                rule = "effective_on_head"
            elif _TERM_CONTEXT.search(context[-120:]):
                rule = "term_commences"
            else:
                continue
        else:
            continue
        value = parse_date(match.group())
        if value is not None:
            found.append(
                _candidate(text, "effective_date", value, match.start(), match.end(), rule)
            )
    for match in _MEANS.finditer(text.text):
        what = match["what"]
        dated = _DATE.search(what)
        if dated is not None and (value := parse_date(dated.group())) is not None:
            start = match.start("what") + dated.start()
            found.append(
                _candidate(text, "effective_date", value, match.start(), start + len(dated.group()),
                           "defined_means")
            )  # fmt: skip
        elif agreement is not None and _AGREEMENT_REFERENCE.search(what):
            found.append(
                _candidate(text, "effective_date", agreement.value, match.start(), match.end(),
                           "defined_as_agreement_date")
            )  # fmt: skip
    ranked = sorted(found, key=lambda c: (_EFFECTIVE_RANK[c.rule], c.start))
    if not ranked:
        return []
    best = ranked[0]
    conflicting = any(c.value != best.value and _EFFECTIVE_RANK[c.rule] <= 1 for c in ranked)
    if conflicting:
        best = replace(best, rule=best.rule + ".conflict")
    return [best]


_EFFECTIVE_RANK = {
    "defined_term": 0,
    "defined_means": 0,
    "effective_label": 1,
    "defined_as_agreement_date": 1,
    "effective_on": 2,
    "effective_on_head": 2,
    "term_commences": 3,
}


def _candidate(  # noqa: PLR0917 - one private constructor, called positionally throughout
    text: ContractText, field: str, value: date, start: int, end: int, rule: str
) -> Candidate:
    # The span reaches back to the words that say what the date is, for the reviewer.
    low = max(0, start - 80)
    space = text.text.find(" ", low, start)
    low = space + 1 if space >= 0 else start
    return Candidate(
        field=field,
        value=value,
        start=low,
        end=end,
        snippet=make_snippet(text.text, low, end),
        rule=rule,
        confidence=0.85,
    )
