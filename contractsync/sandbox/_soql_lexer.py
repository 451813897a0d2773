"""Tokens of a SOQL statement, and the quoting rules of its string literals."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from contractsync.sandbox._soql_errors import SoqlError, unexpected_token

TokenKind = Literal["ident", "string", "number", "date", "datetime", "op", "punct", "eof"]

# Escapes a quoted SOQL string accepts ("Quoted String Escape Sequences", SOQL and SOSL
# Reference). \% and \_ only mean something to LIKE; elsewhere they stay as typed.
_ESCAPES = {
    "n": "\n",
    "N": "\n",
    "r": "\r",
    "R": "\r",
    "t": "\t",
    "T": "\t",
    "b": "\b",
    "B": "\b",
    "f": "\f",
    "F": "\f",
    '"': '"',
    "'": "'",
    "\\": "\\",
    "%": "\\%",
    "_": "\\_",
}
_QUOTE = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", "'": "\\'", "\\": "\\\\"}

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DATE_START = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME_TAIL = re.compile(r"[Tt][0-9:.+\-Zz]*")
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))"
)
_OPERATORS = ("<>", "!=", "<=", ">=", "=", "<", ">")
_PUNCTUATION = "(),:"


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str
    position: int
    value: object = None

    def is_keyword(self, *words: str) -> bool:
        return self.kind == "ident" and self.text.upper() in words


def soql_quote(value: str) -> str:
    """``value`` as a quoted SOQL string literal that parses back to exactly ``value``."""
    return "'" + "".join(_QUOTE.get(char, char) for char in value) + "'"


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; comments are not SOQL, so ``--`` and ``/*`` are refused."""
    tokens: list[Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
            continue
        if char == "'":
            token = _string(text, index)
        elif (match := _DATE_START.match(text, index)) is not None:
            token = _date_or_datetime(text, index, match.end())
        elif (match := _NUMBER.match(text, index)) is not None and (
            char.isdigit() or char == "." or _value_may_follow(tokens)
        ):
            token = Token("number", match.group(), index)
        elif (match := _IDENT.match(text, index)) is not None:
            token = Token("ident", match.group(), index)
        elif operator := next((op for op in _OPERATORS if text.startswith(op, index)), None):
            token = Token("op", "!=" if operator == "<>" else operator, index)
            index += len(operator) - len(token.text)
        elif char in _PUNCTUATION:
            token = Token("punct", char, index)
        else:
            raise unexpected_token(text, index, char)
        tokens.append(token)
        index += len(token.text)
    tokens.append(Token("eof", "", len(text)))
    return tokens


def _value_may_follow(tokens: list[Token]) -> bool:
    # A sign belongs to a number only where a value can start: after an operator, "(" or ",".
    return bool(tokens) and (tokens[-1].kind == "op" or tokens[-1].text in "(,")


def _string(text: str, start: int) -> Token:
    decoded: list[str] = []
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "'":
            raw = text[start + 1 : index]
            return Token("string", text[start : index + 1], start, ("".join(decoded), raw))
        if char == "\\":
            escaped = text[index + 1 : index + 2]
            if escaped not in _ESCAPES or not escaped:
                raise SoqlError.at(
                    text,
                    start,
                    "MALFORMED_QUERY",
                    f"Illegal character sequence '\\{escaped}' in string literal.",
                )
            decoded.append(_ESCAPES[escaped])
            index += 2
            continue
        decoded.append(char)
        index += 1
    raise unexpected_token(text, len(text), None)


def _date_or_datetime(text: str, start: int, date_end: int) -> Token:
    tail = _DATETIME_TAIL.match(text, date_end)
    if tail is None:
        literal = text[start:date_end]
        try:
            return Token("date", literal, start, dt.date.fromisoformat(literal))
        except ValueError:
            raise SoqlError.at(text, start, "MALFORMED_QUERY", f"Invalid date: {literal}") from None
    literal = text[start : tail.end()]
    return Token("datetime", literal, start, _parse_datetime(text, start, literal))


def _parse_datetime(text: str, start: int, literal: str) -> dt.datetime:
    # SOQL accepts exactly YYYY-MM-DDThh:mm:ss[.SSS] with Z or a ±hh:mm offset (Date Formats
    # and Date Literals in WHERE); anything else is "Invalid datetime: ..." (Summer '24 notes).
    instant = _instant(literal)
    if instant is None:
        raise SoqlError.at(text, start, "MALFORMED_QUERY", f"Invalid datetime: {literal}")
    return instant


def _instant(literal: str) -> dt.datetime | None:
    match = _DATETIME.fullmatch(literal)
    if match is None:
        return None
    year, month, day, hour, minute, second, millis, _z, sign, off_h, off_m = match.groups()
    offset = dt.timedelta(0)
    if sign is not None:
        if int(off_h) > 23 or int(off_m) > 59:
            return None
        offset = dt.timedelta(hours=int(off_h), minutes=int(off_m))
        offset = -offset if sign == "-" else offset
    micros = int((millis or "0").ljust(3, "0")) * 1000
    try:
        local = dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            micros,
            tzinfo=dt.UTC,
        )
    except ValueError:
        return None
    return local - offset
