"""Field values: turning request JSON into stored values, with Salesforce's errors.

Salesforce deserialises a request body into typed fields before any validation runs, so a
value that cannot be read as the field's type fails with ``JSON_PARSER_ERROR`` (Jackson's
wording), while a readable value of the wrong kind fails with
``INVALID_TYPE_ON_FIELD_IN_RECORD`` (salesforce-api.md 3.2). Stored values keep the JSON form
the API returns: dates ``YYYY-MM-DD``, datetimes ``YYYY-MM-DDThh:mm:ss.sss+0000``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from ._errors import SalesforceError
from ._ids import InvalidIdError, normalize_id
from ._schema_defs import FieldDef

__all__ = [
    "Locator",
    "coerce_value",
    "format_datetime",
    "parse_date",
    "parse_datetime",
]

# Where a body key's value ends, as Jackson reports it: (line, column).
Locator = Callable[[str], tuple[int, int]]

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def format_datetime(value: dt.datetime) -> str:
    """Salesforce's output form: milliseconds and a colon-less ``+0000`` offset (2.2)."""
    utc = value.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def parse_datetime(text: str) -> dt.datetime | None:
    """An aware datetime from ISO-8601 with ``Z``, ``±hh:mm`` or ``±hhmm``; None if invalid."""
    match = _DATETIME.match(text.strip())
    if not match:
        day = parse_date(text)
        return None if day is None else dt.datetime.combine(day, dt.time(), dt.UTC)
    year, month, day_, hour, minute, second, fraction, zone = match.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    tz = dt.UTC
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        tz = dt.timezone(offset if zone[0] == "+" else -offset)
    try:
        return dt.datetime(
            int(year), int(month), int(day_), int(hour), int(minute), int(second or 0), micros, tz
        )
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _token(value: Any) -> str:
    """Jackson's name for the JSON token holding ``value``."""
    if isinstance(value, bool):
        return "VALUE_TRUE" if value else "VALUE_FALSE"
    if isinstance(value, int):
        return "VALUE_NUMBER_INT"
    if isinstance(value, float):
        return "VALUE_NUMBER_FLOAT"
    if isinstance(value, dict):
        return "START_OBJECT"
    if isinstance(value, list):
        return "START_ARRAY"
    return "VALUE_STRING"


def _parser_error(field: FieldDef, value: Any, key: str, locate: Locator) -> SalesforceError:
    line, column = locate(key)
    kind = "string" if field.is_text or field.type == "base64" else field.type
    token = _token(value)
    shown = "" if isinstance(value, dict | list) else f" value {_json_text(value)}"
    return SalesforceError.of(
        400,
        "JSON_PARSER_ERROR",
        f"Cannot deserialize instance of {kind} from {token}{shown} or request may be missing"
        f" a required field at [line:{line}, column:{column}]",
        with_fields=False,
    )


def _json_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _wrong_type(field: FieldDef, value: Any) -> SalesforceError:
    return SalesforceError.of(
        400,
        "INVALID_TYPE_ON_FIELD_IN_RECORD",
        f"{field.label}: value not of required type: {_json_text(value)}",
        (field.name,),
    )


def coerce_value(field: FieldDef, value: Any, key: str, locate: Locator) -> Any:
    """The stored form of ``value`` for ``field``, or the fault Salesforce answers with."""
    if value is None:
        # Booleans cannot be null; Salesforce stores false (describe: nillable=false).
        return False if field.type == "boolean" else None
    if isinstance(value, dict | list) and field.type not in ("multipicklist",):
        raise _parser_error(field, value, key, locate)
    if field.is_text:
        return _text(field, value, key, locate)
    handler = _HANDLERS.get(field.type)
    if handler is None:
        return value
    return handler(field, value, key, locate)


def _text(field: FieldDef, value: Any, key: str, locate: Locator) -> str | None:
    if isinstance(value, list):
        raise _parser_error(field, value, key, locate)
    text = _json_text(value)
    if text == "":
        # The platform stores empty text as null.
        return None
    if len(text) > field.length:
        raise SalesforceError.of(
            400,
            "STRING_TOO_LONG",
            f"{field.label}: data value too large: {text} (max length={field.length})",
            (field.name,),
        )
    if field.type == "email" and not _EMAIL.match(text):
        raise SalesforceError.of(
            400,
            "INVALID_EMAIL_ADDRESS",
            f"{field.label}: invalid email address: {text}",
            (field.name,),
        )
    if field.restricted_picklist:
        parts = text.split(";") if field.type == "multipicklist" else [text]
        for part in parts:
            entry = field.picklist_value(part)
            if entry is None or not entry.active:
                raise SalesforceError.of(
                    400,
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    f"{field.label}: bad value for restricted picklist field: {part}",
                    (field.name,),
                )
    return text


def _boolean(field: FieldDef, value: Any, key: str, locate: Locator) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise _parser_error(field, value, key, locate)
    raise _wrong_type(field, value)


def _number(field: FieldDef, value: Any, key: str, locate: Locator) -> int | float:
    if isinstance(value, bool):
        raise _wrong_type(field, value)
    number: int | float
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise _parser_error(field, value, key, locate) from None
    else:
        number = value
    if not math.isfinite(number):
        raise _parser_error(field, value, key, locate)
    if field.type == "int":
        if number != int(number):
            raise _wrong_type(field, value)
        number = int(number)
        max_digits = field.digits or 9
        if len(str(abs(number))) > max_digits:
            raise _out_of_range(field, value)
        return number
    integer_digits = (field.precision or 18) - field.scale
    if abs(number) >= 10**integer_digits:
        raise _out_of_range(field, value)
    rounded = round(float(number), field.scale)
    return int(rounded) if field.scale == 0 and field.type != "double" else rounded


def _out_of_range(field: FieldDef, value: Any) -> SalesforceError:
    return SalesforceError.of(
        400,
        "NUMBER_OUTSIDE_VALID_RANGE",
        f"{field.label}: value outside of valid range on numeric field: {_json_text(value)}",
        (field.name,),
    )


def _date(field: FieldDef, value: Any, key: str, locate: Locator) -> str:
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        # Salesforce also reads a full datetime into a date field, keeping the day.
        moment = parse_datetime(value) if isinstance(value, str) else None
        if moment is None:
            raise _parser_error(field, value, key, locate)
        parsed = moment.date()
    return parsed.isoformat()


def _datetime(field: FieldDef, value: Any, key: str, locate: Locator) -> str:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise _parser_error(field, value, key, locate)
    return format_datetime(parsed)


def _time(field: FieldDef, value: Any, key: str, locate: Locator) -> str:
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise _parser_error(field, value, key, locate)
    hour, minute, second, millis = match.groups()
    return f"{hour}:{minute}:{second or '00'}.{(millis or '0').ljust(3, '0')}Z"


def _reference(field: FieldDef, value: Any, key: str, locate: Locator) -> str:
    if not isinstance(value, str):
        raise _parser_error(field, value, key, locate)
    try:
        return normalize_id(value.strip())
    except InvalidIdError:
        raise SalesforceError.of(
            400,
            "MALFORMED_ID",
            f"{field.label}: id value of incorrect type: {value}",
            (field.name,),
        ) from None


def _base64(field: FieldDef, value: Any, key: str, locate: Locator) -> str:
    if not isinstance(value, str):
        raise _parser_error(field, value, key, locate)
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _parser_error(field, value[:40], key, locate) from None
    return value


_HANDLERS: dict[str, Callable[[FieldDef, Any, str, Locator], Any]] = {
    "boolean": _boolean,
    "int": _number,
    "double": _number,
    "currency": _number,
    "percent": _number,
    "date": _date,
    "datetime": _datetime,
    "time": _time,
    "reference": _reference,
    "id": _reference,
    "base64": _base64,
}
