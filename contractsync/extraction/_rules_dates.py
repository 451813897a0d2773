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
or the dates beside the signatures (``_dates_executed``). An effective date defined as
the day the last party signs is then that signed date. The signed date (the day the last
party signed) is the latest date written beside a signature.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from ._candidate import Candidate, make_snippet
from ._dates import DATE, parse_date
from ._dates_executed import QUALIFIED_LABEL, executed, in_signature_block
from ._text import ContractText

_DATE = re.compile(DATE, re.IGNORECASE)
_PREAMBLE_VERB = re.compile(
    r"(?:dated|made|entered\s+into|executed|signed|effective|concluded|agreed)"
    r"(?:\s+(?:and|&)\s+(?:entered\s+into|effective|made))?"
    r"(?:\s+(?:as\s+of|on|at|this|as\s+at|effective))*\s*(?:the\s+)?(?:date\s+of\s+)?$",
    re.IGNORECASE,
)
_BEFORE_EFFECTIVE = re.compile(
    r"(?:\(|,)\s*(?:such\s+date,?\s+)?(?:hereinafter\s+)?(?:referred\s+to\s+as\s+)?(?:the\s+|this\s+)?"
    r"[\"“”']{1,2}\s*(?:effective|commencement|start)\s+date",
    re.IGNORECASE,
)
# A definition quotes its term, or, in definition lists, just capitalises it ("EFFECTIVE
# DATE shall mean …"); an unquoted term is read only when followed by "mean(s)".
_MEANS = re.compile(
    r"(?:[\"“”']\s*(?i:effective|commencement)\s+(?i:date)\s*[\"“”']?\s*(?i:shall\s+)?"
    r"(?i:means?|is|shall\s+be|refers\s+to)"
    r"|\b(?:Effective|EFFECTIVE|Commencement|COMMENCEMENT)\s+(?:Date|DATE)\s+(?i:shall\s+)?"
    r"(?i:means?))\s*(?P<what>(?:i\.e\.|e\.g\.|[^.;]){0,120})",
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
# "The term is 12 months beginning March 1, 2005": the start of the term, read only when
# the word "term" is close by, since "beginning" alone starts many other periods.
_TERM_BEGINS = re.compile(
    r"(?:beginning|commencing|starting)\s+(?:on\s+|as\s+of\s+|from\s+)?(?:the\s+)?$", re.IGNORECASE
)
# "effective as of the date first written above", "shall begin on the date of execution":
# the contract takes effect on its own date, so the effective date is the agreement date.
_EFFECTIVE_AS_AGREEMENT = re.compile(
    r"(?:\beffective|\bcommenc|\bbegin|come\s+into\s+(?:force|effect)|take\s+effect"
    r"|\benters?\s+into\s+(?:force|effect))\w*\s+"
    r"(?:(?:immediately|only|automatically|simultaneously)\s+)?"
    r"(?:as\s+of|on|from|upon|at)\s+(?:and\s+after\s+)?(?:the\s+)?"
    r"(?:completion\s+of\s+(?:the\s+)?)?(?:"
    r"(?:date|day\s+and\s+year)\s+(?:first\s+)?(?:written|set\s+forth|stated|shown|appearing)"
    r"\s+above|(?:date|day\s+and\s+year)\s+(?:first\s+)?above\s+written|date\s+hereof"
    r"|date\s+of\s+(?:this\s+agreement|(?:its\s+)?(?:execution|signing|signature))"
    r"|date\s+(?:on\s+which|when)\s+(?:it|this\s+agreement)\s+is\s+(?:signed|executed)"
    # "commences upon execution of this document": execution of the contract itself, not
    # of some later instrument ("upon execution of a Statement of Work").
    r"|(?:its\s+)?(?:execution|signing|signature)(?:\s+(?:of|by)\s+(?:this|both|all|each|the\s+"
    r"parties)\b|(?!\s+(?:of|date)\b)))",
    re.IGNORECASE,
)
# "shall not be … effective until signed by the parties"; "has been executed as of the
# date first set forth above and shall be effective simultaneously".
_EFFECTIVE_WHEN_SIGNED = re.compile(
    r"\beffective\s+until\s+(?:it\s+is\s+|this\s+agreement\s+is\s+)?(?:signed|executed)\b"
    r"|\bexecuted\s+as\s+of\s+the\s+(?:date|day\s+and\s+year)\s+first\s+(?:written|set\s+forth|"
    r"stated)\s+above\s+and\s+(?:shall\s+)?(?:be|become)\s+effective\b",
    re.IGNORECASE,
)
# "effective … on the day after the date of last signature": the day after the last
# party signed.
_DAY_AFTER_SIGNED = re.compile(
    r"\beffective\b(?:[^.;]|\b[ap]\.m\.){0,80}?\b(?:the\s+)?day\s+(?:after|following)\s+(?:the\s+)?"
    r"(?:date\s+of\s+(?:the\s+)?)?(?:last|final|later)\s+(?:signature|execution)",
    re.IGNORECASE,
)
_SOME_PERIOD = re.compile(r"\b(?:period|year|quarter|month|phase)\s*$", re.IGNORECASE)
_AGREEMENT_REFERENCE = re.compile(
    r"date\s+(?:first\s+)?(?:written|set\s+forth|stated|appearing)\s+above|"
    r"date\s+of\s+this\s+agreement|date\s+hereof",
    re.IGNORECASE,
)
# "the date of last signature", "the date on which it is signed by both parties".
_LAST_SIGNED = re.compile(
    r"\blast\s+(?:signature|(?:party\s+)?(?:to\s+)?sign)|\bsigned\s+by\s+(?:both|all|each)\b"
    r"|\bfully\s+executed|\bexecuted\s+by\s+(?:both|all|each)\b",
    re.IGNORECASE,
)
_COVER_EFFECTIVE = re.compile(r"^(?:effective|commencement)", re.IGNORECASE)
_SIGNED_RULES = frozenset({"signature_date", "signature_block_date"})
_OTHER_AGREEMENT = re.compile(
    r"(?:agreement|amendment|contract|letter|plan|order|note|instrument|certificate|policy)\s*(?:\([^)]*\)\s*)?,?\s*"
    # A reference number may follow the name: "Maintenance Agreement ref. DS/C-39/14 Issue 7".
    r"(?:(?:ref(?:erence)?\.?|no\.?|number|#)[^\S\n]*[\w/.-]+[^\S\n]+(?:(?:issue|rev\.?|revision|version)"
    r"[^\S\n]+[\w.]+[^\S\n]+)?)?(?:dated|entered\s+into)\s+(?:as\s+of\s+)?(?:on\s+)?$",
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
_AS_OF_EFFECTIVE = re.compile(
    r"\b(?:this|the\s+present)\s+(?:[\w&/,\-]+\s+){0,8}?(?:agreement|contract)\s*"
    r"(?:\([^)]{0,80}\)\s*)?,?\s*(?:is\s+)?(?:dated|made|entered\s+into|executed)"
    r"(?:\s+(?:and|&)\s+(?:entered\s+into|effective|made))?\s+(?:as\s+of|on)\s+the\s+effective\s+date",
    re.IGNORECASE,
)
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
    signatures = executed(text)
    agreement = _agreement_date(text, signatures)
    found.extend(agreement)
    last_signed = next(
        (_candidate(text, "effective_date", value, start, end, rule)
         for rule, value, start, end in signatures if rule in _SIGNED_RULES),
        None,
    )  # fmt: skip
    effective = _effective_date(text, agreement[0] if agreement else None, last_signed)
    found.extend(effective)
    if last_signed is not None:
        # The date the last party signed, as the signature block gives it.
        found.append(replace(last_signed, field="signed_date"))
    if not agreement and effective and effective[0].rule in {"defined_term", "defined_means"}:
        # "… is entered into as of the Effective Date (as defined below)": the contract is
        # dated by the date it defines as effective.
        reference = _AS_OF_EFFECTIVE.search(text.text, 0, _HEAD)
        if reference is not None:
            found.append(
                _candidate(text, "agreement_date", effective[0].value, reference.start(),
                           reference.end(), "preamble_as_of_effective")
            )  # fmt: skip
    return found


def _agreement_date(
    text: ContractText, signatures: list[tuple[str, date, int, int]]
) -> list[Candidate]:
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
        elif match.start() < _FIRST_DATE_REACH and _defines_effective(head, match.end()):
            # "AGREEMENT (the "Agreement") dated … (the "Effective Date")": a date that the
            # opening defines as this contract's own cannot belong to another agreement.
            rule = "preamble_defined"
        elif _OTHER_AGREEMENT.search(before) or _ELSEWHERE.search(context):
            continue
        elif _PREAMBLE_VERB.search(before):
            rule = "preamble_this" if _THIS_AGREEMENT.search(context) else "preamble_verb"
        elif re.search(r"\bdated?\s*:?\s*$", before, re.IGNORECASE):
            qualified = QUALIFIED_LABEL.search(before)
            if qualified is None:
                rule = "dated_label"
            elif match.start() < _FIRST_DATE_REACH and _COVER_EFFECTIVE.search(qualified.group()):
                # "Effective Date: July 1, 2019" heading a short instrument is its only date.
                rule = "cover_effective_label"
            else:
                continue
        elif (
            not found
            and match.start() < _FIRST_DATE_REACH
            and not _DEADLINE.search(before)
            and not in_signature_block(head, match.start(), match.end())
        ):
            rule = "head_first_date"
        else:
            continue
        found.append(_candidate(text, "agreement_date", value, match.start(), match.end(), rule))
    found.extend(
        _candidate(text, "agreement_date", value, start, end, rule)
        for rule, value, start, end in signatures
    )
    ranked = sorted(found, key=lambda c: (_AGREEMENT_RANK[c.rule], c.start))
    if not ranked:
        return []
    best = ranked[0]
    if any(c.value != best.value for c in ranked[1:]):
        # The document dates itself twice, differently ("as of" one day, signed another):
        # a reader must choose, so the value goes to its own, less trusted, bin.
        best = replace(best, rule=best.rule + ".contested")
    return [best]


_AGREEMENT_RANK = {
    "preamble_this": 0, "preamble_defined": 0, "title_dated": 1, "preamble_verb": 1,
    "dated_label": 2, "cover_effective_label": 2, "witness_as_of": 3, "head_first_date": 4,
    "signature_date": 5, "signature_block_date": 6,
}  # fmt: skip


def _defines_effective(text: str, end: int) -> bool:
    after = text[end : end + 60]
    return bool(_BEFORE_EFFECTIVE.match(after.lstrip(" ,")) or _BEFORE_EFFECTIVE.match(after))


def _effective_date(
    text: ContractText, agreement: Candidate | None, last_signed: Candidate | None
) -> list[Candidate]:
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
        elif _TERM_BEGINS.search(before) and _TERM_CONTEXT.search(context[-120:]):
            if _ELSEWHERE.search(context):
                continue
            rule = "term_commences"
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
        elif (
            agreement is not None
            and agreement.rule.partition(".")[0] in _SIGNED_RULES
            and _LAST_SIGNED.search(what)
        ):
            found.append(
                _candidate(text, "effective_date", agreement.value, match.start(), match.end(),
                           "defined_as_signature_date")
            )  # fmt: skip
        elif agreement is not None and _AGREEMENT_REFERENCE.search(what):
            found.append(
                _candidate(text, "effective_date", agreement.value, match.start(), match.end(),
                           "defined_as_agreement_date")
            )  # fmt: skip
    if agreement is not None:
        found.extend(_effective_as_agreement(text, agreement))
    if last_signed is not None and (day_after := _DAY_AFTER_SIGNED.search(text.text)):
        found.append(
            _candidate(text, "effective_date", last_signed.value + timedelta(days=1),
                       day_after.start(), day_after.end(), "day_after_signature")
        )  # fmt: skip
    ranked = sorted(found, key=lambda c: (_EFFECTIVE_RANK[c.rule], c.start))
    if not ranked:
        return []
    best = ranked[0]
    conflicting = any(c.value != best.value and _EFFECTIVE_RANK[c.rule] <= 1 for c in ranked)
    if conflicting:
        best = replace(best, rule=best.rule + ".conflict")
    return [best]


def _effective_as_agreement(text: ContractText, agreement: Candidate) -> list[Candidate]:
    """The agreement date, where the contract says it takes effect on it."""
    when_signed = [
        match
        for match in _EFFECTIVE_WHEN_SIGNED.finditer(text.text)
        # Signing is named without its instrument, so the sentence must be about this one.
        if _THIS_AGREEMENT.search(text.text, text.sentence_at(match.start()).start, match.start())
    ]
    phrases = sorted([*_EFFECTIVE_AS_AGREEMENT.finditer(text.text), *when_signed],
                     key=lambda match: match.start())  # fmt: skip
    for match in phrases:
        # Only the sentence itself can say the phrase is about another instrument.
        sentence = text.sentence_at(match.start())
        if _ELSEWHERE.search(text.text[sentence.start : match.start()]):
            continue
        if _SOME_PERIOD.search(text.text[max(sentence.start, match.start() - 30) : match.start()]):
            continue  # "the period commencing on the date hereof": not the contract's start
        return [
            _candidate(text, "effective_date", agreement.value, match.start(), match.end(),
                       "effective_as_agreement_date")
        ]  # fmt: skip
    return []


_EFFECTIVE_RANK = {
    "defined_term": 0,
    "defined_means": 0,
    "effective_label": 1,
    "defined_as_agreement_date": 1,
    "defined_as_signature_date": 1,
    "effective_as_agreement_date": 2,
    "effective_on": 2,
    "effective_on_head": 2,
    "day_after_signature": 1,
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
