"""Parties set out under labels, and the candidate every parties rule proposes.

Contracts translated from Chinese often label their parties instead of listing them::

    Party A: Acme Trading Co., Ltd.   Address: 1 Harbour Road, Shenzhen
    Party B: Beta Foods Limited       Address: 9 Mill Lane, Leeds
"""

from __future__ import annotations

import re

from contractsync.model import Party

from ._candidate import Candidate, make_snippet
from ._parties_names import party_name
from ._text import ContractText

_MAX_PARTIES = 16

# Labelled parties, common in contracts translated from Chinese: a "Party A" label (with
# an optional role in brackets), a colon, the name, then its address; the same for B.
# A third party, "Party C", often joins an agreement among a group's companies. Set
# inline, the next label ends the name before it: "Party A: Acme Party B: Beta".
_PARTY_LABEL = re.compile(
    r"\bParty\s+(?P<letter>[ABC])\s*(?:\([^)]{1,40}\))?\s*[:\uff1a]\s*"
    r"(?P<name>(?:(?!\bParty\s+[ABC]\s*[:\uff1a(])[^\n:\uff1a]){2,150})"
)
_LABEL_END = re.compile(
    r"\s+(?:Address|Add|(?i:Legal\s+Representative)|Tel|Fax|Registered)\b|\s{3,}"
)


def labelled_parties(text: ContractText) -> list[Candidate]:
    names: dict[str, tuple[str, int, int]] = {}
    for match in _PARTY_LABEL.finditer(text.head):
        if match["letter"] in names:
            continue
        raw = match["name"]
        end = _LABEL_END.search(raw)
        name = party_name(raw[: end.start()] if end else raw)
        if name is not None:
            names[match["letter"]] = (name, match.start(), match.end())
    if not {"A", "B"} <= set(names):
        return []
    low = min(start for _, start, _ in names.values())
    high = max(end for _, _, end in names.values())
    found = [Party(name=names[letter][0]) for letter in "ABC" if letter in names]
    return [party_candidate(text, found, low, high, "party_labels")]


def party_candidate(
    text: ContractText, found: list[Party], low: int, high: int, rule: str
) -> Candidate:
    """The parties proposal: its confidence is the rule's prior until calibrated."""
    return Candidate(
        field="parties",
        value=tuple(found[:_MAX_PARTIES]),
        start=low,
        end=high,
        snippet=make_snippet(text.text, low, high),
        rule=rule,
        confidence=0.8,
    )
