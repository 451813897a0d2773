"""Turning view values into Salesforce field values (JSON): pure, one function per transform."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel

from contractsync.errors import MappingError
from contractsync.model import Duration, Money

from ._spec import FieldRule


class NotRepresentable(ValueError):  # noqa: N818 - reads as the outcome
    """The value exists but cannot become this field (e.g. 90 days as whole months)."""


def to_salesforce(value: Any, rule: FieldRule) -> Any:
    """Apply ``rule.transform`` then the picklist map; None stays None."""
    if value is None:
        return None
    converted = _TRANSFORMS[rule.transform](value, rule) if rule.transform else plain_value(value)
    if rule.map is not None:
        if str(converted) not in rule.map:
            raise NotRepresentable(f"'{converted}' has no entry in the field's value map")
        return rule.map[str(converted)]
    return converted


def plain_value(value: Any) -> Any:
    """A view value as plain JSON (dates ISO, money as its amount, enums as values)."""
    if isinstance(value, Enum):  # before str: StrEnum members are str too
        return value.value
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, Money):
        return _number(value.amount)
    if isinstance(value, list | tuple):
        return "; ".join(str(plain_value(item)) for item in value)
    if isinstance(value, BaseModel | Duration):
        return str(value)
    return str(value)


def _number(value: Decimal) -> int | float:
    # JSON has no decimal type; Salesforce number fields hold 18 significant digits, and
    # a float keeps money amounts exact to the cent far beyond any contract value.
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value: Any, rule: FieldRule) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise NotRepresentable(f"{value!r} is not a date")


def _datetime(value: Any, rule: FieldRule) -> Any:
    if isinstance(value, datetime):
        instant = value
    elif isinstance(value, date):
        try:
            zone = ZoneInfo(rule.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise MappingError(
                f"Unknown time zone '{rule.timezone}' in a mapping rule; use an IANA name "
                "such as Europe/London or America/New_York."
            ) from None
        instant = datetime.combine(value, time(0, 0), tzinfo=zone)
    else:
        raise NotRepresentable(f"{value!r} is not a date or time")
    return instant.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _months(value: Any, rule: FieldRule) -> Any:
    if not isinstance(value, Duration):
        raise NotRepresentable(f"{value!r} is not a duration")
    if value.days:
        raise NotRepresentable(f"{value} is not a whole number of months")
    return value.months


def _days(value: Any, rule: FieldRule) -> Any:
    if not isinstance(value, Duration):
        raise NotRepresentable(f"{value!r} is not a duration")
    if value.months:
        raise NotRepresentable(f"{value} has months, which have no fixed number of days")
    return value.days


def _amount(value: Any, rule: FieldRule) -> Any:
    if isinstance(value, Money):
        return _number(value.amount)
    if isinstance(value, Decimal | int | float):
        return _number(Decimal(str(value)))
    raise NotRepresentable(f"{value!r} is not an amount")


def _currency(value: Any, rule: FieldRule) -> Any:
    if isinstance(value, Money):
        return value.currency
    raise NotRepresentable(f"{value!r} is not money")


def _text(value: Any, rule: FieldRule) -> Any:
    return str(plain_value(value))


def _integer(value: Any, rule: FieldRule) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotRepresentable(f"{value!r} is not a whole number") from None


def _number_transform(value: Any, rule: FieldRule) -> Any:
    try:
        return _number(Decimal(str(plain_value(value))))
    except ArithmeticError:
        raise NotRepresentable(f"{value!r} is not a number") from None


def _join(value: Any, rule: FieldRule) -> Any:
    items = value if isinstance(value, list | tuple) else [value]
    return rule.separator.join(str(plain_value(item)) for item in items)


_TRANSFORMS: dict[str, Callable[[Any, FieldRule], Any]] = {
    "date": _date,
    "datetime": _datetime,
    "months": _months,
    "days": _days,
    "amount": _amount,
    "currency": _currency,
    "text": _text,
    "upper": lambda value, rule: _text(value, rule).upper(),
    "lower": lambda value, rule: _text(value, rule).lower(),
    "boolean": lambda value, rule: bool(value),
    "integer": _integer,
    "number": _number_transform,
    "join": _join,
}
