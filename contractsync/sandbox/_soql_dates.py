"""Relative date literals (TODAY, LAST_N_DAYS:n ...) as half-open ranges of days.

Ranges follow "Date Formats and Date Literals in WHERE" (SOQL and SOSL Reference), evaluated
in UTC against the query's ``now``; weeks start on Sunday, as in the en_US locale, and the
fiscal year is the calendar year, as in an org that never changed its fiscal settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

DayRange = tuple[dt.date, dt.date]  # [start, end): end is the first day after the range


def _days(start: dt.date, count: int) -> DayRange:
    return start, start + dt.timedelta(days=count)


def _week_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=(today.weekday() + 1) % 7)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _months(start: dt.date, count: int) -> DayRange:
    return start, _add_months(start, count)


def _month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


def _quarter_start(today: dt.date) -> dt.date:
    return dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)


def _year_start(today: dt.date) -> dt.date:
    return dt.date(today.year, 1, 1)


def _week(today: dt.date, shift: int) -> DayRange:
    return _days(_week_start(today) + dt.timedelta(weeks=shift), 7)


def _month(today: dt.date, shift: int) -> DayRange:
    return _months(_add_months(_month_start(today), shift), 1)


def _quarter(today: dt.date, shift: int) -> DayRange:
    return _months(_add_months(_quarter_start(today), 3 * shift), 3)


def _year(today: dt.date, shift: int) -> DayRange:
    return _months(_add_months(_year_start(today), 12 * shift), 12)


FIXED_RANGES: dict[str, Callable[[dt.date], DayRange]] = {
    "YESTERDAY": lambda today: _days(today - dt.timedelta(days=1), 1),
    "TODAY": lambda today: _days(today, 1),
    "TOMORROW": lambda today: _days(today + dt.timedelta(days=1), 1),
    "LAST_WEEK": lambda today: _week(today, -1),
    "THIS_WEEK": lambda today: _week(today, 0),
    "NEXT_WEEK": lambda today: _week(today, 1),
    "LAST_MONTH": lambda today: _month(today, -1),
    "THIS_MONTH": lambda today: _month(today, 0),
    "NEXT_MONTH": lambda today: _month(today, 1),
    # LAST_90_DAYS includes today, so it spans 91 days; NEXT_90_DAYS starts tomorrow.
    "LAST_90_DAYS": lambda today: _days(today - dt.timedelta(days=90), 91),
    "NEXT_90_DAYS": lambda today: _days(today + dt.timedelta(days=1), 90),
    "LAST_QUARTER": lambda today: _quarter(today, -1),
    "THIS_QUARTER": lambda today: _quarter(today, 0),
    "NEXT_QUARTER": lambda today: _quarter(today, 1),
    "LAST_YEAR": lambda today: _year(today, -1),
    "THIS_YEAR": lambda today: _year(today, 0),
    "NEXT_YEAR": lambda today: _year(today, 1),
    "LAST_FISCAL_QUARTER": lambda today: _quarter(today, -1),
    "THIS_FISCAL_QUARTER": lambda today: _quarter(today, 0),
    "NEXT_FISCAL_QUARTER": lambda today: _quarter(today, 1),
    "LAST_FISCAL_YEAR": lambda today: _year(today, -1),
    "THIS_FISCAL_YEAR": lambda today: _year(today, 0),
    "NEXT_FISCAL_YEAR": lambda today: _year(today, 1),
}

# Only the DAYS forms of LAST_N_<unit> include today; the other units cover whole past
# periods ending before the current one ("LAST_N_WEEKS:1 does not include today").
N_RANGES: dict[str, Callable[[dt.date, int], DayRange]] = {
    "LAST_N_DAYS": lambda today, n: _days(today - dt.timedelta(days=n), n + 1),
    "NEXT_N_DAYS": lambda today, n: _days(today + dt.timedelta(days=1), n),
    "N_DAYS_AGO": lambda today, n: _days(today - dt.timedelta(days=n), 1),
    "LAST_N_WEEKS": lambda today, n: _days(_week_start(today) - dt.timedelta(weeks=n), 7 * n),
    "NEXT_N_WEEKS": lambda today, n: _days(_week_start(today) + dt.timedelta(weeks=1), 7 * n),
    "N_WEEKS_AGO": lambda today, n: _week(today, -n),
    "LAST_N_MONTHS": lambda today, n: _months(_add_months(_month_start(today), -n), n),
    "NEXT_N_MONTHS": lambda today, n: _months(_add_months(_month_start(today), 1), n),
    "N_MONTHS_AGO": lambda today, n: _month(today, -n),
    "LAST_N_QUARTERS": lambda today, n: _months(_add_months(_quarter_start(today), -3 * n), 3 * n),
    "NEXT_N_QUARTERS": lambda today, n: _months(_add_months(_quarter_start(today), 3), 3 * n),
    "N_QUARTERS_AGO": lambda today, n: _quarter(today, -n),
    "LAST_N_YEARS": lambda today, n: _months(_add_months(_year_start(today), -12 * n), 12 * n),
    "NEXT_N_YEARS": lambda today, n: _months(_add_months(_year_start(today), 12), 12 * n),
    "N_YEARS_AGO": lambda today, n: _year(today, -n),
}


def day_range(name: str, n: int | None, today: dt.date) -> DayRange:
    """The days ``name`` (with ``n`` for the ``:n`` forms) covers when the current day is
    ``today``."""
    if n is None:
        return FIXED_RANGES[name](today)
    return N_RANGES[name](today, n)


def instant_range(days: DayRange) -> tuple[dt.datetime, dt.datetime]:
    """The same range as UTC instants, for dateTime fields."""
    start, end = days
    return (
        dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC),
        dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC),
    )
