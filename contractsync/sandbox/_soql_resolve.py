"""Names against the org's describe, and WHERE clauses compiled into typed predicates.

Everything here runs before the first record is read, so a bad query fails the way
Salesforce fails it: on the name or literal, with its row and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from contractsync.sandbox._soql_ast import (
    And,
    BooleanValue,
    Comparison,
    Condition,
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
    RelativeDate,
    SemiJoin,
    StringValue,
    Value,
)
from contractsync.sandbox._soql_dates import day_range, instant_range
from contractsync.sandbox._soql_errors import SoqlError, unexpected_token
from contractsync.sandbox._soql_protocols import FieldInfo, SchemaView
from contractsync.sandbox._soql_values import (
    SOAP_TYPES,
    Category,
    category,
    compare,
    id_key,
    in_range,
    like_pattern,
    multi_values,
    stored,
)

Record = Mapping[str, Any]
Predicate = Callable[[Record], bool]
Lookup = Callable[[Record, "ResolvedPath"], Any]

_NO_SUCH_COLUMN = (
    "No such column '{name}' on entity '{entity}'. If you are attempting to use a custom "
    "field, be sure to append the '__c' after the custom field name. Please reference your "
    "WSDL or the describe call for the appropriate names."
)
_NO_SUCH_RELATIONSHIP = (
    "Didn't understand relationship '{name}' in {where}. If you are attempting to use a "
    "custom relationship, be sure to append the '__r' after the custom relationship name. "
    "Please reference your WSDL or the describe call for the appropriate names."
)
_TEXT_CATEGORIES = ("text",)


@dataclass(frozen=True, slots=True)
class Hop:
    """One parent relationship: the reference field, the parent object, the key in output."""

    reference: FieldInfo
    parent: str
    relationship: str


@dataclass(frozen=True, slots=True)
class ResolvedPath:
    path: FieldPath
    hops: tuple[Hop, ...]
    field: FieldInfo
    category: Category


def relationship_error(text: str, position: int, name: str, where: str) -> SoqlError:
    code = "INVALID_TYPE" if where.startswith("FROM") else "INVALID_FIELD"
    detail = _NO_SUCH_RELATIONSHIP.format(name=name, where=where)
    return SoqlError.at(text, position, code, detail)


def resolve_path(schema: SchemaView, sobject: str, path: FieldPath, text: str) -> ResolvedPath:
    """``Account.Owner.Email`` from ``sobject``: each relationship, then the field."""
    parts = path.parts
    start = 0
    # A path may name its own object first: SELECT Contract.Status FROM Contract.
    if (
        len(parts) > 1
        and (schema.object_name(parts[0]) or "").lower() == sobject.lower()
        and schema.parent_relationship(sobject, parts[0]) is None
    ):
        start = 1
    hops = []
    current = sobject
    for index in range(start, len(parts) - 1):
        found = schema.parent_relationship(current, parts[index])
        if found is None:
            position = path.part_position(index)
            raise relationship_error(text, position, parts[index], "field path")
        reference, parent = found
        hops.append(Hop(reference, parent, reference.relationship_name or parts[index]))
        current = parent
    field = schema.field(current, parts[-1])
    if field is None:
        detail = _NO_SUCH_COLUMN.format(name=parts[-1], entity=current)
        position = path.part_position(len(parts) - 1)
        raise SoqlError.at(text, position, "INVALID_FIELD", detail)
    return ResolvedPath(path, tuple(hops), field, category(field.type))


SemiJoinRunner = Callable[[SemiJoin], frozenset[Any]]


def _has_semi_join(condition: Condition) -> bool:
    if isinstance(condition, SemiJoin):
        return True
    if isinstance(condition, And | Or):
        return any(_has_semi_join(operand) for operand in condition.operands)
    if isinstance(condition, Not):
        return _has_semi_join(condition.operand)
    return False


class ConditionCompiler:
    """Turns a WHERE tree into a predicate over stored records of one sObject."""

    def __init__(
        self,
        schema: SchemaView,
        sobject: str,
        text: str,
        now: dt.datetime,
        lookup: Lookup,
        *,
        semi_join: SemiJoinRunner | None = None,
    ) -> None:
        self.schema = schema
        self.sobject = sobject
        self.text = text
        self.today = now.astimezone(dt.UTC).date()
        self.lookup = lookup
        self.semi_join = semi_join

    def compile(self, condition: Condition) -> Predicate:
        if isinstance(condition, And):
            parts = [self.compile(operand) for operand in condition.operands]
            return lambda record: all(part(record) for part in parts)
        if isinstance(condition, Or):
            if any(_has_semi_join(operand) for operand in condition.operands):
                raise SoqlError(
                    "MALFORMED_QUERY",
                    "Semi join sub-selects are not allowed with the 'OR' operator",
                )
            parts = [self.compile(operand) for operand in condition.operands]
            return lambda record: any(part(record) for part in parts)
        if isinstance(condition, Not):
            inner = self.compile(condition.operand)
            return lambda record: not inner(record)
        resolved = resolve_path(self.schema, self.sobject, condition.field, self.text)
        if isinstance(condition, Comparison):
            return self._comparison(resolved, condition)
        if isinstance(condition, InList):
            return self._in_list(resolved, condition)
        if isinstance(condition, SemiJoin):
            return self._semi_join(resolved, condition)
        if isinstance(condition, Like):
            return self._like(resolved, condition)
        return self._includes(resolved, condition)

    def _value_of(self, resolved: ResolvedPath) -> Callable[[Record], Any]:
        kind = resolved.category
        return lambda record: stored(kind, self.lookup(record, resolved))

    def _comparison(self, resolved: ResolvedPath, condition: Comparison) -> Predicate:
        operator = condition.operator
        value_of = self._value_of(resolved)
        if resolved.category in ("boolean", "multi") and operator not in ("=", "!="):
            raise self._bad_operator(resolved)
        operand = self._operand(resolved, condition.value)
        if isinstance(operand, _Range):
            start, end = operand.start, operand.end
            return lambda record: in_range(value_of(record), operator, start, end)
        return lambda record: compare(value_of(record), operator, operand)

    def _in_list(self, resolved: ResolvedPath, condition: InList) -> Predicate:
        value_of = self._value_of(resolved)
        operands = [self._operand(resolved, value) for value in condition.values]
        negated = condition.negated

        def matches(record: Record) -> bool:
            value = value_of(record)
            found = any(
                in_range(value, "=", operand.start, operand.end)
                if isinstance(operand, _Range)
                else value == operand
                for operand in operands
            )
            return found != negated

        return matches

    def _semi_join(self, resolved: ResolvedPath, condition: SemiJoin) -> Predicate:
        if self.semi_join is None:
            raise unexpected_token(self.text, condition.query.sobject_position, "SELECT")
        if resolved.category != "id":
            raise self._bad_operator(resolved)
        matching = self.semi_join(condition)
        value_of = self._value_of(resolved)
        negated = condition.negated
        return lambda record: (value_of(record) in matching) != negated

    def _like(self, resolved: ResolvedPath, condition: Like) -> Predicate:
        if resolved.category not in _TEXT_CATEGORIES:
            raise self._bad_operator(resolved)
        pattern = like_pattern(condition.pattern.raw)

        def matches(record: Record) -> bool:
            value = self.lookup(record, resolved)
            return value is not None and pattern.fullmatch(str(value)) is not None

        return matches

    def _includes(self, resolved: ResolvedPath, condition: Includes) -> Predicate:
        if resolved.category != "multi":
            raise SoqlError.at(
                self.text,
                condition.field.position,
                "INVALID_QUERY_FILTER_OPERATOR",
                "includes or excludes operator only valid on multipicklist field",
            )
        wanted = [multi_values(value.value) for value in condition.values]
        excludes = condition.excludes

        def matches(record: Record) -> bool:
            value = self.lookup(record, resolved)
            chosen = multi_values(str(value)) if value is not None else frozenset()
            return any(choices <= chosen for choices in wanted) != excludes

        return matches

    def _bad_operator(self, resolved: ResolvedPath) -> SoqlError:
        return SoqlError.at(
            self.text,
            resolved.path.position,
            "INVALID_QUERY_FILTER_OPERATOR",
            f"invalid operator on {resolved.field.type.lower()} field",
        )

    def _operand(self, resolved: ResolvedPath, value: Value) -> Any:
        """The literal in ``stored`` form (or a range), after Salesforce's type checks."""
        kind = resolved.category
        if isinstance(value, NullValue):
            return None
        if kind == "id" and isinstance(value, StringValue):
            key = id_key(value.value)
            if key is None:
                raise SoqlError.at(
                    self.text,
                    resolved.path.position,
                    "INVALID_QUERY_FILTER_OPERATOR",
                    f"invalid ID field: {value.value}",
                )
            return key
        if kind in ("text", "multi") and isinstance(value, StringValue):
            return stored(kind, value.value)
        if kind == "number" and isinstance(value, NumberValue):
            return value.value
        if kind == "boolean" and isinstance(value, BooleanValue):
            return value.value
        if kind == "date" and isinstance(value, DateValue):
            return value.value
        if kind == "datetime" and isinstance(value, DateTimeValue):
            return value.value
        if kind in ("date", "datetime") and isinstance(value, RelativeDate):
            days = day_range(value.name, value.n, self.today)
            return _Range(*(days if kind == "date" else instant_range(days)))
        quotes = "should" if kind in ("text", "id", "multi") else "should not"
        raise SoqlError.at(
            self.text,
            value.position,
            "INVALID_FIELD",
            f"value of filter criterion for field '{resolved.field.name}' must be of "
            f"type {SOAP_TYPES[kind]} and {quotes} be enclosed in quotes",
        )


@dataclass(frozen=True, slots=True)
class _Range:
    start: Any
    end: Any
