"""Parties listed without defined terms: a plain title list, or blocks under a caption.

A title block or a plain sentence lists its parties as names joined by commas and
``and``: ``AGREEMENT by and among ACME CORP, BETA INC. and GAMMA LLC``.

Forms and joint venture agreements often give each party a block of its own, its name
first, its description and address after, and an ``And`` between the blocks::

    BETWEEN: Palm Coast Ventures, Inc. a Florida Corporation of 10 Ocean Drive, Miami And

    GREEN VALLEY FARMS, a Tennessee Company of 22 Ridge Road, Knoxville

Without a defined term to close each party, the ``And`` that opens the next block is
what separates them: one set in capitals, followed by a colon, or standing at the end or
start of a line, never one inside a sentence ("Smith and Sons").
"""

from __future__ import annotations

import re

from contractsync.model import Party

from ._parties_names import SUFFIX, party_name
from ._parties_segments import sentence_end

# Only a caption, "BETWEEN" in capitals or "Between:", announces blocks.
_CAPTION = re.compile(r"(?:BETWEEN|Between\s*:|between\s*:)\s*:?\s*$")
_SEPARATOR = re.compile(
    r"\s(?:AND|And|and)\s*:\s*|[ \t]+(?:AND|And|and)[ \t]*\n\s*|\n[ \t]*(?:AND|And|and)\b[ \t:]*"
    r"|\s{3,}AND\s{3,}"
)
_MAX_BLOCKS = 4
# A block's text ends where the blocks do: a collective term or heading after a blank line.
_AFTER_BLOCKS = re.compile(r"\n\s*\n\s*(?:\(|[A-Z][A-Z ]{3,}:?\s*\n)")


def between_blocks(connector: str, region: str) -> list[Party]:
    """The parties of the blocks after a ``BETWEEN:`` caption, or none."""
    if _CAPTION.search(connector) is None:
        return []
    if (end := _AFTER_BLOCKS.search(region)) is not None:
        region = region[: end.start()]
    blocks = _SEPARATOR.split(region.strip())
    if not 2 <= len(blocks) <= _MAX_BLOCKS:
        return []
    found: list[Party] = []
    for block in blocks:
        name = party_name(block.strip())
        if name is None or any(party.name == name for party in found):
            return []
        found.append(Party(name=name))
    return found


_LAST_JOINER = re.compile(r"\s+(?:and|&)\s+(?!.*\s(?:and|&)\s)")


def listed(region: str) -> list[Party]:
    """Parties from a plain list: ``ACME CORP, BETA INC. and GAMMA LLC``."""
    # Title blocks put "AND" on a line of its own between the names.
    joined = re.sub(r"\s*\n\s*(?:-\s*)?(and|AND|And|&)(?:\s*-)?\s*\n\s*", " and ", region.strip())
    text = re.split(r"\n\s*\n|\s{4,}(?=[A-Z][a-z])", joined, maxsplit=1)[0][:300]
    if (last := _LAST_JOINER.search(text)) is not None and (
        gap := re.compile(r"\s{3,}").search(text, last.end())
    ):
        text = text[: gap.start()]  # "ACME S/A and BETA G.I.E.   ACME-BETA Amendment …"
    text = text[: sentence_end(text, 0)]
    text = re.sub(rf",\s*(?={SUFFIX})", " ", text)
    parts = re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+|\s+-\s*and\s*-\s+", text)
    found: list[Party] = []
    for part in parts:
        if re.search(r"\d|^\s*[A-Z]{2}\s*$|\b(?:suite|floor|street|road|avenue)\b", part, re.I):
            return []  # an address, not a list of names
        name = party_name(part)
        if name is not None and name not in {party.name for party in found}:
            found.append(Party(name=name))
    return found
