"""Jurisdiction names into ISO 3166 codes: ``the State of Nevada`` → ``US-NV``.

Names come from pycountry (ISO 3166-1 countries, ISO 3166-2 subdivisions) plus the
aliases contracts use (``People's Republic of China``, ``U.S.A.``, ``England and Wales``).
Subdivisions of the United States, Canada, the United Kingdom and Australia are
recognised on their own, since contracts name them without the country ("the laws of
Ontario"); other countries' subdivisions only when the country is named too, because
their names collide with towns and people across the world. A name that is both
(``Maryland`` is also a county of Liberia, ``Mexico`` a state of Mexico) reads as the
country or the standalone subdivision, unless the text names the other country.

``England and Wales`` is one legal jurisdiction with no ISO 3166-2 code of its own; it is
recorded as ``GB-ENG``, with the contract's words in ``text``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry

from contractsync.model import GoverningLaw

_STANDALONE_SUBDIVISION_COUNTRIES = ("US", "CA", "GB", "AU")
_GB_NATIONS = {"GB-ENG", "GB-SCT", "GB-WLS", "GB-NIR"}
_COUNTRY_ALIASES = {
    "united states": "US", "united states of america": "US", "u.s.a.": "US", "usa": "US",
    "u.s.": "US", "us": "US", "america": "US", "united kingdom": "GB", "u.k.": "GB",
    "uk": "GB", "great britain": "GB", "britain": "GB", "prc": "CN", "p.r.c.": "CN",
    "people's republic of china": "CN", "peoples republic of china": "CN", "china": "CN",
    "mainland china": "CN", "hong kong": "HK", "hong kong sar": "HK", "macau": "MO",
    "taiwan": "TW", "republic of china": "TW", "r.o.c.": "TW", "south korea": "KR", "korea": "KR",
    "republic of korea": "KR", "russia": "RU", "vietnam": "VN", "iran": "IR",
    "czech republic": "CZ", "the netherlands": "NL", "holland": "NL", "switzerland": "CH",
    "republic of south africa": "ZA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "syria": "SY", "laos": "LA", "moldova": "MD", "brunei": "BN", "cayman islands": "KY",
    "british virgin islands": "VG", "bvi": "VG", "the bahamas": "BS", "turkey": "TR",
    "republic of georgia": "GE",
}  # fmt: skip
_SUBDIVISION_ALIASES = {
    "england and wales": "GB-ENG", "england & wales": "GB-ENG", "quebec": "CA-QC",
    "washington, d.c.": "US-DC", "washington d.c.": "US-DC", "d.c.": "US-DC",
    "district of columbia": "US-DC", "new south wales": "AU-NSW", "english": "GB-ENG",
    "scottish": "GB-SCT", "scots": "GB-SCT",
}  # fmt: skip
# Adjectives a law clause uses for a country ("governed by Swiss law").
_COUNTRY_ADJECTIVES = {
    "chinese": "CN", "japanese": "JP", "german": "DE", "french": "FR", "swiss": "CH",
    "dutch": "NL", "israeli": "IL", "indian": "IN", "singaporean": "SG", "irish": "IE",
    "korean": "KR", "italian": "IT", "spanish": "ES", "swedish": "SE", "canadian": "CA",
    "australian": "AU", "mexican": "MX", "brazilian": "BR", "belgian": "BE", "austrian": "AT",
    "colombian": "CO", "argentine": "AR", "chilean": "CL", "peruvian": "PE", "danish": "DK",
    "norwegian": "NO", "finnish": "FI", "polish": "PL", "portuguese": "PT", "taiwanese": "TW",
    "luxembourgish": "LU", "greek": "GR", "turkish": "TR", "russian": "RU", "thai": "TH",
}  # fmt: skip
# Words that are subdivision names but usually mean something else in a law clause.
_AMBIGUOUS = {"victoria", "georgia", "federal", "capital", "central", "northern", "western"}


@dataclass(frozen=True, slots=True)
class _Name:
    text: str
    country: str
    subdivision: str | None

    @property
    def standalone(self) -> bool:
        """Whether the name is read without its country being named (a country or a state)."""
        return self.subdivision is None or self.country in _STANDALONE_SUBDIVISION_COUNTRIES


def resolve_jurisdiction(phrase: str) -> GoverningLaw | None:
    """The jurisdiction ``phrase`` names, as ISO codes, or None when it names none.

    The first jurisdiction named wins; a country named first is refined by a later
    subdivision of the same country.
    """
    phrase = " ".join(phrase.split())  # text from PDFs pads words: "British  Columbia"
    names = _lookup()
    found = [names[m.group().casefold()] for m in _pattern().finditer(_fold(phrase))]
    countries = [_country(readings) for readings in found]
    usable: list[_Name] = []
    for index, readings in enumerate(found):
        elsewhere = {code for other, code in enumerate(countries) if code and other != index}
        if (name := _reading(readings, elsewhere)) is not None:
            usable.append(name)
    if not usable:
        return None
    first = usable[0]
    if first.subdivision is None:
        # "the laws of Canada and the Province of Ontario": the province refines the country.
        refined = next((n for n in usable if n.subdivision and n.country == first.country), None)
        first = refined or first
    return GoverningLaw(
        country=first.country, subdivision=first.subdivision, text=_text(phrase, first)
    )


def _country(readings: tuple[_Name, ...]) -> str | None:
    """The country a name names as a country (``Liberia``; not ``Maryland``), if any."""
    standalone = next((name for name in readings if name.standalone), None)
    return standalone.country if standalone and standalone.subdivision is None else None


def _reading(readings: tuple[_Name, ...], elsewhere: set[str]) -> _Name | None:
    """Which of a name's readings the phrase means, given the countries named elsewhere.

    A standalone reading (country, US state …) wins, except over a subdivision of another
    country that the phrase also names: "Maryland, Liberia" is Liberia's Maryland county.
    """
    standalone = next((name for name in readings if name.standalone), None)
    foreign = next(
        (
            name
            for name in readings
            if not name.standalone
            and name.country in elsewhere
            and (standalone is None or name.country != standalone.country)
        ),
        None,
    )
    return foreign or standalone


def _text(phrase: str, name: _Name) -> str:
    match = re.search(re.escape(name.text), _fold(phrase), re.IGNORECASE)
    if match is None:
        return name.text
    return phrase[match.start() : match.end()]


def _fold(text: str) -> str:
    # NFKD then drop accents keeps offsets for the scripts contract law clauses use
    # (one code point per letter after NFC) while letting "Québec" match "quebec".
    folded = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    folded = folded.replace("\u2019", "'")
    return folded if len(folded) == len(text) else text.replace("\u2019", "'")


@cache
def _lookup() -> dict[str, tuple[_Name, ...]]:
    """Every known name, with its readings in order of precedence.

    Aliases come first, then countries, then the standalone subdivisions, then other
    countries' subdivisions; a name keeps all its readings so that the phrase can pick
    a foreign subdivision when it names that country.
    """
    names: dict[str, list[_Name]] = {}

    def add(text: str, country: str, subdivision: str | None) -> None:
        key = _fold(text).casefold().strip()
        if len(key) < 2 or key in _AMBIGUOUS:
            return
        readings = names.setdefault(key, [])
        name = _Name(key, country, subdivision)
        if name not in readings:
            readings.append(name)

    for key, code in _SUBDIVISION_ALIASES.items():
        add(key, code[:2], code)
    for key, code in _COUNTRY_ALIASES.items():
        add(key, code, None)
    for key, code in _COUNTRY_ADJECTIVES.items():
        add(key, code, None)
    # Countries before subdivisions: Puerto Rico and Guam have ISO 3166-1 codes of their
    # own, which a contract naming them means more often than the US outlying area.
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                add(value, country.alpha_2, None)
                if "," in value:
                    # "Korea, Republic of" also reads "Republic of Korea".
                    head, tail = (part.strip() for part in value.split(",", 1))
                    add(f"{tail} {head}", country.alpha_2, None)
    subdivisions = [
        subdivision
        for subdivision in pycountry.subdivisions
        if (subdivision.parent_code is None and subdivision.country_code != "GB")
        or subdivision.code in _GB_NATIONS
    ]
    subdivisions.sort(key=lambda s: s.country_code not in _STANDALONE_SUBDIVISION_COUNTRIES)
    for subdivision in subdivisions:
        name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", subdivision.name)
        add(name, subdivision.country_code, subdivision.code)
    # The US state wins over the country: "the laws of Georgia" in a US filing.
    names["georgia"] = [_Name("georgia", "US", "US-GA")]
    names["state of georgia"] = [_Name("state of georgia", "US", "US-GA")]
    return {key: tuple(readings) for key, readings in names.items()}


@cache
def _pattern() -> re.Pattern[str]:
    keys = sorted(_lookup(), key=len, reverse=True)
    alternatives = "|".join(re.escape(key) for key in keys)
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])", re.IGNORECASE)
