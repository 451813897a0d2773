"""Salesforce record ids: key prefixes, 15/18-character forms and the case-safe checksum.

Section 8.3 of salesforce-api.md: a 15-character id is case-sensitive base-62 (3-char key
prefix, 2-char pod marker, 1 reserved char, 9-char sequence); the 18-character form appends a
3-character checksum that encodes which of the first 15 characters are upper case, so that
case-insensitive tools (spreadsheets, some databases) can still tell ids apart.
"""

from __future__ import annotations

import string

__all__ = ["InvalidIdError", "checksum", "format_id", "is_id_shaped", "normalize_id"]

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_CHECKSUM_ALPHABET = string.ascii_uppercase + "012345"
# Pod marker and reserved character of every id this org mints (section 8.3, chars 4-6).
_POD = "5f0"
_SEQUENCE_WIDTH = 9


class InvalidIdError(ValueError):
    """A string that cannot be a Salesforce id."""


def checksum(id15: str) -> str:
    """The 3-character case-folding suffix of a 15-character id (section 8.3)."""
    suffix = []
    for block in range(3):
        bits = 0
        for position, char in enumerate(id15[block * 5 : block * 5 + 5]):
            if "A" <= char <= "Z":
                bits |= 1 << position
        suffix.append(_CHECKSUM_ALPHABET[bits])
    return "".join(suffix)


def is_id_shaped(value: str) -> bool:
    """True when ``value`` has the length and alphabet of an id (not that it is valid)."""
    return len(value) in (15, 18) and value.isascii() and value.isalnum()


def normalize_id(value: str) -> str:
    """The canonical 18-character form of a 15- or 18-character id.

    Raises:
        InvalidIdError: wrong length or alphabet, or an 18-character id whose checksum does not
            match its first 15 characters.
    """
    if not is_id_shaped(value):
        raise InvalidIdError(value)
    id15 = value[:15]
    expected = checksum(id15)
    # The suffix only carries upper-case letters and digits, so a suffix that was
    # lower-cased by a case-insensitive tool still identifies the record.
    if len(value) == 18 and value[15:].upper() != expected:
        raise InvalidIdError(value)
    return id15 + expected


def format_id(key_prefix: str, sequence: int) -> str:
    """The 18-character id of the ``sequence``-th record minted for ``key_prefix``."""
    if len(key_prefix) != 3:
        raise ValueError(f"key prefix must have 3 characters, got {key_prefix!r}")
    digits = []
    remaining = sequence
    for _ in range(_SEQUENCE_WIDTH):
        remaining, digit = divmod(remaining, 62)
        digits.append(_BASE62[digit])
    if remaining:
        raise ValueError(f"sequence {sequence} does not fit in an id")
    id15 = key_prefix + _POD + "".join(reversed(digits))
    return id15 + checksum(id15)
