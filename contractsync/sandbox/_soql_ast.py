"""The parsed form of a SOQL statement: frozen values, positions kept for error messages.

Names are as typed; the executor resolves them against the org's describe metadata.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True, slots=True)
class FieldPath:
    """``Name``, ``Account.Name`` or ``Account.Owner.Email``: relationships, then a field."""

    parts: tuple[str, ...]
    position: int

    @property
    def text(self) -> str:
        return ".".join(self.parts)

    def part_position(self, index: int) -> int:
        return self.position + sum(len(part) + 1 for part in self.parts[:index])


@dataclass(frozen=True, slots=True)
class CountAll:
    """``COUNT()``: the answer is only the number of matching rows."""

    position: int


AggregateFunction = Literal["COUNT", "COUNT_DISTINCT", "MIN", "MAX", "SUM", "AVG"]


@dataclass(frozen=True, slots=True)
class Aggregate:
    """``COUNT(Id)``, ``MAX(Amount) total`` ... over all matching rows (no GROUP BY)."""

    function: AggregateFunction
    field: FieldPath
    alias: str | None
    position: int


@dataclass(frozen=True, slots=True)
class SubQuery:
    """A child relationship query in the field list: ``(SELECT Id FROM Contacts)``."""

    query: SelectQuery
    position: int


SelectItem = FieldPath | CountAll | Aggregate | SubQuery


@dataclass(frozen=True, slots=True)
class StringValue:
    """A quoted string. ``value`` is decoded; ``raw`` keeps the escapes LIKE gives meaning to."""

    value: str
    raw: str
    position: int


@dataclass(frozen=True, slots=True)
class NumberValue:
    value: Decimal
    position: int


@dataclass(frozen=True, slots=True)
class BooleanValue:
    value: bool
    position: int


@dataclass(frozen=True, slots=True)
class NullValue:
    position: int


@dataclass(frozen=True, slots=True)
class DateValue:
    value: dt.date
    position: int


@dataclass(frozen=True, slots=True)
class DateTimeValue:
    """An instant; offsets in the literal are applied, the value is in UTC."""

    value: dt.datetime
    position: int


@dataclass(frozen=True, slots=True)
class RelativeDate:
    """``TODAY``, ``LAST_N_DAYS:30`` ...: a range of days relative to the query's ``now``."""

    name: str
    n: int | None
    position: int


Value = (
    StringValue | NumberValue | BooleanValue | NullValue | DateValue | DateTimeValue | RelativeDate
)

ComparisonOperator = Literal["=", "!=", "<", "<=", ">", ">="]


@dataclass(frozen=True, slots=True)
class Comparison:
    field: FieldPath
    operator: ComparisonOperator
    value: Value


@dataclass(frozen=True, slots=True)
class InList:
    field: FieldPath
    negated: bool
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class SemiJoin:
    """``Id IN (SELECT AccountId FROM Contact ...)``; ``negated`` for an anti-join (NOT IN)."""

    field: FieldPath
    negated: bool
    query: SelectQuery


@dataclass(frozen=True, slots=True)
class Like:
    field: FieldPath
    pattern: StringValue


@dataclass(frozen=True, slots=True)
class Includes:
    """``INCLUDES``/``EXCLUDES`` on a multi-select picklist; ``'a;b'`` means a and b."""

    field: FieldPath
    excludes: bool
    values: tuple[StringValue, ...]


@dataclass(frozen=True, slots=True)
class Not:
    operand: Condition


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Condition, ...]


Condition = Comparison | InList | SemiJoin | Like | Includes | Not | And | Or


@dataclass(frozen=True, slots=True)
class OrderItem:
    field: FieldPath
    descending: bool
    nulls_first: bool


@dataclass(frozen=True, slots=True)
class SelectQuery:
    """One SELECT; ``text`` is the whole statement it came from, for error positions."""

    select: tuple[SelectItem, ...]
    sobject: str
    sobject_position: int
    where: Condition | None
    order_by: tuple[OrderItem, ...]
    limit: int | None
    offset: int | None
    text: str
