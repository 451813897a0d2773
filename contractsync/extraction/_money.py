"""Money as contracts write it, into ``Money(amount=Decimal, currency=ISO 4217)``.

A bare ``$`` is read as US dollars, the convention of the (mostly US) filings contracts
come from; a prefixed dollar (``C$``, ``A$``, ``HK$``) or an ISO code next to the amount
overrides it. Currency codes are checked against ISO 4217 through pycountry.
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
_AMOUNT = r"\d{1,3}(?:[,\s]\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"
_SCALE = r"(?:\s*(?:million|billion|thousand|m\b|k\b))?"
MONEY = (
    rf"(?:(?:US\$|USD\$|C\$|CA\$|CDN\$|A\$|AU\$|HK\$|NZ\$|S\$|\$|€|£|¥|₹)\s?(?:{_AMOUNT}){_SCALE}"
    rf"|(?:{_CODES})\s?(?:{_AMOUNT}){_SCALE}"
    rf"|(?:{_AMOUNT}){_SCALE}\s?(?:{_CODES}|euros?|dollars|pounds\s+sterling|yen|renminbi)\b)"
)
"""A regular expression (no groups) for an amount with its currency."""

_PARTS = re.compile(
    rf"(?P<pre>US\$|USD\$|C\$|CA\$|CDN\$|A\$|AU\$|HK\$|NZ\$|S\$|\$|€|£|¥|₹|{_CODES})?\s?"
    rf"(?P<amount>{_AMOUNT})(?P<scale>{_SCALE})\s?"
    rf"(?P<post>{_CODES}|euros?|dollars|pounds\s+sterling|yen|renminbi)?",
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
        try:
            amount = Decimal(re.sub(r"[,\s]", "", match["amount"]))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
        scale = match["scale"].strip().casefold()
        if scale:
            amount *= _SCALES[scale]
        return Money(amount=amount, currency=currency)
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
