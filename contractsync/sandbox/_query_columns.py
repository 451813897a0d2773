"""``GET .../query?q=...&columns=true``: the columns of a query instead of its rows.

The Developer Console, Workbench and the ``sf`` CLI (``sf data query`` calls it whenever a
query returns rows, to lay out its table) ask an org which columns a SOQL statement yields::

    {"columnMetadata": [...], "entityName": "Account", "groupBy": false,
     "idSelected": true, "keyPrefix": "001"}

Each column carries ``aggregate``, ``apexType``, ``booleanType``, ``columnName``, ``custom``,
``displayName``, ``foreignKeyName``, ``insertable``, ``joinColumns``, ``numberType``,
``textType`` and ``updatable``. A parent relationship (``Owner.Name``) is one column named
after the relationship, its ``foreignKeyName`` the lookup field, with the fields read through
it as ``joinColumns``; a child subquery is an ``aggregate`` column with its fields as
``joinColumns``; an aggregate function is an ``aggregate`` column named ``expr0``... or by its
alias, displayed as written. The query must be valid: the caller runs it first, so a bad one
fails with the same error as the rows would.
"""

from __future__ import annotations

from typing import Any

from ._schema import Schema
from ._schema_defs import FieldDef, ObjectDef
from ._soql_ast import Aggregate, CountAll, FieldPath, SelectQuery, SubQuery

__all__ = ["query_columns"]

_APEX_TYPES = {
    "id": "Id",
    "reference": "Id",
    "boolean": "Boolean",
    "int": "Integer",
    "double": "Double",
    "currency": "Decimal",
    "percent": "Double",
    "date": "Date",
    "datetime": "Datetime",
    "time": "Time",
    "base64": "Blob",
}
_NUMERIC_AGGREGATES = frozenset({"COUNT", "COUNT_DISTINCT", "SUM", "AVG"})


def query_columns(query: SelectQuery, schema: Schema) -> dict[str, Any]:
    """The ``columns=true`` answer for a query that already ran without error."""
    obj = _object(schema, query.sobject)
    columns = _columns(query, obj, schema)
    return {
        "columnMetadata": columns,
        "entityName": obj.name,
        "groupBy": False,
        "idSelected": any(_is_id(item) for item in query.select),
        "keyPrefix": obj.key_prefix,
    }


def _is_id(item: object) -> bool:
    return isinstance(item, FieldPath) and len(item.parts) == 1 and item.parts[0].lower() == "id"


def _object(schema: Schema, name: str) -> ObjectDef:
    found = schema.object(name)
    if found is None:  # the query ran, so its object exists
        raise LookupError(name)
    return found


def _columns(query: SelectQuery, obj: ObjectDef, schema: Schema) -> list[dict[str, Any]]:
    columns: list[dict[str, Any]] = []
    expressions = 0
    for item in query.select:
        if isinstance(item, FieldPath):
            _merge(columns, _path_column(item.parts, obj, schema))
        elif isinstance(item, SubQuery):
            columns.append(_subquery_column(item, obj, schema))
        elif isinstance(item, Aggregate):
            name = item.alias
            if name is None:
                name = f"expr{expressions}"
                expressions += 1
            columns.append(_aggregate_column(item, name, query.text))
        elif isinstance(item, CountAll):
            continue  # COUNT() answers only totalSize: no column
    return columns


def _merge(columns: list[dict[str, Any]], column: dict[str, Any]) -> None:
    """Add a column; fields read through one relationship share its column."""
    for existing in columns:
        if column["joinColumns"] and existing["columnName"] == column["columnName"]:
            for joined in column["joinColumns"]:
                _merge(existing["joinColumns"], joined)
            return
    columns.append(column)


def _path_column(parts: tuple[str, ...], obj: ObjectDef, schema: Schema) -> dict[str, Any]:
    if len(parts) == 1:
        found = obj.field(parts[0])
        if found is None:
            raise LookupError(parts[0])
        return _field_column(found)
    reference = obj.relationship(parts[0])
    if reference is None or reference.relationship_name is None:
        raise LookupError(parts[0])
    target = _object(schema, reference.reference_to[0])
    return _column(
        reference.relationship_name,
        foreign_key=reference.name,
        joins=[_path_column(parts[1:], target, schema)],
    )


def _subquery_column(item: SubQuery, parent: ObjectDef, schema: Schema) -> dict[str, Any]:
    found = schema.child_relationship(parent.name, item.query.sobject)
    if found is None:
        raise LookupError(item.query.sobject)
    child_name, reference = found
    child = _object(schema, child_name)
    return _column(
        reference.child_relationship_name or item.query.sobject,
        aggregate=True,
        joins=_columns(item.query, child, schema),
    )


def _aggregate_column(item: Aggregate, name: str, text: str) -> dict[str, Any]:
    close = text.find(")", item.position)
    written = text[item.position : close + 1] if close >= 0 else item.function
    column = _column(name, aggregate=True, display=written)
    column["numberType"] = item.function in _NUMERIC_AGGREGATES
    return column


def _field_column(found: FieldDef) -> dict[str, Any]:
    column = _column(found.name)
    column.update(
        apexType=_APEX_TYPES.get(found.type, "String"),
        booleanType=found.type == "boolean",
        custom=found.custom,
        insertable=found.createable,
        numberType=found.is_number,
        textType=found.is_text,
        updatable=found.updateable,
    )
    return column


def _column(
    name: str,
    *,
    aggregate: bool = False,
    display: str | None = None,
    foreign_key: str | None = None,
    joins: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "aggregate": aggregate,
        "apexType": None,
        "booleanType": False,
        "columnName": name,
        "custom": False,
        "displayName": display or name,
        "foreignKeyName": foreign_key,
        "insertable": False,
        "joinColumns": joins or [],
        "numberType": False,
        "textType": False,
        "updatable": False,
    }
