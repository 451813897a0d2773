"""Parties read from the signature blocks, for contracts whose opening names none.

Joint filing agreements, letter agreements and forms often open with "the undersigned"
and name their parties only where they sign::

    IN WITNESS WHEREOF, the parties have executed this Agreement.
    ACME HOLDINGS LP  By: Acme GP LLC, its general partner
    By: /s/ Jane Roe  Name: Jane Roe  Title: Director

Each ``By:`` or ``/s/`` closes a block; the entity signing is the text just before it,
after the previous block's last field (``Title: …``, ``Date: …``) or caption
(``PURCHASER:``). An agent signing for a party (``By: Acme GP LLC, its general
partner``) is not a party of its own.
"""

from __future__ import annotations

import re

from contractsync.model import Party

from ._candidate import Candidate
from ._parties_labels import party_candidate
from ._parties_names import party_name
from ._text import ContractText

_WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF|In\s+Witness\s+Whereof", re.IGNORECASE)
_UNDERSIGNED = re.compile(r"\bthe\s+undersigned\b", re.IGNORECASE)
_SIGN_MARK = re.compile(r"\bBy\s*:|/s/")
_TAIL = 4000
_LOOK_BACK = 160
# A field label ends the previous block: "Title: Director", "Date: July 1", "SPONSOR(S):".
_FIELD = re.compile(r"(?:\b[A-Za-z()]{2,20}[ \t]*:[ \t]*|\n[ \t]*\n|\s{3,}|\[[^\]]{0,80}\])")
_DATE_FIELD = re.compile(r"\bDated?\s*:\s*[A-Za-z]{0,9}\.?\s*\d{1,2},?\s*\d{4}")
_LEADING_DATE = re.compile(
    r"^(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4})\s+"
)
_AGENT = re.compile(r",?\s+(?:its|their)\s+[a-z]", re.IGNORECASE)
_UPPER = "A-ZÀ-ÞĀ-Ž"
# A run of capitalised words as signature blocks print entity names: "ACME HOLDINGS II, L.P."
_CAPS_RUN = re.compile(
    rf"(?:[{_UPPER}0-9&][{_UPPER}0-9&.,'’\-/]*[ \t]+){{0,12}}[{_UPPER}0-9&][{_UPPER}0-9&.,'’\-/]*"  # noqa: RUF001
)
_ORGANISATION = re.compile(
    r"\b(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Company|Co|L\.?P|LLP|PLC|N\.V|B\.V|"
    r"S\.A|AG|GmbH|Fund|Trust|Bank|Partners|Group|Holdings|University|Association)\b"
)
_SIGNATORY_TITLE = re.compile(
    r"^.*\b(?:Signatory|President|Director|Officer|Secretary|Treasurer|Manager|Member|"
    r"Chairman|Chairperson|Counsel|Attorney|Partner|CEO|CFO|COO|Authorized|Title)\b[\s,.]*"
)
_JOINERS = {"of", "and", "for", "the", "de", "du", "la", "&", "y", "e", "-", "–"}  # noqa: RUF001
_ABBREVIATIONS = {"inc", "ltd", "co", "corp", "mr", "mrs", "ms", "dr", "jr", "sr"}


def signature_names(text: str) -> tuple[list[str], int, int]:
    """The signing entities' raw names, and the span they were read from."""
    witnesses = [match.start() for match in _WITNESS.finditer(text)]
    if witnesses:
        low = witnesses[-1]
    elif _UNDERSIGNED.search(text[:3000]):
        low = max(0, len(text) - _TAIL)
    else:
        return [], 0, 0
    region = text[low : low + _TAIL]
    names: list[str] = []
    previous = 0
    high = low
    for mark in _SIGN_MARK.finditer(region):
        before = region[max(previous, mark.start() - _LOOK_BACK) : mark.start()]
        previous = mark.end()
        name = _block_name(before)
        if name is not None and name not in names:
            names.append(name)
            high = low + mark.start()
    return names, low, high


def _block_name(before: str) -> str | None:
    chunk = _DATE_FIELD.sub(" ", before).rstrip()
    chunk = _FIELD.split(chunk)[-1]
    chunk = chunk[_last_stop(chunk) :].strip(" \t\n,;")
    if not chunk or _AGENT.search(chunk):
        return None
    # "Title: Authorized Signatory ACME LLC": the title is left over from the block above.
    chunk = _SIGNATORY_TITLE.sub("", chunk)
    # "Dated: April 8, 2020 ACME LP": a date field cut off by the look-back.
    chunk = _LEADING_DATE.sub("", chunk)
    words = chunk.split()
    if not words or not all(
        word[0].isupper() or word[0].isdigit() or word in _JOINERS for word in words
    ):
        return None
    caps = _CAPS_RUN.fullmatch(chunk)
    # Signatories' own names are written in mixed case too: only an organisation's
    # name passes, or a name in capitals as signature blocks print them.
    return chunk if caps is not None or _ORGANISATION.search(chunk) else None


def _capitalised(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit() or word in _JOINERS


def _last_stop(chunk: str) -> int:
    """Where the text after the previous sentence starts; ``Inc.``-style stops are kept."""
    start = 0
    for stop in re.finditer(r"\.\s+(?=[A-Z])", chunk):
        word = re.search(r"([A-Za-z]+)$", chunk[: stop.start()])
        if word is None or not (
            len(word.group(1)) == 1 or word.group(1).casefold() in _ABBREVIATIONS
        ):
            start = stop.end()
    return start


def signature_parties(text: ContractText) -> list[Candidate]:
    """The parties signing, where the opening names none."""
    raw, low, high = signature_names(text.text)
    found: list[Party] = []
    for item in raw:
        name = party_name(item)
        if name is not None and all(party.name != name for party in found):
            found.append(Party(name=name))
    # A form signed by "the undersigned" lists every party where it signs; elsewhere a
    # long list of signature blocks holds witnesses, guarantors and attached forms too.
    undersigned = _UNDERSIGNED.search(text.head) is not None
    if len(found) < 2 or (not undersigned and len(found) > _MAX_SIGNED):
        return []
    rule = "signature_block.undersigned" if undersigned else "signature_block"
    return [party_candidate(text, found, low, high, rule)]


_MAX_SIGNED = 4
