"""Recursive-descent parser for the SOQL subset an integration sends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from contractsync.sandbox._soql_ast import (
    Aggregate,
    AggregateFunction,
    And,
    BooleanValue,
    Comparison,
    ComparisonOperator,
    Condition,
    CountAll,
    DateTimeValue,
    DateValue,
    FieldPath,
    Includes,
    InList,
    Like,
    Not,
    NullValue,
    NumberValue,
    Or,
    OrderItem,
    RelativeDate,
    SelectItem,
    SelectQuery,
    SemiJoin,
    StringValue,
    SubQuery,
    Value,
)
from contractsync.sandbox._soql_dates import FIXED_RANGES, N_RANGES
from contractsync.sandbox._soql_errors import SoqlError, unexpected_token
from contractsync.sandbox._soql_lexer import Token, tokenize

# Reserved words that cannot name a field ("Reserved Characters and Words", SOQL Reference).
_RESERVED = frozenset(
    {
        *("AND", "ASC", "DESC", "EXCLUDES", "FIRST", "FROM", "GROUP", "HAVING", "IN"),
        *("INCLUDES", "LAST", "LIKE", "LIMIT", "NOT", "NULL", "NULLS", "OR", "SELECT"),
        *("WHERE", "WITH"),
    }
)
_AGGREGATES = frozenset({"COUNT", "COUNT_DISTINCT", "MIN", "MAX", "SUM", "AVG"})
# Salesforce's LIMIT and OFFSET are 32-bit integers.
_MAX_INT = 2**31 - 1


def parse_soql(text: str) -> SelectQuery:
    """Parse one SOQL statement.

    Raises:
        SoqlError: MALFORMED_QUERY with Salesforce's row/column pointer when the text is not
            SOQL; names are only checked against the schema by ``execute_soql``.
    """
    parser = _Parser(text)
    query = parser.select(nested=False)
    parser.expect_eof()
    return query


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    # -- token helpers -------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def unexpected(self, token: Token | None = None) -> SoqlError:
        token = token or self.peek()
        if token.kind == "eof":
            return unexpected_token(self.text, token.position, None)
        return unexpected_token(self.text, token.position, token.text)

    def keyword(self, *words: str) -> bool:
        if self.peek().is_keyword(*words):
            self.advance()
            return True
        return False

    def expect_keyword(self, word: str) -> Token:
        if not self.peek().is_keyword(word):
            raise self.unexpected()
        return self.advance()

    def punct(self, char: str) -> bool:
        if self.peek().kind == "punct" and self.peek().text == char:
            self.advance()
            return True
        return False

    def expect_punct(self, char: str) -> None:
        if not self.punct(char):
            raise self.unexpected()

    def expect_eof(self) -> None:
        if self.peek().kind != "eof":
            raise self.unexpected()

    def name(self) -> Token:
        token = self.peek()
        if token.kind != "ident" or token.text.upper() in _RESERVED:
            raise self.unexpected()
        return self.advance()

    def field_path(self) -> FieldPath:
        token = self.name()
        return FieldPath(tuple(token.text.split(".")), token.position)

    def integer(self) -> int:
        token = self.peek()
        if token.kind != "number" or not token.text.isdigit():
            raise self.unexpected()
        if int(token.text) > _MAX_INT:
            raise SoqlError.at(
                self.text,
                token.position,
                "MALFORMED_QUERY",
                f'For input string: "{token.text}"',
            )
        return int(self.advance().text)

    # -- statement -----------------------------------------------------------------------

    def select(self, *, nested: bool) -> SelectQuery:
        self.expect_keyword("SELECT")
        items = [self.select_item(nested=nested)]
        while self.punct(","):
            items.append(self.select_item(nested=nested))
        self.expect_keyword("FROM")
        sobject = self.name()
        where = self.condition() if self.keyword("WHERE") else None
        order_by: tuple[OrderItem, ...] = ()
        if self.peek().is_keyword("ORDER") and self.peek(1).is_keyword("BY"):
            self.advance()
            self.advance()
            order_by = self.order_by()
        limit = self.integer() if self.keyword("LIMIT") else None
        offset = self.integer() if self.keyword("OFFSET") else None
        if nested and self.peek().text != ")":
            raise self.unexpected()
        return SelectQuery(
            select=tuple(items),
            sobject=sobject.text,
            sobject_position=sobject.position,
            where=where,
            order_by=order_by,
            limit=limit,
            offset=offset,
            text=self.text,
        )

    def select_item(self, *, nested: bool) -> SelectItem:
        token = self.peek()
        if token.kind == "punct" and token.text == "(" and not nested:
            self.advance()
            query = self.select(nested=True)
            self.expect_punct(")")
            return SubQuery(query, token.position)
        is_call = self.peek(1).kind == "punct" and self.peek(1).text == "("
        if token.kind == "ident" and is_call and token.text.upper() in _AGGREGATES:
            self.advance()
            self.advance()
            function = cast(AggregateFunction, token.text.upper())
            if function == "COUNT" and self.punct(")"):
                return CountAll(token.position)
            field = self.field_path()
            self.expect_punct(")")
            alias = None
            if self.peek().kind == "ident" and self.peek().text.upper() not in _RESERVED:
                alias = self.advance().text
            return Aggregate(function, field, alias, token.position)
        return self.field_path()

    def order_by(self) -> tuple[OrderItem, ...]:
        items = []
        while True:
            field = self.field_path()
            descending = self.peek().is_keyword("DESC")
            self.keyword("ASC", "DESC")
            # "By default, null values are sorted first" whatever the direction (ORDER BY,
            # SOQL and SOSL Reference).
            nulls_first = True
            if self.keyword("NULLS"):
                if not self.peek().is_keyword("FIRST", "LAST"):
                    raise self.unexpected()
                nulls_first = self.advance().text.upper() == "FIRST"
            items.append(OrderItem(field, descending, nulls_first))
            if not self.punct(","):
                return tuple(items)

    # -- WHERE ---------------------------------------------------------------------------

    def condition(self) -> Condition:
        # "Parentheses are required whenever you mix the operators" (Logical Operators, SOQL
        # Reference): `a AND b OR c` fails with unexpected token: 'OR' at the second operator.
        first = self.unit(leading=True)
        if not self.peek().is_keyword("AND", "OR"):
            return first
        operator = self.peek().text.upper()
        operands = [first]
        while self.peek().is_keyword("AND", "OR"):
            if self.peek().text.upper() != operator:
                raise self.unexpected()
            self.advance()
            operands.append(self.unit(leading=False))
        return And(tuple(operands)) if operator == "AND" else Or(tuple(operands))

    def unit(self, *, leading: bool) -> Condition:
        # NOT may only open a (parenthesized) condition: `a AND NOT b` is refused with
        # unexpected token: 'NOT', while `a AND (NOT b)` is accepted.
        if self.peek().is_keyword("NOT"):
            if not leading:
                raise self.unexpected()
            self.advance()
            return Not(self.primary())
        return self.primary()

    def primary(self) -> Condition:
        if self.punct("("):
            inner = self.condition()
            self.expect_punct(")")
            return inner
        return self.simple()

    def simple(self) -> Condition:
        field = self.field_path()
        token = self.peek()
        if token.kind == "op":
            self.advance()
            return Comparison(field, cast(ComparisonOperator, token.text), self.value())
        if self.keyword("LIKE"):
            pattern = self.value()
            if not isinstance(pattern, StringValue):
                raise self.unexpected(self.tokens[self.index - 1])
            return Like(field, pattern)
        if token.is_keyword("INCLUDES", "EXCLUDES"):
            self.advance()
            values = self.value_list()
            strings = tuple(value for value in values if isinstance(value, StringValue))
            if len(strings) != len(values):
                bad = next(value for value in values if not isinstance(value, StringValue))
                raise unexpected_token(self.text, bad.position, self._token_at(bad.position))
            return Includes(field, token.text.upper() == "EXCLUDES", strings)
        negated = self.keyword("NOT")
        if self.keyword("IN"):
            if self.peek().text == "(" and self.peek(1).is_keyword("SELECT"):
                self.advance()
                query = self.select(nested=True)
                self.expect_punct(")")
                return SemiJoin(field, negated, query)
            return InList(field, negated, self.value_list())
        raise self.unexpected()

    def value_list(self) -> tuple[Value, ...]:
        self.expect_punct("(")
        values = [self.value()]
        while self.punct(","):
            values.append(self.value())
        self.expect_punct(")")
        return tuple(values)

    def value(self) -> Value:
        token = self.advance()
        if token.kind == "string":
            decoded, raw = cast(tuple[str, str], token.value)
            return StringValue(decoded, raw, token.position)
        if token.kind == "number":
            return NumberValue(Decimal(token.text), token.position)
        if token.kind == "date":
            return DateValue(cast(dt.date, token.value), token.position)
        if token.kind == "datetime":
            return DateTimeValue(cast(dt.datetime, token.value), token.position)
        if token.kind == "ident":
            word = token.text.upper()
            if word in ("TRUE", "FALSE"):
                return BooleanValue(word == "TRUE", token.position)
            if word == "NULL":
                return NullValue(token.position)
            if word in FIXED_RANGES:
                return RelativeDate(word, None, token.position)
            if word in N_RANGES:
                self.expect_punct(":")
                return RelativeDate(word, self.integer(), token.position)
        raise self.unexpected(token)

    def _token_at(self, position: int) -> str:
        return next(token.text for token in self.tokens if token.position == position)
