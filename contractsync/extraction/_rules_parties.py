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
"""

from __future__ import annotations

import re

from contractsync.model import Party, PartyRole

from ._candidate import Candidate, make_snippet
from ._text import ContractText

_CONNECTOR = re.compile(
    r"\b(?:by\s+and\s+(?:between|among)|between|among(?:st)?)\s*:?\s*,?", re.IGNORECASE
)
_PREAMBLE_END = re.compile(
    r"\b(?:W\s*I\s*T\s*N\s*E\s*S\s*S\s*E\s*T\s*H|WHEREAS|RECITALS?|Recitals|BACKGROUND|PREAMBLE|"
    r"NOW,?\s+THEREFORE|agree\s+as\s+follows|TABLE\s+OF\s+CONTENTS|"
    r"(?:individually|each)\s+(?:a|referred)|collectively|(?:hereinafter\s+)?(?:jointly|together)"
    r"\s+(?:referred|the|they)|Dated\s*:?\s+(?:as\s+of\s+)?\w+\s+\d)",
)
_DEFINED = re.compile(r"\((?P<inside>[^()]{1,400})\)")
# Contracts quote defined terms with straight and typographic quotes alike.
_QUOTED = re.compile(r"[\"“”'‘’]{1,2}(?P<label>[^\"“”()]{1,60}?)[\"“”'‘’]{1,2}")  # noqa: RUF001
_SUFFIX = (
    r"(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Co|Company|L\.?P|LLP|"
    r"PLC|N\.V|B\.V|S\.A|N\.A|AG|GmbH|S\.?A\.?S|S\.?p\.?A|Pty|PTE|SE|ULC|LTD|INC|CORP|CO|"
    r"S/A|A/S|G\.I\.E|S\.L|S\.R\.L|K\.K|AB|Oy|SARL|S\.A\.R\.L|LLLP|PC|P\.C|d/b/a|f/k/a)\b\.?"
)
_NAME_END = re.compile(
    rf",(?!\s*{_SUFFIX})|\(|\s+(?:a|an)\s+(?=[A-Z][a-z]|\w+\s+(?:corporation|company|limited|"
    r"partnership|banking|bank|general|non-profit|not-for-profit|public|private|state|"
    r"federal|national|municipal|statutory|joint|body|business|sole|individual|resident|"
    r"exempted|society|trust|association|l\.l\.c|llc))"
    r"|\s+(?:(?:organized|organised|incorporated|existing|formed|registered)\s+(?:in|under|and|as)"
    r"|having|with\s+(?:its|a|offices|an)|"
    r"whose|located|residing|represented|acting|on\s+behalf|doing\s+business|hereinafter|"
    r"herein|which|that\s+is|domiciled|\d{2,})\b|\s{3,}|\n",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^[\s,;:&\-\u2013\u2014●•]*(?:the\s+following\s+parties\s*:?\s*)?"
                   r"(?:and\s*:?\s+|&\s+)?"
                   r"(?:\(?[0-9ivxa-e]{1,3}[.)]\s*)?(?:-\s*and\s*-\s*)?",
                   re.IGNORECASE)  # fmt: skip
_NOT_A_NAME = re.compile(
    r"^(?:the\s+)?(?:parties|party|company|agreement|you|we|us|each|both|either|this|its|"
    r"such|certain|said|any|all|undersigned|other)\b|^[_\s.\-\[\]*]*$|^(?:a|an)\s"
    r"|^the\s+[A-Za-z]+$",
    re.IGNORECASE,
)
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
_ROLES = {
    "customer": PartyRole.CUSTOMER, "client": PartyRole.CUSTOMER, "buyer": PartyRole.CUSTOMER,
    "purchaser": PartyRole.CUSTOMER, "vendor": PartyRole.VENDOR, "seller": PartyRole.VENDOR,
    "provider": PartyRole.VENDOR, "service provider": PartyRole.VENDOR,
    "contractor": PartyRole.VENDOR, "licensor": PartyRole.LICENSOR,
    "licensee": PartyRole.LICENSEE, "supplier": PartyRole.SUPPLIER,
    "manufacturer": PartyRole.SUPPLIER, "distributor": PartyRole.DISTRIBUTOR,
    "reseller": PartyRole.RESELLER, "partner": PartyRole.PARTNER, "sponsor": PartyRole.SPONSOR,
    "consultant": PartyRole.CONSULTANT, "employer": PartyRole.EMPLOYER,
    "franchisor": PartyRole.LICENSOR, "franchisee": PartyRole.LICENSEE,
}  # fmt: skip
_MAX_PARTIES = 8
_REGION = 2500
_MAX_SEGMENT = 350
_NOT_TERMS = {"LLC", "USA", "U.S.A.", "US", "UK", "PRC", "P.R.C.", "INC", "LTD", "NY", "CA"}
_FULL_STOP = re.compile(r"\.\s+(?=[A-Z][a-z]|\d+\.|[A-Z]{2,}\b)")
_ABBREVIATIONS = {
    "inc", "ltd", "corp", "co", "st", "no", "nos", "ave", "blvd", "ste", "dr", "mr", "mrs", "ms",
    "a", "p", "l", "s", "n", "v", "b", "u", "jr", "sr", "bros", "mt", "ft", "rd", "e", "w",
}  # fmt: skip
_COMMON_WORDS = {
    "agreement", "agreements", "recitals", "suite", "section", "article", "exhibit", "schedule",
    "termination", "term", "background", "witnesseth", "whereas", "individual", "party",
    "parties", "company", "licensor", "licensee", "distributor", "and", "between",
}  # fmt: skip


def parties(text: ContractText) -> list[Candidate]:
    """One candidate: the parties named in the opening paragraph, with their roles.

    Every ``between``/``among`` of the contract's head is tried: the first whose list
    has defined terms wins; a plain title list is the fallback.
    """
    head = text.head
    listed_fallback: Candidate | None = None
    for connector in _CONNECTOR.finditer(head):
        start = connector.end()
        stop = _PREAMBLE_END.search(head, start, start + _REGION)
        end = stop.start() if stop else min(len(head), start + _REGION)
        region = head[start:end]
        found, region_end = _with_defined_terms(region)
        if len(found) == 1 and (last := _last_party(region, region_end, found[0])) is not None:
            # "… ("VerticalNet"), and LeadersOnline, Inc. a Delaware corporation …": the last
            # party's defined term lies past the end of the opening paragraph's region.
            found, region_end = [*found, last], len(region)
        if len(found) >= 2:
            return [_candidate(text, found, connector.start(), start + region_end, "defined_terms")]
        if listed_fallback is None:
            listed = _listed(region)
            if len(listed) >= 2:
                high = start + min(len(region), 300)
                listed_fallback = _candidate(text, listed, connector.start(), high, "title_list")
    if listed_fallback is not None:
        return [listed_fallback]
    return _labelled(text)


# Labelled parties, common in contracts translated from Chinese: a "Party A" label (with
# an optional role in brackets), a colon, the name, then its address; the same for B.
_PARTY_LABEL = re.compile(
    r"\bParty\s+(?P<letter>[AB])\s*(?:\([^)]{1,40}\))?\s*[:\uff1a]\s*"
    r"(?P<name>[^\n:\uff1a]{2,150})"
)
_LABEL_END = re.compile(r"\s+(?:Address|Add|Legal\s+Representative|Tel|Fax|Registered)\b|\s{3,}")


def _labelled(text: ContractText) -> list[Candidate]:
    names: dict[str, tuple[str, int, int]] = {}
    for match in _PARTY_LABEL.finditer(text.head):
        if match["letter"] in names:
            continue
        raw = match["name"]
        end = _LABEL_END.search(raw)
        name = _name(raw[: end.start()] if end else raw)
        if name is not None:
            names[match["letter"]] = (name, match.start(), match.end())
    if set(names) != {"A", "B"}:
        return []
    low = min(start for _, start, _ in names.values())
    high = max(end for _, _, end in names.values())
    found = [Party(name=names[letter][0]) for letter in "AB"]
    return [_candidate(text, found, low, high, "party_labels")]


def _last_party(region: str, after: int, first: Party) -> Party | None:
    """The party joined by ``and`` right after the first one's defined term, if any."""
    joined = re.match(r"[\s,;]*(?:and|&)\s+", region[after : after + 40], re.IGNORECASE)
    if joined is None:
        return None
    name = _name(region[after + joined.end() : after + joined.end() + 200])
    if name is None or name == first.name:
        return None
    return Party(name=name)


def _candidate(text: ContractText, found: list[Party], low: int, high: int, rule: str) -> Candidate:
    return Candidate(
        field="parties",
        value=tuple(found[:_MAX_PARTIES]),
        start=low,
        end=high,
        snippet=make_snippet(text.text, low, high),
        rule=rule,
        confidence=0.8,
    )


def _with_defined_terms(region: str) -> tuple[list[Party], int]:
    found: list[Party] = []
    cursor = 0
    last_end = 0
    limit = _sentence_end(region, 0)
    terms = sorted([*_DEFINED.finditer(region), *_CALLED.finditer(region)], key=lambda m: m.start())
    previous_end = -1
    for match in terms:
        if match.start() > limit or match.start() < previous_end:
            continue
        previous_end = match.end()
        label = _label(match["inside"])
        if label is None or _NOT_PARTY_LABEL.search(label):
            continue
        segment = region[cursor : match.start()]
        inner = list(_CONNECTOR.finditer(segment))
        if inner:
            # A title block ran into the opening sentence: the list starts after its "between".
            segment = segment[inner[-1].end() :]
        cursor = _next_segment(region, match.end())
        name = _name(segment) if len(segment) <= _MAX_SEGMENT else None
        if name is None and 0 < len(segment) <= 2 * _MAX_SEGMENT:
            name = _last_chunk_name(segment)
        if name is None or any(party.name == name for party in found):
            continue
        found.append(Party(name=name, role=_role(match["inside"])))
        last_end = match.end()
        if cursor == match.end():
            # No "and" joins a further party: the list may still go on after a comma.
            limit = _sentence_end(region, match.end())
    return found, last_end


def _sentence_end(text: str, position: int) -> int:
    """Where the sentence running at ``position`` ends, skipping ``Inc.``-style stops."""
    for match in _FULL_STOP.finditer(text, position):
        word = re.search(r"([A-Za-z]+)$", text[max(0, match.start() - 12) : match.start()])
        # Initials and abbreviations ("J. Walter", "P.O. Box", "Inc.") end no sentence.
        if word is None or not (
            len(word.group(1)) == 1 or word.group(1).casefold() in _ABBREVIATIONS
        ):
            return match.start()
    return len(text)


def _label(inside: str) -> str | None:
    """The defined term a parenthetical introduces: ``("Acme")``, ``(the Company)``."""
    quoted = _QUOTED.search(inside)
    if quoted is not None:
        return quoted["label"]
    bare = re.sub(r"^(?:hereinafter\s+)?(?:(?:referred\s+to|called|known)\s+(?:herein\s+)?as\s+)?"
                  r"(?:the\s+)?", "", inside.strip(), flags=re.IGNORECASE)  # fmt: skip
    if re.fullmatch(r"[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3}", bare) is None:
        return None
    return bare if bare.upper() not in _NOT_TERMS else None


def _last_chunk_name(segment: str) -> str | None:
    """The name just before a defined term, when a description separates it from the list."""
    text = re.sub(rf",\s*(?={_SUFFIX})", " ", segment.rstrip(" ,"))
    chunk = re.split(r",\s+|\s+and\s+", text)[-1]
    return _name(chunk)


def _next_segment(region: str, position: int) -> int:
    """Where the next party's text starts after a defined term closes the previous one."""
    rest = region[position : position + 400]
    joined = re.match(r"[\s,;]*(?:and|&|-\s*and\s*-)\s+", rest, re.IGNORECASE)
    if joined:
        return position + joined.end()
    # "Acme ("Acme"), a Delaware corporation, and Beta …": skip the description.
    later = re.search(r"(?:,|;)?\s+(?:and|&)\s+(?=(?:\(?\w\)\s*)?[A-Z0-9\"“])|;\s+", rest)
    if later and not _DEFINED.search(rest[: later.start()]):
        return position + later.end()
    return position


def _listed(region: str) -> list[Party]:
    """Parties from a plain list: ``ACME CORP, BETA INC. and GAMMA LLC``."""
    # Title blocks put "AND" on a line of its own between the names.
    joined = re.sub(r"\s*\n\s*(?:-\s*)?(and|AND|And|&)(?:\s*-)?\s*\n\s*", " and ", region.strip())
    text = re.split(r"\n\s*\n|\s{4,}(?=[A-Z][a-z])", joined, maxsplit=1)[0][:300]
    text = text[: _sentence_end(text, 0)]
    text = re.sub(rf",\s*(?={_SUFFIX})", " ", text)
    parts = re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+|\s+-\s*and\s*-\s+", text)
    found: list[Party] = []
    for part in parts:
        if re.search(r"\d|^\s*[A-Z]{2}\s*$|\b(?:suite|floor|street|road|avenue)\b", part, re.I):
            return []  # an address, not a list of names
        name = _name(part)
        if name is not None and name not in {party.name for party in found}:
            found.append(Party(name=name))
    return found


def _name(segment: str) -> str | None:
    segment = _LEAD.sub("", segment)
    end = _NAME_END.search(segment)
    name = segment[: end.start()] if end else segment
    name = re.sub(r"\s+", " ", name).strip(" ,;:.-\u2013\u2014\"“”'")
    if name.endswith((" Inc", " Ltd", " Corp", " Co", " L.L.C", " N.V", " S.A")):
        name += "."
    if not 2 <= len(name) <= 120 or _NOT_A_NAME.search(name):
        return None
    first_word = name.split()[0]
    branded = re.search(rf"\b{_SUFFIX}$", name) is not None
    if not (branded or re.search(r"[A-Z0-9]", first_word)) or not re.search(r"[A-Za-z]{2}", name):
        return None  # "is made as of …", "for services of …": prose, not a name
    if name.casefold() in _ROLES:
        return None
    if name.casefold() in _COMMON_WORDS or re.search(r"X{4,}|_{2,}|\[\s*\*", name):
        return None
    if len(name.split()) > 12:
        return None
    return name


def _role(inside: str) -> PartyRole:
    key = inside.strip().casefold()
    for word, role in _ROLES.items():
        if re.search(rf"\b{word}\b", key):
            return role
    return PartyRole.OTHER
