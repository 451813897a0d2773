"""Amendments: recognise one, say what it amends, and keep only the terms it changes.

An amendment announces itself in its title or first sentence: ``AMENDMENT NO. 2 TO THE
SUPPLY AGREEMENT``, ``First Amendment to …``, ``Amendment #3 to Manufacturing
Agreement``, ``This Amendment … amends that certain …``. What it amends is the agreement
named after ``to``/``amends``, with the date that follows ``dated (as of)``.

An amendment restates little: it changes a few terms and leaves the rest. So of the
candidates found in it, only those whose sentence is a change (``is hereby amended``,
``deleted and replaced``, ``extended``, ``shall be``… within the operative part after
the recitals) are kept; the parties, and the dates that merely identify the agreement,
are not changes.
"""

from __future__ import annotations

import re

from ._candidate import Candidate
from ._dates import DATE, parse_date
from ._protocol import AmendmentInfo
from ._text import ContractText

# The name runs to its last noun: "Software License and Subscription Agreement", not
# "Software License".
_NAME_END = r"(?:agreement|contract|license|licence|lease)\b(?!\s+(?:and|&)\s)"
_TITLE = re.compile(
    r"\b(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
    r"\s+)?(?<!no\s)(?<!any\s)amendment(?:\s+(?:no\.?|number|#)\s*\w+)?\s+(?:to|of)\s+"
    r"(?:the\s+|that\s+certain\s+)?(?!this\b)"
    rf"(?P<amends>[^\n.,;(]{{3,120}}?{_NAME_END})",
    re.IGNORECASE,
)
_AMENDS = re.compile(
    r"\bamend(?:s|ing)?\s+(?:and\s+restat\w+\s+)?(?:that\s+certain|the)\s+(?P<amends>[^.;(]{3,120}?"
    rf"{_NAME_END})",
    re.IGNORECASE,
)
# "The Parties may amend the terms and conditions of this Agreement" amends nothing yet.
_ITSELF = re.compile(r"\b(?:this|these|such)\b", re.IGNORECASE)
_RESTATED = re.compile(r"amended\s+and\s+restated", re.IGNORECASE)
_DATED = re.compile(rf"\s*(?:,\s*)?(?:\([^)]*\)\s*)?(?:,\s*)?(?:dated|effective|entered\s+into)"
                    rf"\s+(?:as\s+of\s+)?(?:on\s+)?(?P<date>{DATE})", re.IGNORECASE)  # fmt: skip
_CHANGE = re.compile(
    r"hereby\s+amended|is\s+amended|are\s+amended|deleted\s+(?:in\s+its\s+entirety\s+)?and\s+"
    r"replaced|replaced\s+(?:in\s+its\s+entirety\s+)?(?:with|by)|shall\s+be\s+(?:extended|amended|"
    r"changed|revised|increased|decreased|reduced)|(?:is|are)\s+hereby\s+(?:extended|changed)|"
    r"\bextend(?:s|ed)?\s+the\s+term|amended\s+to\s+read|(?:added|inserted)\s+(?:to|after|as)",
    re.IGNORECASE,
)
_OPERATIVE = re.compile(
    r"NOW,?\s+THEREFORE|agree[sd]?\s+as\s+follows|hereby\s+agree", re.IGNORECASE
)
_NOT_CHANGES = frozenset({"parties", "agreement_date", "effective_date"})
_HEAD = 4000


def recognise_amendment(text: ContractText, candidates: list[Candidate]) -> AmendmentInfo | None:
    """The amendment's title and what it amends, or None for an original agreement.

    An *amended and restated* agreement is a complete agreement, not an amendment.
    """
    head = text.text[:_HEAD]
    title = _TITLE.search(head)
    amends_match = title or next(
        (m for m in _AMENDS.finditer(head) if not _ITSELF.search(m["amends"])), None
    )
    if amends_match is None or _RESTATED.search(head[: amends_match.end() + 40]):
        return None
    amends = re.sub(r"\s+", " ", amends_match["amends"]).strip()
    dated = _DATED.match(head, amends_match.end())
    if dated is None:
        dated = _DATED.search(text.text, amends_match.end(), amends_match.end() + 300)
    own_date = next((c.value for c in candidates if c.field == "effective_date"), None) or next(
        (c.value for c in candidates if c.field == "agreement_date"), None
    )
    amended_date = parse_date(dated["date"]) if dated else None
    if own_date == amended_date:
        own_date = None
    line = head[max(0, head.rfind("\n", 0, amends_match.start()) + 1) : amends_match.end()]
    parties = next((c.value for c in candidates if c.field == "parties"), ())
    return AmendmentInfo(
        title=re.sub(r"\s+", " ", line).strip() or amends,
        amends=amends,
        amended_agreement_date=amended_date,
        effective_date=own_date,
        parties=tuple(parties),
    )


def changed_terms(text: ContractText, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates an amendment changes: in its operative part, in a change sentence."""
    operative = _OPERATIVE.search(text.text)
    start = operative.end() if operative else 0
    kept = []
    for candidate in candidates:
        if candidate.field in _NOT_CHANGES or candidate.start < start:
            continue
        sentence = text.sentence_at(candidate.start)
        window = text.text[max(0, sentence.start - 200) : sentence.end]
        if _CHANGE.search(window):
            kept.append(candidate)
    return kept
