"""Governing law: ``governed by the laws of the State of Nevada`` → ``US-NV``.

The rule looks for a law-choice verb (governed, construed, interpreted, enforced) and the
jurisdiction after ``laws of``/``law of``, or the ``Nevada law`` form. Choice-of-forum
clauses ("courts of …") are not read: where disputes are heard is not which law applies.

A contract names laws for many things (where a party is incorporated, what an opinion
covers, which franchisees a state's law protects); its own choice is the one whose
sentence speaks of the contract (``This Agreement … construed under the laws of Texas``).
Those come first, then a ``governed`` wording before a ``construed`` one, then text order;
a contract whose leading choices name different laws is flagged ``.conflict``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ._candidate import Candidate, make_snippet, value_key
from ._jurisdiction import resolve_jurisdiction
from ._text import ContractText

_LAWS_OF = re.compile(
    r"(?P<verb>govern(?:ed|s|ing)?|constru(?:ed|ction)|interpret(?:ed|ation)|enforced)\b"
    r"(?P<between>[^.;]{0,250}?)\b(?:laws?|legislation)(?:,[^,;.]{0,80},)?\s+"
    # "the internal laws State of New York": the "of" is sometimes lost in drafting.
    r"(?:(?:of|in(?:\s+force\s+in)?)\s+|(?=(?:the\s+)?(?:State|Commonwealth|Province)\s+of\b))"
    r"(?P<place>[^;:()]{2,160})",
    re.IGNORECASE,
)
_ADJECTIVE_LAW = re.compile(
    r"(?P<verb>governed|construed)[^.;]{0,60}?\b(?:by|under|with|of)\s+(?:the\s+)?"
    r"(?:substantive\s+|internal\s+)?(?P<place>[A-Z][A-Za-z.']{1,20}(?:\s+[A-Z][A-Za-z.']{1,20}){0,2})"
    r"(?:\s+(?:private|civil|commercial|substantive))?\s+[Ll]aws?\b",
)
_LAWS_GOVERN = re.compile(
    r"\b(?:the\s+)?(?:laws?|legislation)\s+of\s+(?P<place>[^;:()]{2,80}?)\s*(?:\([^)]*\)\s*)?"
    r"(?:shall|will)\s+(?:govern|apply)",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"\b(?:without|excluding|exclusive\s+of|notwithstanding|other\s+than|except|but\s+not|"
    r"including|and\s+(?:the\s+)?(?:parties|each|any|all|you|we)|regardless|irrespective|"
    r"applicable\s+to\s+(?:agreements|contracts)|as\s+applied|which|that\s+apply)\b|[.]\s",
    re.IGNORECASE,
)
_FORUM_ONLY = re.compile(r"\bcourts?\b", re.IGNORECASE)
_THIS_CONTRACT = re.compile(
    r"\b(?:this|the)\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract|amendment|guarantee|guaranty|"
    r"license|licence|lease|terms|deed)\b|\bhere(?:of|under|to|in)\b",
    re.IGNORECASE,
)


def governing_law(text: ContractText) -> list[Candidate]:
    """The contract's governing law, as one candidate (none when no law is named)."""
    found = _candidates(text)
    if not found:
        return []
    about = [c for c in found if _about_contract(text, c.start)] or found
    leading = [c for c in about if c.rule != "laws_of.construed"] or about
    best = leading[0]
    if len({value_key(c.value) for c in leading}) > 1:
        best = replace(best, rule=best.rule + ".conflict")
    return [best]


def _about_contract(text: ContractText, start: int) -> bool:
    sentence = text.sentence_at(start)
    return _THIS_CONTRACT.search(text.text, sentence.start, start + 20) is not None


def _candidates(text: ContractText) -> list[Candidate]:
    """Governing-law candidates, in text order; the rule id says how the law was named."""
    found: list[Candidate] = []
    position = 0
    while (match := _LAWS_OF.search(text.text, position)) is not None:
        place = match["place"]
        stop = _STOP.search(place)
        if stop is not None:
            place = place[: stop.start()]
        # The next choice may start inside this match's overlong place (". This Agreement
        # shall be construed …"), so scanning resumes where the place was cut.
        position = max(match.start("place") + len(place), match.start() + 1)
        law = resolve_jurisdiction(place[:120])
        if law is None:
            continue
        verb = match["verb"].casefold()
        between = match["between"]
        if _FORUM_ONLY.search(between) and not verb.startswith("govern"):
            continue
        rule = "laws_of.governed" if verb.startswith("govern") else "laws_of.construed"
        end = match.start("place") + len(place.rstrip(" ,"))
        found.append(_candidate(text, law, match.start(), end, rule))
    for match in _ADJECTIVE_LAW.finditer(text.text):
        law = resolve_jurisdiction(match["place"])
        if law is not None:
            found.append(_candidate(text, law, match.start(), match.end(), "adjective_law"))
    for match in _LAWS_GOVERN.finditer(text.text):
        law = resolve_jurisdiction(match["place"])
        if law is not None:
            found.append(_candidate(text, law, match.start(), match.end(), "laws_of.govern_after"))
    found.sort(key=lambda candidate: candidate.start)
    return found


def _candidate(text: ContractText, law: object, start: int, end: int, rule: str) -> Candidate:
    return Candidate(
        field="governing_law",
        value=law,
        start=start,
        end=end,
        snippet=make_snippet(text.text, start, end),
        rule=rule,
        confidence=0.9,
    )
