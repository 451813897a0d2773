"""How SOQL compares a stored field value with a literal, per describe type.

Text compares case-insensitively (``=`` and ranges alike, as ORDER BY sorts on upper-case
values); ids compare on their case-sensitive 15-character form, so 15- and 18-character
spellings match; a null equals only NULL and differs from everything else.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

Category = Literal["text", "id", "number", "boolean", "date", "datetime", "multi"]

_CATEGORIES: dict[str, Category] = {
    "id": "id",
    "reference": "id",
    "int": "number",
    "long": "number",
    "double": "number",
    "currency": "number",
    "percent": "number",
    "boolean": "boolean",
    "date": "date",
    "datetime": "datetime",
    "multipicklist": "multi",
}
# The SOAP type Salesforce names in "must be of type ..." messages.
SOAP_TYPES: dict[Category, str] = {
    "text": "string",
    "id": "id",
    "number": "double",
    "boolean": "boolean",
    "date": "date",
    "datetime": "dateTime",
    "multi": "string",
}
_CHECKSUM_ALPHABET = string.ascii_uppercase + "012345"


def category(field_type: str) -> Category:
    """Every type not listed (string, picklist, email, phone, url, textarea ...) is text."""
    return _CATEGORIES.get(field_type.lower(), "text")


def id_key(value: str) -> str | None:
    """The case-sensitive 15-character form of an id, or None when ``value`` is not one.

    An 18-character id's suffix says which of the first 15 characters are upper case, so
    an id lower-cased by a case-insensitive tool still names its record.
    """
    if len(value) not in (15, 18) or not (value.isascii() and value.isalnum()):
        return None
    if len(value) == 15:
        return value
    chars = list(value[:15])
    for block, suffix_char in enumerate(value[15:].upper()):
        bits = _CHECKSUM_ALPHABET.find(suffix_char)
        if bits < 0:
            return None
        for offset in range(5):
            index = block * 5 + offset
            upper = bool(bits & (1 << offset))
            chars[index] = chars[index].upper() if upper else chars[index].lower()
    return "".join(chars)


def parse_instant(value: str) -> dt.datetime:
    """A stored dateTime (``2025-01-02T03:04:05.000+0000``) as an aware UTC datetime."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        parsed = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def stored(kind: Category, value: Any) -> Any:
    """A stored JSON value in the form comparisons and sorting use; None stays None."""
    if value is None:
        return None
    if kind == "text":
        return str(value).upper()
    if kind == "id":
        return id_key(str(value)) or str(value)
    if kind == "number":
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    if kind == "boolean":
        return bool(value)
    if kind == "date":
        return dt.date.fromisoformat(str(value)[:10])
    if kind == "datetime":
        return parse_instant(str(value))
    return multi_values(str(value))


def multi_values(value: str) -> frozenset[str]:
    """A multi-select picklist value (``'a;b'``) as its set of upper-cased choices."""
    return frozenset(part.strip().upper() for part in value.split(";") if part.strip())


def compare(left: Any, operator: str, right: Any) -> bool:
    """``left <operator> right`` for two values of one category in ``stored`` form."""
    if operator == "=":
        return bool(left == right)
    if operator == "!=":
        return bool(left != right)
    if left is None or right is None:
        return False
    if operator == "<":
        return bool(left < right)
    if operator == "<=":
        return bool(left <= right)
    if operator == ">":
        return bool(left > right)
    return bool(left >= right)


def in_range(left: Any, operator: str, start: Any, end: Any) -> bool:
    """``left <operator> RANGE`` for a date literal covering [start, end).

    ``=`` means inside the range, ``>`` after its end, ``<`` before its start ("To find a
    value within the range, use =. To find values on either side of the range, use > or <").
    """
    if left is None:
        return operator == "!="
    inside = bool(start <= left < end)
    results = {
        "=": inside,
        "!=": not inside,
        "<": left < start,
        "<=": left < end,
        ">": left >= end,
        ">=": left >= start,
    }
    return bool(results[operator])


def like_pattern(raw: str) -> re.Pattern[str]:
    """The regex of a LIKE pattern written ``raw`` (escapes undecoded).

    ``%`` matches any run of characters and ``_`` exactly one; ``\\%`` and ``\\_`` match
    themselves; matching is case-insensitive and covers the whole value (LIKE, SOQL
    Reference).
    """
    parts: list[str] = []
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == "\\" and index + 1 < len(raw):
            escaped = raw[index + 1]
            parts.append(re.escape(_LIKE_ESCAPES.get(escaped, escaped)))
            index += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        index += 1
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


_LIKE_ESCAPES = {"n": "\n", "N": "\n", "r": "\r", "R": "\r", "t": "\t", "T": "\t"}
_LIKE_ESCAPES |= {"b": "\b", "B": "\b", "f": "\f", "F": "\f"}
