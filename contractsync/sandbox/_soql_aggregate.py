"""Aggregate functions without GROUP BY: one AggregateResult row over all matching rows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from contractsync.sandbox._soql_ast import Aggregate, FieldPath, SelectQuery
from contractsync.sandbox._soql_errors import SoqlError
from contractsync.sandbox._soql_resolve import ResolvedPath
from contractsync.sandbox._soql_values import stored


def check_aggregate_query(query: SelectQuery) -> None:
    """Without GROUP BY, plain fields cannot sit beside aggregates."""
    if not any(isinstance(item, Aggregate) for item in query.select):
        return
    for item in query.select:
        if isinstance(item, FieldPath):
            raise SoqlError.at(
                query.text,
                item.position,
                "MALFORMED_QUERY",
                f"Field must be grouped or aggregated: {item.text}",
            )


def aggregate_record(
    aggregates: Sequence[Aggregate],
    resolved: Sequence[ResolvedPath],
    values: Sequence[Sequence[Any]],
) -> dict[str, Any]:
    """``{"attributes": {"type": "AggregateResult"}, "expr0": ...}``; unaliased columns are
    named expr0, expr1 ... in select order (Aggregate Functions, SOQL Reference)."""
    record: dict[str, Any] = {"attributes": {"type": "AggregateResult"}}
    unnamed = 0
    for aggregate, path, column in zip(aggregates, resolved, values, strict=True):
        name = aggregate.alias
        if name is None:
            name = f"expr{unnamed}"
            unnamed += 1
        record[name] = _compute(aggregate.function, path, column)
    return record


def _compute(function: str, path: ResolvedPath, column: Sequence[Any]) -> Any:
    present = [value for value in column if value is not None]
    if function == "COUNT":
        return len(present)
    if function == "COUNT_DISTINCT":
        return len({stored(path.category, value) for value in present})
    if not present:
        return None
    if function in ("MIN", "MAX"):
        chooser = min if function == "MIN" else max
        return chooser(present, key=lambda value: stored(path.category, value))
    numbers = [Decimal(str(value)) for value in present]
    total = sum(numbers, Decimal(0))
    result = total if function == "SUM" else total / len(numbers)
    return int(result) if result == result.to_integral_value() else float(result)
