"""Numbers as contracts write them: ``30``, ``thirty``, ``thirty (30)``, ``one hundred eighty``.

Words are read by ``text2num``, which knows the forms contracts use ("thirty five
hundred", "one hundred and twenty", "twenty-four") and refuses a run of words that is not
one number ("twenty twenty") rather than guessing. When a contract gives both words and
digits ("ninety (90) days") the digits win, because they are what the drafter checked.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from text_to_num import text2num  # type: ignore[import-untyped,unused-ignore]

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fourty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
]
NUMBER_WORD = r"(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
_WORDS = rf"{NUMBER_WORD}(?:(?:\s+|-)(?:and\s+)?{NUMBER_WORD})*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMBER = rf"(?:(?:{_WORDS})(?:\s*\(\s*(?:{_DIGITS})\s*\))?|(?:{_DIGITS})(?:\s*\(\s*{_WORDS}\s*\))?)"
"""A regular expression (no groups) for a number in digits, words, or both."""

_FIRST_DIGITS = re.compile(_DIGITS)
_FIRST_WORDS = re.compile(rf"\b(?:an?\s+(?=hundred|thousand|million|billion))?{_WORDS}\b")
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "fifteenth": 15,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip


def parse_number(text: str) -> Decimal | None:
    """The number ``text`` spells, or None: digits (``1,000.50``), words, or ``ten (10)``."""
    text = text.strip().casefold()
    if not text:
        return None
    digits = _FIRST_DIGITS.search(text)
    if digits is not None:
        try:
            return Decimal(digits.group().replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            return None
    if text in {"a", "an", "one"}:
        return Decimal(1)
    return _words(text)


def parse_int(text: str) -> int | None:
    """``parse_number`` for whole numbers; None for fractions or nothing."""
    number = parse_number(text)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def parse_ordinal(text: str) -> int | None:
    """``first`` → 1, ``3rd`` → 3 (anniversaries, ``the second renewal``)."""
    text = text.strip().casefold()
    match = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", text)
    if match:
        return int(match.group(1))
    return _ORDINALS.get(text)


@lru_cache(maxsize=1024)
def _words(text: str) -> Decimal | None:
    # Only the first run of number words is the number: "thirty days" is 30, and a
    # comma between words ("three thousand, five hundred") does not end the run.
    cleaned = " ".join(re.sub(r"[^a-z\s-]", " ", text).split()).replace("fourty", "forty")
    run = _FIRST_WORDS.search(cleaned)
    if run is None:
        return None
    # "a hundred days": text2num wants the article as a number.
    words = re.sub(r"^an?\s+", "one ", run.group())
    try:
        return Decimal(text2num(words, "en"))
    except ValueError:
        return None
