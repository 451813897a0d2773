"""CUAD's answers, normalised into the canonical values the extractors produce.

``master_clauses.csv`` has one row per contract and, per category, an ``-Answer`` column
(``Notice Period To Terminate Renewal- Answer`` has a space before ``Answer``, as in
CUAD). ``contract_index.csv`` maps the CSV's file names to the text files. Each answer
becomes a ``GoldAnswer`` with a status:

* ``value``: one or more acceptable canonical values. Answers listing several values
  (``England; Wales``, ``180 days / 6 months``, ``5 years; 2 years``) accept any of them.
* ``absent``: empty, or a placeholder left blank in the contract (``[]/[]/2020``,
  ``[ ]/[ ]/20[ ]``, ``[]``). The contract states no usable value, so the right output
  is none, and a proposed value counts as wrong.
* ``unscorable``: an answer that is not a value of the field's type (a renewal term
  answered with dates, ``perpetual`` for a renewal length, a governing law naming no
  jurisdiction such as ``the state in which the breach occurs``). These contracts are
  left out of that field's figures and counted separately.

Normalisation per field: dates are ``m/d/yyyy`` → ``date``; expiration ``Perpetual`` (any
case) → ``"perpetual"``; durations take ``N year(s)|month(s)|week(s)|day(s)`` (the last
such phrase of each alternative: ``3 successive 1 year`` is a one-year renewal) →
``Duration`` (years as 12 months, weeks as 7 days); governing law goes through the same
jurisdiction resolver the extractor uses, on the answer's plain names; parties are the
``;``-separated entries' names (text before the defined-term parenthetical), with
placeholder names (``XXXX``, ``____``) dropped.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from contractsync.extraction._jurisdiction import resolve_jurisdiction
from contractsync.model import Duration

Status = Literal["value", "absent", "unscorable"]

COLUMNS = {
    "parties": "Parties-Answer",
    "agreement_date": "Agreement Date-Answer",
    "effective_date": "Effective Date-Answer",
    "expiration_date": "Expiration Date-Answer",
    "renewal_term": "Renewal Term-Answer",
    "renewal_notice_period": "Notice Period To Terminate Renewal- Answer",
    "governing_law": "Governing Law-Answer",
}
SCORED_FIELDS = tuple(COLUMNS)

_PLACEHOLDER = re.compile(r"\[\s*\]|\[\s*\*")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DURATION = re.compile(r"(\d+)\s*(year|month|week|day)s?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class GoldAnswer:
    status: Status
    values: tuple[Any, ...] = ()
    raw: str = ""


@dataclass(frozen=True, slots=True)
class GoldContract:
    name: str
    path: Path
    answers: dict[str, GoldAnswer]


def load_gold(root: Path) -> list[GoldContract]:
    """Every contract of a CUAD folder with its normalised answers, in CSV order."""
    index: dict[str, str] = {}
    index_file = root / "contract_index.csv"
    if index_file.is_file():
        with index_file.open(encoding="utf-8", newline="") as stream:
            index = {row["csv_filename"]: row["txt_file"] for row in csv.DictReader(stream)}
    contracts = []
    with (root / "master_clauses.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            name = row["Filename"]
            txt = index.get(name) or str(Path(name).with_suffix(".txt"))
            answers = {
                field: normalise(field, row.get(column, "")) for field, column in COLUMNS.items()
            }
            contracts.append(GoldContract(name, root / "full_contract_txt" / txt, answers))
    return contracts


def normalise(field: str, raw: str) -> GoldAnswer:
    """One CUAD answer as a ``GoldAnswer`` for ``field``."""
    raw = raw.replace("\xa0", " ").strip()
    if not raw or raw.strip("[] ;") == "":
        return GoldAnswer("absent", raw=raw)
    if field == "parties":
        names = _party_names(raw)
        return GoldAnswer("value", names, raw) if names else GoldAnswer("absent", raw=raw)
    parts = [part.strip() for part in re.split(r"[;/](?!\d)|\s/\s", raw) if part.strip()]
    if field in {"agreement_date", "effective_date", "expiration_date"}:
        return _dates(field, raw, parts)
    if field in {"renewal_term", "renewal_notice_period"}:
        durations = tuple(d for d in (_duration(p) for p in parts) if d is not None)
        if durations:
            return GoldAnswer("value", durations, raw)
        return GoldAnswer("absent" if _PLACEHOLDER.search(raw) else "unscorable", raw=raw)
    if field == "governing_law":
        laws = tuple(law for law in (resolve_jurisdiction(p) for p in parts) if law is not None)
        return GoldAnswer("value", laws, raw) if laws else GoldAnswer("unscorable", raw=raw)
    raise ValueError(f"CUAD has no answer column for '{field}'")


def _dates(field: str, raw: str, parts: list[str]) -> GoldAnswer:
    values: list[Any] = []
    for piece in re.split(r";", raw):
        part = piece.strip()
        if field == "expiration_date" and part.casefold() == "perpetual":
            values.append("perpetual")
            continue
        if _PLACEHOLDER.search(part):
            continue
        match = _US_DATE.fullmatch(part)
        if match:
            month, day, year = (int(g) for g in match.groups())
            values.append(date(year, month, day))
    if values:
        return GoldAnswer("value", tuple(values), raw)
    return GoldAnswer("absent" if _PLACEHOLDER.search(raw) else "unscorable", raw=raw)


def _duration(part: str) -> Duration | None:
    matches = list(_DURATION.finditer(part))
    if not matches:
        return None
    amount, unit = int(matches[-1].group(1)), matches[-1].group(2).casefold()
    if unit == "year":
        return Duration(months=12 * amount)
    if unit == "month":
        return Duration(months=amount)
    return Duration(days=amount * (7 if unit == "week" else 1))


_COLLECTIVE = re.compile(
    r"\b(?:individually|collectively|together|jointly|separately|singularly|each\s+a|"
    r"referred\s+to|all\s+of\s+its)\b|^(?:an?\s+individual|you|we|us)$",
    re.IGNORECASE,
)
_LABEL = re.compile(r"[\"“”]([^\"“”]{1,60})[\"“”]")


def _party_names(raw: str) -> tuple[str, ...]:
    """The party names of a CUAD answer, without collective entries.

    CUAD answers also list how parties are referred to together ("Party" and
    collectively the "Parties"; "Lender, Endorser and Fitness" ("AS Parties")); those
    are labels, not parties, and are dropped, as are placeholders (``XXXX``, ``[]``).
    """
    entries = [entry.strip() for entry in raw.split(";") if entry.strip()]
    labels = {label.strip().casefold() for entry in entries for label in _LABEL.findall(entry)}
    names: list[str] = []
    for entry in entries:
        name = re.split(r"[(\uff08]", entry, maxsplit=1)[0].strip(' ,;"“”')
        if not name or re.fullmatch(r"[X_\s.\-\[\]*]+", name) or _COLLECTIVE.search(name):
            continue
        words = [w.strip().casefold() for w in re.split(r",|\band\b|&", name) if w.strip()]
        if words and all(word in labels for word in words):
            continue
        if re.search(r"\band\b", name) and re.search(r"[\"“]Parties[\"”]", entry):
            continue
        names.append(name)
    return tuple(names)
