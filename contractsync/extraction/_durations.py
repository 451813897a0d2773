"""Durations as contracts write them, into ``Duration(months=…, days=…)``.

Years become twelve months and weeks seven days, so a duration never turns into a float
of years. Business days are kept as days: the calendar that turns them into dates is the
reader's, not the extractor's.
"""

from __future__ import annotations

import re

from contractsync.model import Duration

from ._numbers import NUMBER, parse_int

_UNIT = r"(?:years?|yrs?|months?|weeks?|days?)"
DURATION = (
    rf"(?:{NUMBER})[\s-]*(?:\(\s*\d+\s*\)[\s-]*)?(?:full\s+|consecutive\s+|calendar\s+|"
    rf"business\s+|working\s+)*{_UNIT}"
)
"""A regular expression (no groups) for ``ninety (90) calendar days``, ``five-year`` …"""

_PARTS = re.compile(rf"(?P<number>{NUMBER})[\s-]*(?:\(\s*(?P<paren>\d+)\s*\)[\s-]*)?"
                    r"(?:full\s+|consecutive\s+|calendar\s+|business\s+|working\s+)*"
                    rf"(?P<unit>{_UNIT})", re.IGNORECASE)  # fmt: skip
_PERIODIC = {
    "annual": Duration(months=12),
    "annually": Duration(months=12),
    "yearly": Duration(months=12),
    "year-to-year": Duration(months=12),
    "year to year": Duration(months=12),
    "month-to-month": Duration(months=1),
    "month to month": Duration(months=1),
    "monthly": Duration(months=1),
    "quarterly": Duration(months=3),
    "semi-annual": Duration(months=6),
}
_MAX_MONTHS = 1200
_MAX_DAYS = 36600


def parse_duration(text: str) -> Duration | None:
    """The duration ``text`` names (``twelve (12) months``, ``5-year``, ``annual``), or None."""
    match = _PARTS.search(text)
    if match is None:
        return _PERIODIC.get(text.strip().casefold())
    amount = int(match.group("paren")) if match.group("paren") else parse_int(match["number"])
    if amount is None or amount <= 0:
        return None
    unit = match.group("unit").casefold()
    if unit.startswith("y"):
        months, days = amount * 12, 0
    elif unit.startswith("m"):
        months, days = amount, 0
    elif unit.startswith("w"):
        months, days = 0, amount * 7
    else:
        months, days = 0, amount
    if months > _MAX_MONTHS or days > _MAX_DAYS:
        return None
    return Duration(months=months, days=days)


def duration_json(duration: Duration) -> dict[str, int]:
    """The wire form: ``{"months": 12}`` or ``{"days": 30}``."""
    return {name: int(amount) for name, amount in duration.model_dump().items()}
