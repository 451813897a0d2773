"""Money as contracts write it, into ``Money(amount=Decimal, currency=ISO 4217)``.

A bare ``$`` is read as US dollars, the convention of the (mostly US) filings contracts
come from; a prefixed dollar (``C$``, ``A$``, ``HK$``) or an ISO code next to the amount
overrides it. Currency codes are checked against ISO 4217 through pycountry. Dollar
amounts are never grouped with plain spaces, so ``$500 100 days`` is $500.

Amounts may group thousands with commas, dots, apostrophes or spaces (``1,234,567.89``,
``1.234.567,89``, ``1'234'567.89``, ``1 234 567,89``). A final dot or comma followed by one
or two digits is the decimal mark; every other separator must be one and the same, with
groups of exactly three digits. An amount that still reads two ways (``€1.000``: one euro
or a thousand?) is refused (None) rather than guessed, except that a lone comma before
three digits groups thousands (``$5,000``), as in the US filings contracts come from.
Babel and price-parser were considered: Babel parses one locale's format, which a contract
does not declare, and price-parser guesses where this refuses.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

import pycountry

from contractsync.model import Money

_SYMBOLS = {
    "us$": "USD", "usd$": "USD", "$": "USD", "c$": "CAD", "ca$": "CAD", "cdn$": "CAD",
    "a$": "AUD", "au$": "AUD", "hk$": "HKD", "nz$": "NZD", "s$": "SGD", "€": "EUR",
    "£": "GBP", "¥": "JPY", "₹": "INR", "rmb": "CNY", "euro": "EUR", "euros": "EUR",
    "dollars": "USD", "pounds sterling": "GBP", "yen": "JPY", "renminbi": "CNY",
}  # fmt: skip
_CODES = "USD|EUR|GBP|CAD|AUD|JPY|CHF|CNY|HKD|SGD|INR|NZD|SEK|NOK|DKK|ILS|KRW|BRL|MXN|ZAR|TWD|RMB"
# Thousands separators: comma, dot, apostrophes (Swiss), and the spaces typesetting uses
# (plain, no-break, narrow no-break, thin). The lookarounds keep a match from starting or
# ending inside a longer number ("1,00,000" is not "1,00").
_GROUP = "[,.'\u2019 \u00a0\u202f\u2009]"
_AMOUNT = (
    rf"(?<!\d)(?<!\d[.,'\u2019])"
    rf"(?:\d{{1,3}}(?:{_GROUP}\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?)"
    rf"(?![.,'\u2019]?\d)"
)
_SCALE = r"(?:\s*(?:million|billion|thousand|m\b|k\b))?"
MONEY = (
    rf"(?:(?:US\$|USD\$|C\$|CA\$|CDN\$|A\$|AU\$|HK\$|NZ\$|S\$|\$|€|£|¥|₹)\s?(?:{_AMOUNT}){_SCALE}"
    rf"|(?:{_CODES})\s?(?:{_AMOUNT}){_SCALE}"
    rf"|(?:{_AMOUNT}){_SCALE}\s?(?:(?:{_CODES}|euros?|dollars|pounds\s+sterling|yen|renminbi)\b|€))"
)
"""A regular expression (no groups) for an amount with its currency."""

_PARTS = re.compile(
    rf"(?P<pre>US\$|USD\$|C\$|CA\$|CDN\$|A\$|AU\$|HK\$|NZ\$|S\$|\$|€|£|¥|₹|{_CODES})?\s?"
    rf"(?P<amount>{_AMOUNT})(?P<scale>{_SCALE})\s?"
    rf"(?P<post>{_CODES}|euros?|dollars|pounds\s+sterling|yen|renminbi|€)?",
    re.IGNORECASE,
)
_SCALES = {"thousand": 1_000, "k": 1_000, "million": 1_000_000, "m": 1_000_000}
_SCALES["billion"] = 1_000_000_000


def parse_money(text: str) -> Money | None:
    """The amount and currency ``text`` names (``$1,200.50``, ``EUR 5 million``), or None."""
    for match in _PARTS.finditer(text):
        marker = match["pre"] or match["post"]
        if not marker:
            continue
        currency = currency_code(marker)
        if currency is None:
            continue
        scale = match["scale"].strip().casefold()
        digits = match["amount"]
        if (match["pre"] or "").endswith("$") and " " in digits:
            # Dollar amounts are not grouped with spaces: "$500 100 days after" is $500.
            digits, scale = digits.split(" ", 1)[0], ""
        amount = _amount(digits, scaled=bool(scale))
        if amount is None:
            # The first amount is the one meant; skipping to a later one would be a guess.
            return None
        if scale:
            amount *= _SCALES[scale]
            if amount == amount.to_integral_value():
                # "$2.4 million" is 2400000, not 2400000.0, when it is shown or compared as text.
                amount = amount.quantize(Decimal(1))
        return Money(amount=amount, currency=currency)
    return None


def _amount(text: str, *, scaled: bool) -> Decimal | None:
    """The number an amount's digits and separators mean, or None when they read two ways."""
    separators = re.findall(r"\D", text)
    groups = re.split(r"\D", text)
    decimal_mark = None
    if (
        separators
        and separators[-1] in ".,"
        and (
            len(groups[-1]) < 3  # "1.000,50", "12,5"
            or (len(separators) == 1 and groups[0] == "0")  # "0.125" groups no thousands
            or (separators == ["."] and scaled)  # "1.500 million"
        )
    ):
        decimal_mark = separators.pop()
    elif separators == ["."]:
        return None  # "1.000": a thousand, or one with three decimals
    if len(set(separators)) > 1 or decimal_mark in separators:
        return None  # "1,000.000.000", "1.000.000.00": no one convention writes these
    whole = "".join(groups[:-1] if decimal_mark else groups)
    number = f"{whole}.{groups[-1]}" if decimal_mark else whole
    try:
        return Decimal(number)
    except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
        return None


def currency_code(marker: str) -> str | None:
    """The ISO 4217 code for a symbol, word or code (``$`` → USD, ``RMB`` → CNY)."""
    key = re.sub(r"\s+", " ", marker.strip().casefold())
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    return _iso_currency(key.upper())


@cache
def _iso_currency(code: str) -> str | None:
    if len(code) == 3 and pycountry.currencies.get(alpha_3=code) is not None:
        return code
    return None
