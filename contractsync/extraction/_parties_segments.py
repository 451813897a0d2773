"""Where a party's name starts in the text between two defined terms, and the names of
parties grouped under one term.

The segment before a party's defined term does not always open with its name: the
previous party's description may come first (``("Buyer"), a Pennsylvania corporation,
Beta Ltd.``), an officer may be named for the company (``Jane Roe, director of Acme
Ltd``), or several parties may share one collective term, each with its own
incorporation.
"""

from __future__ import annotations

import re

from contractsync.model import Party

from ._parties_names import SUFFIX, party_name

# "Acme ("Buyer"), a Pennsylvania corporation, Beta Ltd., …": the previous party's
# description, set after its term, comes before the next name.
_DESCRIBED_BEFORE = re.compile(
    r"[\s,;]*(?:an?\s+)(?-i:[A-Z][\w.\-]*\s+){0,3}(?:[\w\-]+\s+){0,3}?"
    r"(?:corporation|company|partnership|association|bank|trust)\s*,\s+(?:and\s+)?(?=[A-Z0-9])",
    re.IGNORECASE,
)
# "Jane Roe, director of Acme Ltd (the "Client")": an officer named for the company.
_OFFICER_OF = re.compile(
    r"[\s,;:]*(?:and\s+)?(?-i:(?:[A-Z][a-z]+\.?\s+){1,3}[A-Z][a-z]+),\s+(?:the\s+|its\s+)?"
    r"(?:(?:managing\s+)?director|president|chief\s+\w+\s+officer|CEO|owner|"
    r"(?:general\s+)?(?:manager|partner))\s+(?:of|for)\s+(?=[A-Z0-9])",
    re.IGNORECASE,
)


def name_opening(segment: str) -> str:
    """``segment`` from where its party's name starts."""
    if described := _DESCRIBED_BEFORE.match(segment):
        segment = segment[described.end() :]
    if officer := _OFFICER_OF.match(segment):
        segment = segment[officer.end() :]  # the person signs for the company, the party
    return segment


_DESCRIPTION = re.compile(
    r",\s+an?\s+(?:[\w\-]+\s+){0,5}?(?:corporation|company|partnership|association|trust)\b"
    r"\s*(?:,\s*(?:and\s+)?|$)",
    re.IGNORECASE,
)


def described_members(segment: str, found: list[Party]) -> list[Party]:
    """The parties grouped under one collective term, each name followed by its own
    incorporation ("Beta LP, a Delaware limited partnership, and Beta GP LLC, a Delaware
    limited liability company (collectively, "Beta")"), less those already ``found``."""
    pieces = _DESCRIPTION.split(segment.strip())
    if len(pieces) < 3 or pieces[-1].strip():
        return []
    names = [party_name(piece) for piece in pieces[:-1]]
    if not all(names):
        return []
    known = {party.name for party in found}
    return [Party(name=name) for name in dict.fromkeys(names) if name and name not in known]


def last_chunk_name(segment: str) -> str | None:
    """The name just before a defined term, when a description separates it from the list."""
    chunk = re.split(rf",\s+(?!{SUFFIX})|\s+and\s+", segment.rstrip(" ,"))[-1]
    if _POSTAL_CODE.match(chunk):
        return None  # "…, Elk Grove, IL 60007 ("Sponsor")": the end of an address
    return party_name(chunk)


_POSTAL_CODE = re.compile(r"\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
