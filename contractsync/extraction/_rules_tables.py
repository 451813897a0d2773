"""Key-value rows: the label/value tables of order forms and cover sheets.

Document readers put a table row on one line with its cells separated by tabs (DOCX,
HTML); plain-text and Markdown tables separate them with ``|``. A row whose cell is a
known label (``Term``, ``Contract Value``, ``Payment Terms``, ``Billing Frequency`` …,
matched case-insensitively against ``_LABELS``) gives that field the value in the next
non-empty cell, read by the field's own parser from the start of the cell. A ``Label:
value`` line is read the same way. The first readable row per field wins.

``table_rows`` is meant to run before the prose rules: a labelled row of an order form is
the deal's stated value. ``labelled_lines`` is meant to run after them, filling only what
prose missed: such lines also head schedules and notice blocks ("Term: three years" of
one research schedule). Each has its own rule (``table_row``, ``labelled_line``), so
calibration bins them apart from the drafting rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from itertools import pairwise

from contractsync.model import Duration, GoverningLaw, Money

from ._candidate import Candidate, make_snippet
from ._dates import DATE, parse_date
from ._durations import DURATION, parse_duration
from ._jurisdiction import resolve_jurisdiction
from ._money import parse_money
from ._numbers import NUMBER, parse_int
from ._rules_commercial import billing_frequency_named
from ._rules_escalator import read_escalator
from ._text import ContractText

_LABELS_BY_FIELD: dict[str, tuple[str, ...]] = {
    "initial_term": (
        "term", "initial term", "contract term", "subscription term", "initial subscription term",
        "agreement term", "service term", "services term", "term of agreement",
        "term of the agreement", "contract duration", "duration", "contract period",
        "initial period", "term length", "length of term", "commitment term", "minimum term",
    ),
    "renewal_term": ("renewal term", "renewal period", "renewal terms", "auto-renewal term"),
    "total_value": (
        "contract value", "total contract value", "tcv", "total value", "total contract price",
        "total fees", "total price", "contract amount", "contract sum", "total contract amount",
        "total amount", "total consideration", "total commitment", "total agreement value",
    ),
    "annual_value": (
        "annual contract value", "acv", "annual value", "annual fee", "annual fees",
        "annual subscription fee", "annual subscription fees", "annual license fee",
        "annual licence fee", "annual charges", "yearly fee", "annual price",
    ),
    "payment_terms_days": (
        "payment terms", "payment term", "terms of payment", "payment due",
        "invoice terms", "payment terms (days)", "net terms",
    ),
    "billing_frequency": (
        "billing frequency", "billing cycle", "billing period", "billing", "invoicing",
        "invoicing frequency", "invoice frequency", "frequency of invoicing",
        "payment frequency", "billing schedule", "invoicing schedule", "payment schedule",
    ),
    "price_escalator": (
        "price increase", "price increases", "annual increase", "annual price increase",
        "price escalator", "escalator", "price escalation", "escalation", "uplift",
        "annual uplift", "price adjustment", "fee increase", "annual escalator", "indexation",
    ),
    "effective_date": (
        "effective date", "start date", "commencement date", "service start date",
        "subscription start date", "term start date", "contract start date",
    ),
    "expiration_date": (
        "end date", "expiration date", "expiry date", "termination date", "term end date",
        "subscription end date", "contract end date", "service end date", "renewal date",
    ),
    "agreement_date": ("agreement date", "order date", "date of agreement", "contract date"),
    "governing_law": ("governing law", "applicable law", "choice of law"),
}  # fmt: skip
_LABELS = {label: field for field, labels in _LABELS_BY_FIELD.items() for label in labels}
_CELL_SEPARATOR = re.compile(r"\t|\s*\|\s*")
_LABELLED_LINE = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z ()/&.-]{1,40}?)\s*:\s*(?P<value>\S.*)")
_LINE = re.compile(r"[^\n]+")
# A value is read from the start of its cell or line: what a long one goes on to say is
# prose about it ("Term: Three (3) years, provided however that …").
_MAX_VALUE = 120
_MAX_LINE_VALUE = 60
_DURATION_FIRST = re.compile(rf"^\W*(?:{DURATION})", re.IGNORECASE)
_NET_DAYS = re.compile(
    rf"\bnet\s*(?P<net>{NUMBER})\b|(?P<days>{NUMBER})\s+(?:calendar\s+|business\s+)?days?\b",
    re.IGNORECASE,
)
_DATE_FIRST = re.compile(rf"^\W*(?P<date>{DATE})", re.IGNORECASE)
_COURTS = re.compile(r"\bcourts?\b|\bvenue\b|\barbitration\b", re.IGNORECASE)
_PER_YEAR = re.compile(r"\b(?:per\s+(?:year|annum)|annual(?:ly)?|yearly|p\.?\s?a\.?)\b", re.I)


def table_rows(text: ContractText) -> list[Candidate]:
    """Candidates from labelled table rows (``Term | 36 months``), one per field."""
    return _key_values(text, _table_cells, "table_row")


def table_term_end(rows: list[Candidate], starts: dict[str, date]) -> list[Candidate]:
    """The expiration a table's term gives, counted from the effective (or agreement) date,
    where the table states no end of its own and the prose sets no term."""
    if any(row.field == "expiration_date" for row in rows):
        return []
    start = starts.get("effective_date") or starts.get("agreement_date")
    length = next((r for r in rows if r.field == "initial_term"), None)
    if start is None or length is None or not isinstance(length.value, Duration):
        return []
    return [replace(length, field="expiration_date", value=length.value.last_day(start),
                    rule="table_row.term_end")]  # fmt: skip


def labelled_lines(text: ContractText) -> list[Candidate]:
    """Candidates from ``Label: value`` lines (``Payment Terms: Net 45``), one per field."""
    return _key_values(text, _labelled_line, "labelled_line")


def _key_values(
    text: ContractText, pairs: Callable[[str], Iterator[tuple[str, str]]], rule: str
) -> list[Candidate]:
    found: dict[str, Candidate] = {}
    for line in _LINE.finditer(text.text):
        for label, value in pairs(line.group()):
            field = _LABELS.get(_label_key(label))
            read = None if field is None else _read(field, value)
            if read is None or read[0] in found:
                continue
            field, parsed = read
            found[field] = Candidate(
                field=field,
                value=parsed,
                start=line.start(),
                end=line.end(),
                snippet=make_snippet(text.text, line.start(), line.end()),
                rule=rule,
                confidence=0.75,
            )
    return list(found.values())


def _table_cells(line: str) -> Iterator[tuple[str, str]]:
    if "\t" not in line and "|" not in line:
        return
    cells = [cell.strip() for cell in _CELL_SEPARATOR.split(line)]
    cells = [cell for cell in cells if cell]
    for label, value in pairwise(cells):
        yield label, value[:_MAX_VALUE]


def _labelled_line(line: str) -> Iterator[tuple[str, str]]:
    labelled = _LABELLED_LINE.match(line)
    if labelled is not None and "\t" not in line and "|" not in line:
        yield labelled["label"], labelled["value"].strip()[:_MAX_LINE_VALUE]


def _label_key(label: str) -> str:
    label = re.sub(r"^\s*(?:\d+(?:\.\d+)*\.?|[a-z]\)|\([a-z0-9]+\))\s+", "", label.casefold())
    label = label.replace("&", "and").strip(" :*.\u2013\u2014-")
    return re.sub(r"\s+", " ", label)


def _read(field: str, value: str) -> tuple[str, object] | None:
    parser = _PARSERS[field]
    parsed = parser(value)
    if parsed is None:
        return None
    # A "contract value" stated per year is the annual value, whatever the label says.
    if field == "total_value" and _PER_YEAR.search(value):
        return "annual_value", parsed
    return field, parsed


def _duration(value: str) -> Duration | None:
    return parse_duration(value) if _DURATION_FIRST.match(value) else None


def _money(value: str) -> Money | None:
    money = parse_money(value)
    return money if money is not None and money.amount > 0 else None


def _net_days(value: str) -> int | None:
    match = _NET_DAYS.search(value)
    if match is None:
        return None
    days = parse_int(match["net"] or match["days"])
    return days if days is not None and 0 < days <= 365 else None


def _date(value: str) -> date | None:
    first = _DATE_FIRST.match(value)
    return parse_date(first["date"]) if first is not None else None


def _law(value: str) -> GoverningLaw | None:
    # A cell that names a court ("Courts of London") is a forum, not a law.
    return None if _COURTS.search(value) else resolve_jurisdiction(value)


_PARSERS: dict[str, Callable[[str], object | None]] = {
    "effective_date": _date,
    "expiration_date": _date,
    "agreement_date": _date,
    "initial_term": _duration,
    "renewal_term": _duration,
    "total_value": _money,
    "annual_value": _money,
    "payment_terms_days": _net_days,
    "billing_frequency": billing_frequency_named,
    "price_escalator": read_escalator,
    "governing_law": _law,
}
