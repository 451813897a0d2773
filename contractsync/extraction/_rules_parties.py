"""The parties: the entities a contract's opening paragraph says it is made between.

Contracts introduce their parties in one of a few shapes:

* ``… by and between ACME, INC., a Delaware corporation (“Acme”), and Beta LLC (“Beta”).``
* ``BETWEEN: ACME INC. … (hereinafter called "Acme") - and - BETA LTD. … ("Beta")``
* a title block: ``AGREEMENT by and among ACME CORPORATION, BETA CORP and GAMMA LLC``

The rule finds the ``between``/``among`` that opens the party list, cuts the list into
one segment per party at each defined-term parenthetical (``("Acme")``), and keeps the
legal name at the head of each segment, stopping at the incorporation description,
address or parenthetical that follows it. Lists without defined terms are split on
commas and ``and``, keeping ``, Inc.``-style suffixes with their names. A party's role
comes from its defined term where that names a role (``"Licensee"`` → licensee).
Parties set out as captioned blocks, under labels (``Party A:``), in a letter's
addressee block or only in signature blocks are read by the ``_parties_*`` modules.
"""

from __future__ import annotations

import re

from contractsync.model import Party

from ._candidate import Candidate
from ._parties_blocks import between_blocks, listed
from ._parties_labels import labelled_parties, party_candidate
from ._parties_letters import salutation_end, with_addressee
from ._parties_names import (
    BRACKETED_IN_NAME,
    ENTITY_END,
    defined_label,
    party_name,
    party_role,
)
from ._parties_segments import (
    described_members,
    last_chunk_name,
    last_named_elsewhere,
    name_opening,
    named_elsewhere,
    sentence_end,
)
from ._parties_signatures import signature_parties
from ._text import ContractText

# "… is entered into by Acme Inc. (…), Beta Ltd. (…) and …" lists its parties the same way.
_CONNECTOR = re.compile(
    r"\b(?:by\s+and\s+(?:between|among)|between|among(?:st)?|"
    r"(?<=\bis\s)(?:made\s+and\s+)?entered\s+into\s+by(?!\s+and\b)|"
    r"parties\s+to\s+this\s+(?:\w+\s+){1,3}?are(?=\s*:?\s*[A-Z(_\d]))\s*:?\s*,?",
    re.IGNORECASE,
)
_PREAMBLE_END = re.compile(
    r"\b(?:W\s*I\s*T\s*N\s*E\s*S\s*S\s*E\s*T\s*H|WHEREAS|RECITALS?|Recitals|BACKGROUND|PREAMBLE|"
    r"NOW,?\s+THEREFORE|agree\s+as\s+follows|TABLE\s+OF\s+CONTENTS|"
    r"(?:individually|each)\s+(?:a|referred)|collectively|(?:hereinafter\s+)?(?:jointly|together)"
    r"\s+(?:referred|the|they)|Dated\s*:?\s+(?:as\s+of\s+)?\w+\s+\d)",
)
_DEFINED = re.compile(r"\((?P<inside>[^()]{1,400})\)")
# Defined terms that name the document or its terms, not a party.
_NOT_PARTY_LABEL = re.compile(
    r"agreement|amendment|addendum|contract|effective|date|term\b|schedule|exhibit|"
    r"services|products?\b|territory|program|plan\b|order|license\b|notes?\b|shares",
    re.IGNORECASE,
)
_CALLED = re.compile(
    r",?\s*(?:hereinafter|herein|hereafter)\s+(?:referred\s+to\s+as|called|known\s+as)\s+"
    r"(?P<inside>(?:the\s+)?[\"“”]{1,2}(?P<label>[^\"“”()]{1,60}?)[\"“”]{1,2})"
)
_REGION = 2500
_MAX_SEGMENT = 350


def parties(text: ContractText) -> list[Candidate]:
    """One candidate: the parties named in the opening paragraph, with their roles.

    Every ``between``/``among`` of the contract's head is tried: the first whose list
    has defined terms wins; a plain title list is the fallback. A letter's addressee is
    a party too.
    """
    return with_addressee(text, _parties(text))


def _parties(text: ContractText) -> list[Candidate]:
    head = text.head
    listed_fallback: Candidate | None = None
    for connector in _CONNECTOR.finditer(head):
        start = connector.end()
        end = _region_end(head, start, _preamble_end(head, start))
        region = head[start:end]
        found, region_end, blanks = _with_defined_terms(region)
        if len(found) == 1 and (last := _last_party(region, region_end, found[0])) is not None:
            # "… ("VerticalNet"), and LeadersOnline, Inc. a Delaware corporation …": the last
            # party's defined term lies past the end of the opening paragraph's region.
            found, region_end = [*found, last], len(region)
        if len(found) >= 2:
            rule = _defined_terms_rule(found, closed=_closed(region[region_end:]))
            if (last := _last_party(region, region_end, found[-1])) is not None and all(
                party.name != last.name for party in found
            ):
                # "… ("Crane"), and Crane Trust Company, not
                # individually but solely as agent …": a last party without a term.
                found, rule = [*found, last], "defined_terms"
            return [party_candidate(text, found, connector.start(), start + region_end, rule)]
        if len(found) == 1 and blanks:
            high = start + region_end
            return [party_candidate(text, found, connector.start(), high, "defined_terms.blank")]
        if listed_fallback is None:
            plain = listed(region)
            if len(plain) >= 2:
                high = start + min(len(region), 300)
                listed_fallback = party_candidate(
                    text, plain, connector.start(), high, "title_list"
                )
            elif blocks := between_blocks(connector.group(), region):
                high = start + len(region)
                listed_fallback = party_candidate(
                    text, blocks, connector.start(), high, "between_blocks"
                )
    if listed_fallback is not None:
        return [listed_fallback]
    return labelled_parties(text) or _opening(text) or signature_parties(text)


def _defined_terms_rule(found: list[Party], *, closed: bool) -> str:
    """The calibration bin: a closed list of two legal entities is the most reliable.

    Where further text follows the second party ("… ("Fitness") and MusclePharm …"), the
    list may go on past what was read.
    """
    if not _two_entities(found):
        return "defined_terms"
    return "defined_terms.two_entities" if closed else "defined_terms.two_entities.open"


def _two_entities(found: list[Party]) -> bool:
    """Two parties whose names both end in a legal form: the plainest, most reliable list."""
    return len(found) == 2 and all(ENTITY_END.search(party.name) for party in found)


_CLOSED = re.compile(
    r"\s*(?:$|[.;:]|,?\s*(?:each|both|individually|collectively|hereinafter|herein|agree|"
    r"hereby|witnesseth|who|which|is|are|have|as\s+follows)\b)",
    re.IGNORECASE,
)


def _closed(rest: str) -> bool:
    """Whether the list ends after its last defined term, no further party trailing it."""
    return _CLOSED.match(rest[:200]) is not None


# "… (collectively, the "Group"), Acme Inc. (the "Company") and …": a party follows.
_LIST_GOES_ON = re.compile(
    r"\s*,?\s*(?:and|&)\s+(?:the\s+)?[A-Z]|,\s*[A-Z][^()\n]{0,120}\((?:the\s+)?[\"“]"
)


def _preamble_end(head: str, start: int) -> int:
    """Where the party list starting at ``start`` can end at the latest.

    A collective word inside a parenthetical that another party follows ("… (each an
    "Affiliate", collectively "Affiliates"), and Beta Inc. …") names a group of one
    party's affiliates, not the parties: the list goes on.
    """
    limit = start + _REGION
    position = start
    while (stop := _PREAMBLE_END.search(head, position, limit)) is not None:
        if head.count("(", start, stop.start()) <= head.count(")", start, stop.start()):
            return stop.start()
        close = head.find(")", stop.end(), stop.end() + 300)
        if close == -1 or not _LIST_GOES_ON.match(head, close + 1):
            return stop.start()
        position = close + 1
    return limit


def _region_end(head: str, start: int, end: int) -> int:
    """``end``, or past the parenthetical it cuts ("("SPI", and collectively the …")")."""
    end = min(len(head), end)
    if head.count("(", start, end) > head.count(")", start, end):
        close = head.find(")", end, end + 200)
        if close != -1:
            return close + 1
    return end


_PARAGRAPH = re.compile(r"\n\s*\n\s*|(?<=[.:;])\s{2,}(?=[A-Z])|\.\s+(?=[A-Z][a-z]+\s)")
_OPENING_REACH = 4000


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_TITLE_WORD = re.compile(r"\b(?:agreement|exhibit|schedule|article|section|contract)\b", re.I)


def _clean(name: str) -> bool:
    return (name[0].isupper() or name[0].isdigit()) and not _TITLE_WORD.search(name)


_IN_WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF", re.IGNORECASE)
_BLOCK_BREAK = re.compile(r"\n\s*\n|\s{3,}")


def _after_title(segment: str) -> str | None:
    """The name opening the last block of ``segment``, after a title set above it.

    "IP RIGHTS AGREEMENT   Corvid Labs, a California corporation …": the
    title ends where the spacing of its layout does, and the opening sentence begins.
    """
    breaks = list(_BLOCK_BREAK.finditer(segment))
    if not breaks:
        return None
    name = party_name(segment[breaks[-1].end() :][:_MAX_SEGMENT])
    return name if name is not None and _clean(name) else None


def _opening(text: ContractText) -> list[Candidate]:
    """Parties introduced with defined terms in a paragraph that names no ``between``."""
    head = text.head[:_OPENING_REACH]
    # Signature blocks name their signatories with terms too; the opening comes before.
    if (witness := _IN_WITNESS.search(head)) is not None:
        head = head[: witness.start()]
    starts = [0, *(match.end() for match in _PARAGRAPH.finditer(head))]
    if (letter := salutation_end(head)) is not None:
        starts = sorted({*starts, letter})  # "… Dear Sirs: Acme Inc. ("Acme") …" on one line
    for start in starts:
        end = _region_end(head, start, _preamble_end(head, start))
        found, region_end, _ = _with_defined_terms(head[start:end], strict=True)
        if len(found) >= 2:
            return [party_candidate(text, found, start, start + region_end, "opening_terms")]
    return []


# Further parentheticals may follow the term ("("Crane") (the "Agents," which …)").
_JOINED = re.compile(r"(?:\s*\([^()]{0,300}\))*[\s,;]*(?:and|&)\s+", re.IGNORECASE)


def _last_party(region: str, after: int, first: Party) -> Party | None:
    """The party joined by ``and`` right after the first one's defined term, if any."""
    joined = _JOINED.match(region[after : after + 400])
    if joined is None:
        return None
    name = party_name(region[after + joined.end() : after + joined.end() + 200])
    if name is None or name == first.name:
        return None
    return Party(name=name)


def _with_defined_terms(region: str, *, strict: bool = False) -> tuple[list[Party], int, int]:
    """The named parties, where the last one's term ends, and how many were left blank."""
    found: list[Party] = []
    blanks = 0
    cursor = 0
    last_end = 0
    limit = sentence_end(region, 0)
    terms = sorted([*_DEFINED.finditer(region), *_CALLED.finditer(region)], key=lambda m: m.start())
    previous_end = -1
    bare_end = -1
    for match in terms:
        if match.start() > limit or match.start() < previous_end:
            continue
        previous_end = match.end()
        label = defined_label(match["inside"])
        if label is None or _IN_NAME.match(region, match.start()):
            continue  # not a term, or part of a name: "ACME (PTY) LIMITED"
        if _COLLECTIVE.match(match["inside"]):
            if new := described_members(region[cursor : match.start()], found):
                found.extend(new)
                last_end, cursor = match.end(), _next_segment(region, match.end())
            continue
        if _NOT_PARTY_LABEL.search(label):
            continue
        segment = region[cursor : match.start()]
        if bare_end == cursor and _QUOTE.search(match["inside"]) and not _JOINER.search(segment):
            # "… Halle (Saale), Germany ("Stork")": a place in brackets was read as the
            # last party's term; with nothing joining a new party, the quoted term is its own.
            bare_end = -1
            continue
        inner = list(_CONNECTOR.finditer(segment))
        if inner:
            # A title block ran into the opening sentence: the list starts after its "between".
            segment = segment[inner[-1].end() :]
        cursor = _next_segment(region, match.end())
        if _BLANK.fullmatch(segment) or _ROLE_ONLY.fullmatch(segment) or named_elsewhere(segment):
            # A form's party to be filled in, or named by its role only ("and the
            # Franchisee ("you")"): a party, but no name to propose.
            blanks += 1
            continue
        segment, blank = _less_blank_party(segment)
        blanks += blank
        # A name opens its segment; a long description may follow it before the term.
        name = party_name(name_opening(segment)[:_MAX_SEGMENT])
        if strict:
            # Without a "between" to anchor the list, only a clean name opening a segment
            # of the same paragraph counts: titles and prose must not pass as parties.
            if name is not None and (_PARAGRAPH_BREAK.search(segment) or not _clean(name)):
                name = _after_title(segment) if not found else None
        elif name is None and 0 < len(segment) <= 2 * _MAX_SEGMENT:
            name = last_chunk_name(segment)
        if name is None or any(party.name == name for party in found):
            continue
        found.append(Party(name=name, role=party_role(match["inside"])))
        last_end = match.end()
        bare = cursor == match.end() and not _QUOTE.search(match["inside"])
        bare_end = cursor if bare else -1
        if cursor == match.end():
            # No "and" joins a further party: the list may still go on after a comma.
            limit = sentence_end(region, match.end())
    return found, last_end, blanks


_IN_NAME = re.compile(BRACKETED_IN_NAME, re.IGNORECASE)
# "(together, Acme and Beta, the "Publishers")" names parties already listed; "(together
# with its successors, "Acme")" still defines one.
_COLLECTIVE = re.compile(
    r"[^\"“”'‘’]*\b(?:together(?!\s+with\s+(?:its|his|her|their)\b)|collectively|jointly|"  # noqa: RUF001
    r"each|individually)\b",
    re.IGNORECASE,
)
_BLANK = re.compile(
    r"[\s,;:]*(?:and\s+)?[\s_\-.\[\]*•●]*(?:_{3}|X{4,}|\[\s*\*?\s*\])[\s_\-.\[\]*•●X]*"
    r"(?:,?\s*as\s+(?:the\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?[\s,]*)?"  # "____, as Franchise Owner"
)
_QUOTE = re.compile(r"[\"“”'‘’]")  # noqa: RUF001
_JOINER = re.compile(r"\b(?:and|&)\s|;")
_ROLE_ONLY = re.compile(r"[\s,;:]*(?:and\s+)?the\s+[A-Z][a-z]+[\s,]*")


def _less_blank_party(segment: str) -> tuple[str, int]:
    """``segment`` less a last party left blank ("Acme Inc., … and ______ ("Distributor")")."""
    if trailing := _TRAILING_BLANK.search(segment):
        return segment[: trailing.start()], 1
    if (elsewhere := last_named_elsewhere(segment)) is not None:
        return segment[:elsewhere], 1
    return segment, 0


_TRAILING_BLANK = re.compile(r"\s(?:and|&)\s*(?:_{3,}|\[\s*\*?\s*\])[\s_\[\]*]*$", re.I)


def _has_term(text: str) -> bool:
    """Whether a party's defined term opens in ``text`` (not a "(1)" or "(a)").

    An unclosed parenthesis counts: its ``and`` ("… ("PEPCO" and, together with …")
    joins terms, not parties.
    """
    if text.count("(") > text.count(")"):
        return True
    return any(defined_label(match["inside"]) is not None for match in _DEFINED.finditer(text))


def _next_segment(region: str, position: int) -> int:
    """Where the next party's text starts after a defined term closes the previous one."""
    rest = region[position : position + 400]
    # "… ("the Seller") of the one part and …": the English form of the joined list.
    joined = re.match(
        r"[\s,;]*(?:of\s+(?:the\s+)?(?:one|first)\s+part\s*[,;]?\s*)?(?:and|&|-\s*and\s*-)\s*:?\s+",
        rest,
        re.IGNORECASE,
    )
    if joined:
        return position + joined.end()
    # Layouts that set "AND" on a line of its own between the parties' blocks.
    block = re.search(r"\n[ \t]*(?:-\s*)?(?:AND|And|and)(?:\s*-)?[ \t:]*\n|\s{3,}AND:?\s{3,}", rest)
    if block and not _has_term(rest[: block.start()]):
        return position + block.end()
    # "Acme ("Acme"), a Delaware corporation, and Beta …": skip the description. An "&"
    # joins words of one name ("Keefe, Bruyette & Woods"), not two parties.
    later = re.search(
        r"(?:,|;)?\s+and\s+(?=(?:\(?\w\)\s*)?[A-Z0-9\"“])|;\s+|\s(?:AND|And):\s*", rest
    )
    if later and not _has_term(rest[: later.start()]):
        return position + later.end()
    return position
