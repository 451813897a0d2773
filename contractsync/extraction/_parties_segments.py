"""Where a party's name starts in the text between two defined terms, the names of
parties grouped under one term, parties a form names elsewhere, and where the opening
sentence ends.

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

# "… (the "Trust"), does hereby make, constitute and appoint Beta LLC (…)": a power of
# attorney or appointment names its second party as the object of the granting verb.
_APPOINTS = re.compile(
    r"[\s,;]*(?:(?:does|do)\s+)?hereby\s+(?:[a-z]+,?\s+){0,4}?"
    r"(?:appoints?|engages?|retains?|designates?|authori[sz]es?)\s+(?=[A-Z0-9])"
)
# "Acme LLC ("Lender"), for services of Jane Roe ("Endorser")": a loan-out company
# furnishes the talent, who is a party too.
_FOR_SERVICES = re.compile(r"[\s,;]*(?:for\s+(?:the\s+)?services\s+of|f/s/o)\s+(?=[A-Z])", re.I)


def name_opening(segment: str) -> str:
    """``segment`` from where its party's name starts."""
    if lead := _APPOINTS.match(segment) or _FOR_SERVICES.match(segment):
        return segment[lead.end() :]
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


# "… and the individual or legal entity identified on the cover page ("Franchisee")": a
# form's party named only where the form is filled in. One named on the signature pages
# is read there instead.
_ELSEWHERE = (
    r"(?:the|each|any)\s+(?:other\s+)?(?:individual|person|entity|party|company)"
    r"(?:\s+or\s+(?:legal\s+)?\w+)?\s+(?:identified|named|specified|listed|described|"
    r"set\s+forth)\s+(?:on|in)\s+(?:the\s+)?(?:cover\s+page|schedule|exhibit|appendix|annex)"
    r"\b[\w\s.\-]{0,20}"
)
_NAMED_ELSEWHERE = re.compile(rf"[\s,;:]*(?:and\s+)?{_ELSEWHERE}", re.IGNORECASE)
_LAST_NAMED_ELSEWHERE = re.compile(rf",?\s+(?:and|&)\s+{_ELSEWHERE}$", re.IGNORECASE)


def named_elsewhere(segment: str) -> bool:
    """Whether ``segment`` describes a party the form names elsewhere, not by name."""
    return _NAMED_ELSEWHERE.fullmatch(segment) is not None


def last_named_elsewhere(segment: str) -> int | None:
    """Where a party named elsewhere, listed last in ``segment``, starts, if one is."""
    match = _LAST_NAMED_ELSEWHERE.search(segment)
    return match.start() if match is not None else None


_FULL_STOP = re.compile(r"\.\s+(?=[A-Z][a-z]|\d+\.|[A-Z]{2,}\b|[A-Z]+\d)")
_ABBREVIATIONS = {
    "inc", "ltd", "corp", "co", "st", "no", "nos", "ave", "blvd", "ste", "dr", "mr", "mrs", "ms",
    "a", "p", "l", "s", "n", "v", "b", "u", "jr", "sr", "bros", "mt", "ft", "rd", "e", "w",
}  # fmt: skip


_ADDRESS_GOES_ON = re.compile(r"[A-Z][\w\-]*(?:,?[ \t]+[A-Z][\w\-]*){0,2},?[ \t]*\(")
# A party block's caption after the previous party's address: "AND: Beta Ltd …".
_NEXT_BLOCK = re.compile(r"(?:AND|And)\s*:")


def sentence_end(text: str, position: int) -> int:
    """Where the sentence running at ``position`` ends, skipping ``Inc.``-style stops."""
    for match in _FULL_STOP.finditer(text, position):
        before = text[max(0, match.start() - 12) : match.start()]
        if re.search(r"(?:^|\n|\s{2})[ \t]*\(?[0-9ivx]{1,3}$", before):
            continue  # the number of a listed party, "1. Acme Inc." on a line of its own
        if _ADDRESS_GOES_ON.match(text, match.end()) or _NEXT_BLOCK.match(text, match.end()):
            continue  # "… Port Vila. Vanuatu ("the Seller")", "… Hong Kong. AND: Beta …"
        word = re.search(r"([A-Za-z]+)$", before)
        # Initials and abbreviations ("J. Walter", "P.O. Box", "Inc.") end no sentence.
        if word is None or not (
            len(word.group(1)) == 1 or word.group(1).casefold() in _ABBREVIATIONS
        ):
            return match.start()
    return len(text)
