"""Calendar dates as contracts write them, into ``datetime.date``.

The common shapes (``March 5, 2019``, ``the 5th day of March, 2019``, ``5 March 2019``,
``3/5/2019``, ``2019-03-05``, ``2019/03/05``) are read by one regular expression, which is
fast enough to scan a whole contract; anything else that a caller has isolated as a date
goes to ``dateparser`` in strict mode (day, month and year all required). Numeric dates
are read month first, as in the US filings most English contracts come from, unless the
first number cannot be a month; a date that starts with its year is always year, month,
day (ISO 8601 and the East Asian ``2019/03/05``), since no convention puts the day second.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
# PDF conversion splits ordinal suffixes ("24t h day of August"); the space is tolerated.
_SUFFIX = r"(?:\s*(?:s\s?t|n\s?d|r\s?d|t\s?h))"
# Two-digit years only with slashes ("Dated 29/3/18", "Date: 3/21/08"): dotted and dashed
# triples are section numbers and references far more often than dates.
_SHORT_NUMERIC = r"(?<![\d/.-])(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|[12]\d|3[01])/\d\d(?![\d/])"
_PIVOT = 50
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
# Year first: any of - / . between the parts, the same one twice. Dotted only with two-digit
# month and day, because "2019.1.2" is a release number more often than a date.
_YEAR_FIRST = (
    rf"{_YEAR}-{_MONTH_NUMBER}-{_DAY}(?!\d)|{_YEAR}/{_MONTH_NUMBER}/{_DAY}(?!\d)"
    rf"|{_YEAR}\.(?:0[1-9]|1[0-2])\.(?:0[1-9]|[12]\d|3[01])(?!\d)"
)
# Every shape starts a word (a glued "as of1 August" still counts): checking that first
# lets a scan skip most positions cheaply, making a whole-contract scan several times faster.
DATE = (
    rf"(?:(?=[A-Za-z])(?<![A-Za-z])|(?=\d)(?<!\d))(?:{MONTH}\s+{_DAY}{_SUFFIX}?\s*,?\s*{_YEAR}"
    rf"|{_DAY}{_SUFFIX}?\s+(?:day\s+of\s+|of\s+)?{MONTH}\s*,?\s*(?:in\s+the\s+year\s+)?{_YEAR}"
    rf"|(?<![\d/.-])(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-]{_YEAR}(?![\d/])"
    rf"|(?<![\d/.-])(?:{_YEAR_FIRST})"
    rf"|{_SHORT_NUMERIC})"
)
"""A regular expression (no groups) for one complete calendar date."""

_MONTH_FIRST = re.compile(
    rf"(?P<month>{MONTH})\s+(?P<day>{_DAY}){_SUFFIX}?\s*,?\s*(?P<year>{_YEAR})",
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(
    rf"(?P<day>{_DAY}){_SUFFIX}?\s+(?:day\s+of\s+|of\s+)?(?P<month>{MONTH})"
    rf"\s*,?\s*(?:in\s+the\s+year\s+)?(?P<year>{_YEAR})",
    re.IGNORECASE,
)
_NUMERIC = re.compile(rf"(?<!\d)(?P<a>\d{{1,2}})[/.-](?P<b>\d{{1,2}})[/.-](?P<year>{_YEAR})(?!\d)")
_SHORT = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d\d)(?![\d/])")
_YEAR_FIRST_PARTS = re.compile(
    rf"(?<![\d/.-])(?P<year>{_YEAR})(?P<sep>[/.-])(?P<month>\d{{1,2}})(?P=sep)"
    r"(?P<day>\d{1,2})(?!\d)"
)


def parse_date(text: str) -> date | None:
    """The date ``text`` names, or None when it is not one complete, valid date."""
    found = _fast(text)
    if found is not None:
        return found
    if len(text) > 60 or not re.search(r"\d", text):
        return None
    if _YEAR_FIRST_PARTS.search(text):
        # An impossible year-first date ("2020/13/01") is no date; dateparser would read
        # it as year, day, month.
        return None
    return _dateparser(text.strip())


def _fast(text: str) -> date | None:
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        match = pattern.search(text)
        if match:
            month = _MONTHS[match["month"].rstrip(".").casefold()]
            return _valid(int(match["year"]), month, int(match["day"]))
    match = _YEAR_FIRST_PARTS.search(text)
    if match:
        return _valid(int(match["year"]), int(match["month"]), int(match["day"]))
    match = _NUMERIC.search(text) or _SHORT.search(text)
    if match:
        first, second = int(match["a"]), int(match["b"])
        if first > 12:
            first, second = second, first
        year = int(match["year"])
        if year < 100:
            year += 2000 if year < _PIVOT else 1900
        return _valid(year, first, second)
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=512)
def _dateparser(text: str) -> date | None:
    # Imported here: dateparser loads its language data on import, which a scan of
    # common date shapes never needs.
    import dateparser  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415

    settings: dict[str, Any] = {
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "DATE_ORDER": "MDY",
        "PREFER_DATES_FROM": "past",
    }
    parsed = dateparser.parse(text, languages=["en", "fr", "de", "es"], settings=settings)
    return parsed.date() if parsed is not None else None
