"""Parties of agreements drafted as letters: the addressee is a party too.

Agency, underwriting and engagement agreements are often letters. The opening
paragraph after the salutation introduces the senders with defined terms, and the
addressee, set above the salutation, is the other party, sometimes named nowhere else
in the opening::

    May 14, 2014

    Harbor Point Securities, Inc.
    100 Main Street, Suite 400, Chicago, Illinois 60606

    Ladies and Gentlemen:

    Granite Bancorp, Inc. (the "Company") … hereby confirms its agreement with you …
"""

from __future__ import annotations

import re

from contractsync.model import Party

from ._candidate import Candidate
from ._parties_labels import party_candidate
from ._parties_names import SUFFIX, party_name
from ._text import ContractText

# A letter is read as one only where its salutation comes early, before any clause:
# later salutations belong to attached forms (opinions, lock-up letters).
_REACH = 3000
_SALUTATION = re.compile(
    r"\b(?:Ladies\s+and\s+Gentlemen|Gentlemen|Dear\s+(?:Sirs?|Madam|Sir\s+or\s+Madam|"
    r"(?:Mr|Ms|Mrs|Dr|Messrs)\.?\s+[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+)?))\s*[:,]"
)
# Above the addressee: the paragraph break after the date, or the date or title itself
# where the letter was flattened to one line.
_ABOVE = re.compile(
    r"\n[ \t]*\n|(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{1,2},?\s+\d{4}|,\s*(?:19|20)\d\d\b|\bAGREEMENT\b|\bLETTER\b"
)
_TO = re.compile(r"^\s*(?:To\s*:|TO\s*:|Attention\s*:)?\s*")
# An addressee's name ends with its legal form; the address follows it on the same line
# once layouts are flattened, so the first legal form closes the name.
_ENTITY = re.compile(rf"(?P<name>[A-Z][^\n\d]{{1,100}}?[\s,]{SUFFIX}(?:,?\s+{SUFFIX})*)(?=\s|$)")
_BREAK = re.compile(r"\n|\s{2,}")
_MAX_ADDRESSEES = 3
_LIST_REACH = 600
_KEY = re.compile(r"[^\w]+")


def salutation_end(head: str) -> int | None:
    """Where the letter's opening paragraph starts, after its salutation, if it is one."""
    match = _SALUTATION.search(head, 0, _REACH)
    return match.end() if match is not None else None


def with_addressee(text: ContractText, found: list[Candidate]) -> list[Candidate]:
    """``found``, with the letter's senders and addressees added to the parties it names."""
    salutation = _SALUTATION.search(text.head, 0, _REACH)
    if salutation is None or (found and not found[0].value):
        return found
    parties = list(found[0].value) if found else []
    known = [_key(party.name) for party in parties]
    senders = undersigned(text.head[salutation.end() : salutation.end() + _LIST_REACH])
    for name in [*senders, *addressees(text.head[: salutation.start()])]:
        if not any(_same(_key(name), key) for key in known):
            parties.append(Party(name=name))
            known.append(_key(name))
    if len(parties) < 2 or (found and len(parties) == len(found[0].value)):
        return found
    low = min(found[0].start, salutation.start()) if found else salutation.start()
    high = found[0].end if found else salutation.end() + _LIST_REACH
    return [party_candidate(text, parties, low, high, "letter")]


# "The undersigned, Acme Ltd. (the "Lead Agent"), Beta Inc., and Gamma Ltd. (collectively,
# the "Agents") understand …": the senders listed, grouped under one term.
_UNDERSIGNED = re.compile(r"\s*The\s+undersigned\s*,\s*(?=[A-Z0-9])")
_LIST_END = re.compile(
    r"\(\s*(?:collectively|together|each|jointly)\b|\s(?:understands?|confirms?|hereby|agrees?|"
    r"acknowledges?|proposes?|wish|desires?)\b|[;:]\s|\.\s+(?=(?:The|This|We|It|In)\b)"
)
_BRACKETED = re.compile(r"\([^()]*\)")


def undersigned(opening: str) -> list[str]:
    """The senders a letter's opening lists after "The undersigned"."""
    lead = _UNDERSIGNED.match(opening)
    if lead is None:
        return []
    end = _LIST_END.search(opening, lead.end())
    listed = _BRACKETED.sub(" ", opening[lead.end() : end.start() if end else len(opening)])
    listed = re.sub(rf",\s*(?={SUFFIX})", " ", listed)
    names: list[str] = []
    for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", listed):
        name = party_name(part)
        if name is not None and name not in names:
            names.append(name)
    return names


def addressees(before: str) -> list[str]:
    """The entities a letter is addressed to: the block just above its salutation."""
    window = before.rstrip()[-500:]
    anchors = list(_ABOVE.finditer(window))
    block = window[anchors[-1].end() :] if anchors else window
    block = _TO.sub("", block)
    names: list[str] = []
    position = 0
    while len(names) < _MAX_ADDRESSEES:
        match = _ENTITY.match(block, position)
        if match is None:
            break
        name = re.sub(r"\s+", " ", match["name"]).strip()
        if _BREAK.search(match["name"].strip()) or party_name(name) is None:
            break  # a name runs on one line; anything longer is prose
        names.append(name)
        position = match.end()
        while position < len(block) and block[position] in " \t\n,;":
            position += 1
    if not names and (line := _first_line(block)) is not None:
        names.append(line)
    return names


def _first_line(block: str) -> str | None:
    """A person or firm set on a line of its own, its address on the lines below."""
    lines = [line.strip() for line in block.strip().split("\n")]
    if len(lines) < 2 or not re.search(r"\d", lines[1]):
        return None
    name = party_name(lines[0])
    return name if name == lines[0] and len(name.split()) <= 6 else None


def _key(name: str) -> str:
    return _KEY.sub(" ", name.casefold()).strip()


def _same(a: str, b: str) -> bool:
    return a == b or a in b or b in a
