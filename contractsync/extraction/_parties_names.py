"""Party names and roles: where a legal name ends, and what a defined term says.

A party's text runs on past its name: ``ACME, INC., a Delaware corporation, having its
offices at …``. ``party_name`` keeps the name, stopping at the incorporation
description, address or parenthetical after it, keeps ``, Inc.``-style suffixes, and
refuses prose, pronouns, placeholders and role words. ``defined_label`` reads the term a
parenthetical defines (``("Acme")``, ``(the Company)``), and ``party_role`` maps a term
that names a role (``"Licensee"``) to the canonical role.
"""

from __future__ import annotations

import re

from contractsync.model import PartyRole

# Contracts quote defined terms with straight and typographic quotes alike.
_QUOTED = re.compile(r"[\"“”'‘’]{1,2}(?P<label>[^\"“”()]{1,60}?)[\"“”'‘’]{1,2}")  # noqa: RUF001
SUFFIX = (
    r"(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Co|Company|L\.?P|LLP|"
    r"PLC|N\.V|B\.V|S\.A|N\.A|AG|GmbH|S\.?A\.?S|S\.?p\.?A|Pty|PTE|SE|ULC|LTD|INC|CORP|CO|"
    r"S/A|A/S|G\.I\.E|S\.L|S\.R\.L|K\.K|AB|Oy|SARL|S\.A\.R\.L|LLLP|PC|P\.C|d/b/a|f/k/a)\b\.?"
)
# A bracketed word before the legal form belongs to the name: "ACME (PTY) LIMITED",
# "Beta (Holdings) Ltd".
BRACKETED_IN_NAME = rf"\([A-Za-z]{{2,20}}\)\s*(?:\([A-Za-z]{{2,20}}\)\s*)*{SUFFIX}"
_NAME_END = re.compile(
    rf",(?!\s*{SUFFIX})|\((?!{BRACKETED_IN_NAME[2:]})|\s+(?:a|an)\s+(?=[A-Z][a-z]|\w+\s+(?:corporation|company|limited|"
    r"partnership|banking|bank|general|non-profit|not-for-profit|public|private|state|"
    r"federal|national|municipal|statutory|joint|body|business|sole|individual|resident|"
    r"exempted|society|trust|association|l\.l\.c|llc))"
    r"|\s+(?:(?:organized|organised|incorporated|existing|formed|registered)\s+(?:in|under|and|as)"
    r"|having|with\s+(?:its|a|offices|an)|"
    r"whose|located|residing|represented|acting|on\s+behalf|doing\s+business|hereinafter|"
    rf"herein|which|that\s+is|domiciled|\d{{2,}}\b(?!\s+{SUFFIX}))\b|\s{{3,}}|\n",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^[\s,;:&\-\u2013\u2014●•]*"
                   # A deed's formula before its grantor: "KNOW ALL MEN BY THESE PRESENTS, that".
                   r"(?:know\s+all\s+(?:men|persons|people)\s+by\s+these\s+presents\b[\s,:]*"
                   r"(?:that\b[\s,]*)?)?"
                   # Letters and forms name their senders after "The undersigned, ".
                   r"(?:the\s+undersigned\s*,\s*)?"
                   # A list announced with a colon: "between the following two parties …:".
                   r"(?:the\s+following\s+(?:\w+\s+)?parties\b[^:\n]{0,60}:\s*)?"
                   r"(?:and\s*[:,]?\s+|&\s+)?"
                   r"(?:\(?[0-9ivxa-e]{1,3}[.)]\s*)?(?:-\s*and\s*-\s*)?"
                   # A party joined to the one before it: "together with its subsidiary X".
                   r"(?:together\s+with\s+)?(?:its\s+(?:wholly[\s-]owned\s+)?"
                   r"(?:subsidiary|affiliate|parent)(?:\s+company)?\s*,?\s+)?"
                   # A caption before the name: "The Covenanter: Acme", "Client Name: Acme".
                   r"(?:(?-i:(?:[Tt]he\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)[ \t]*:[ \t]*)?",
                   re.IGNORECASE)  # fmt: skip
# Prose opening a segment ("as Administrator for …", "acting through …") names an
# agent's capacity, not a party.
_PROSE_START = {"as", "acting", "for", "on", "by", "of", "through", "to", "in", "at", "from"}
_NOT_A_NAME = re.compile(
    r"^(?:the\s+)?(?:parties|party|company|agreement|each|both|either|this|its|"
    r"such|certain|said|any|all|undersigned|other)\b|^(?:you|we|us)$|^[_\s.\-\[\]*]*$|^(?:a|an)\s"
    r"|^the\s+[A-Za-z]+$",
    re.IGNORECASE,
)

ROLES = {
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

_NOT_TERMS = {"LLC", "USA", "U.S.A.", "US", "UK", "PRC", "P.R.C.", "INC", "LTD", "NY", "CA"}

_COMMON_WORDS = {
    "agreement", "agreements", "recitals", "suite", "section", "article", "exhibit", "schedule",
    "termination", "term", "background", "witnesseth", "whereas", "individual", "party",
    "parties", "company", "licensor", "licensee", "distributor", "and", "between",
    "conditions", "terms", "definitions", "preamble", "purpose", "scope", "general",
}  # fmt: skip
# Words of prose that no name holds in lowercase: "Sponsor or establishing a venture".
_PROSE_WORDS = {
    "or", "nor", "is", "are", "was", "were", "shall", "will", "may", "must", "which", "who",
    "whom", "whose", "that", "this", "these", "those", "such", "any", "not", "if",
}  # fmt: skip
# Words of legends and clauses, never of a name: "IN ACCORDANCE WITH ITEM 601 …".
_PROSE_WORD = re.compile(
    r"\b(?:accordance|pursuant|notwithstanding|hereby|herein|hereof|thereof|hereunder)\b",
    re.IGNORECASE,
)
# A name does not end on a joining word: "… (I) NOT MATERIAL AND (II) …" is prose.
_OPEN_END = re.compile(r"\s(?:and|or|the|with|to|by|for|nor)$", re.IGNORECASE)

ENTITY_END = re.compile(rf"[\s,]{SUFFIX}$", re.IGNORECASE)


def defined_label(inside: str) -> str | None:
    """The defined term a parenthetical introduces: ``("Acme")``, ``(the Company)``."""
    quoted = _QUOTED.search(inside)
    if quoted is not None:
        return quoted["label"]
    bare = re.sub(r"^(?:hereinafter\s+)?(?:(?:referred\s+to|called|known)\s+(?:herein\s+)?as\s+)?"
                  r"(?:the\s+)?", "", inside.strip(), flags=re.IGNORECASE)  # fmt: skip
    if re.fullmatch(r"[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3}", bare) is None:
        return None
    return bare if bare.upper() not in _NOT_TERMS else None


def party_name(segment: str) -> str | None:
    segment = _LEAD.sub("", segment)
    end = _NAME_END.search(segment)
    name = segment[: end.start()] if end else segment
    name = re.sub(r"\s+", " ", name).strip(" ,;:.-\u2013\u2014\"“”'")
    # Block layouts run the address on after the legal form: "ACME INC. 2nd Floor, …".
    # English drafting puts it after "of": "ACME LIMITED of 1 High Street, London".
    address = re.search(rf"[\s,]{SUFFIX}(\s+(?:\d|(?:Unit|Suite|Floor|of)\b).*)$", name, re.I)
    if address is not None:
        name = name[: address.start(1)]
    name = re.sub(r"\s+of$", "", name)  # "JANE ROE of ("the Employee")": the address left out
    # The stop stripped above belongs to an abbreviated legal form ("Inc.", "L.P.").
    if re.search(r"[\s,](?:Inc|Ltd|Corp|Co|(?:[A-Z]\.)+[A-Z])$", name, re.IGNORECASE):
        name += "."
    bracketed = re.search(BRACKETED_IN_NAME, name, re.IGNORECASE) is not None
    if not 2 <= len(name) <= 120 or _NOT_A_NAME.search(name):
        return None
    if re.search(r"[\"“”]", name) or (re.search(r"[()]", name) and not bracketed):
        return None
    words = name.split()
    first_word = words[0]
    if re.match(r"[Tt]he\s+[A-Z][a-z]+\s+[A-Z][a-z]", name):
        first_word = words[1]  # "the Trust Advisors to …": a proper name may open with "the"
    if words[0] in _PROSE_START:
        return None
    branded = re.search(rf"\b{SUFFIX}$", name) is not None
    if not (branded or re.search(r"[A-Z0-9]", first_word)) or not re.search(r"[A-Za-z]{2}", name):
        return None  # "is made as of …", "for services of …": prose, not a name
    if name.casefold() in ROLES:
        return None
    if name.casefold() in _COMMON_WORDS or re.search(r"X{4,}|_{2,}|\[\s*\*", name):
        return None
    if len(name.split()) > 12 or _PROSE_WORD.search(name) or _OPEN_END.search(name):
        return None
    if any(word in _PROSE_WORDS for word in words[1:]):
        return None
    return name


def party_role(inside: str) -> PartyRole:
    key = inside.strip().casefold()
    for word, role in ROLES.items():
        if re.search(rf"\b{word}\b", key):
            return role
    return PartyRole.OTHER
