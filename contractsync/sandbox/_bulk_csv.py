"""The CSV rules of Bulk API 2.0: dialects, header columns and cell values.

Uploads use the job's ``columnDelimiter`` and ``lineEnding``; the header row holds API field
names or relationship columns (``Account.Ext_Id__c``, polymorphic ``Owner:User.Email``); an
empty cell leaves the field unchanged and ``#N/A`` sets it to null. Result files are always
comma-delimited with every value quoted (salesforce-api.md 5.1, 5.2).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ._schema import Schema
from ._schema_defs import ObjectDef

__all__ = [
    "DELIMITERS",
    "LINE_ENDINGS",
    "Column",
    "CsvRejected",
    "plan_columns",
    "read_csv",
    "row_body",
    "write_csv",
]

DELIMITERS = {"BACKQUOTE": "`", "CARET": "^", "COMMA": ",", "PIPE": "|", "SEMICOLON": ";"} | {
    "TAB": "\t"
}
LINE_ENDINGS = {"LF": "\n", "CRLF": "\r\n"}
NULL_MARKER = "#N/A"  # 5.1: the only way to set a field to null through Bulk CSV


class CsvRejected(Exception):  # noqa: N818 - the job's errorMessage, not a program error
    """Data the whole job fails on; ``str()`` is the JobInfo ``errorMessage``."""


@dataclass(frozen=True, slots=True)
class Column:
    """One header column: a field of the object, or a parent matched by one of its keys."""

    header: str
    field: str  # canonical name of the field written (the lookup field for a relationship)
    relationship: str | None = None  # body key for a parent reference, e.g. "Account"
    target: str | None = None  # parent object
    key_field: str | None = None  # parent's external id / idLookup field


def read_csv(data: bytes, delimiter: str, line_ending: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of an upload, or ``CsvRejected`` with the job-level error message."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        raise CsvRejected(
            f"ClientInputError : The CSV data is not valid UTF-8 at byte {bad.start}"
        ) from None
    has_crlf = "\r\n" in text
    if (line_ending == "LF" and has_crlf) or (
        line_ending == "CRLF" and "\n" in text and not has_crlf
    ):
        # Wording seen from real orgs when the file does not match the job's lineEnding.
        raise CsvRejected(
            "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting"
            f" is {line_ending}"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITERS[delimiter])
    try:
        rows = [row for row in reader if row]
    except csv.Error as bad:
        raise CsvRejected(f"ClientInputError : Invalid CSV data: {bad}") from None
    if not rows:
        raise CsvRejected("ClientInputError : The uploaded CSV data has no header row")
    return rows[0], rows[1:]


def write_csv(
    header: Sequence[str], rows: Iterable[Sequence[Any]], line_ending: str, delimiter: str = ","
) -> bytes:
    """A result file: every value quoted, ``None`` written as an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator=LINE_ENDINGS[line_ending], quoting=csv.QUOTE_ALL
    )
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def plan_columns(schema: Schema, obj: ObjectDef, header: Sequence[str]) -> list[Column]:
    """Map header names to fields; an unknown name fails the job (5.1)."""
    columns = []
    for name in header:
        column = _column(schema, obj, name.strip())
        if column is None:
            raise CsvRejected(f"InvalidBatch : Field name not found : {name}")
        columns.append(column)
    return columns


def _column(schema: Schema, obj: ObjectDef, name: str) -> Column | None:
    field = obj.field(name)
    if field is not None:
        return Column(name, field.name)
    path, dot, key = name.rpartition(".")
    if not dot:
        return None
    type_name, colon, relationship_name = path.rpartition(":")
    reference = obj.relationship(relationship_name)
    if reference is None:
        return None
    target_name = type_name if colon else reference.reference_to[0]
    target = schema.object(target_name)
    if target is None or target.name not in reference.reference_to:
        return None
    key_field = target.field(key)
    if key_field is None:
        return None
    assert reference.relationship_name is not None  # noqa: S101 - found by it
    return Column(name, reference.name, reference.relationship_name, target.name, key_field.name)


def row_body(columns: Sequence[Column], row: Sequence[str]) -> dict[str, Any]:
    """A record body the REST validation understands, built from one CSV row."""
    body: dict[str, Any] = {}
    for column, raw in zip(columns, row, strict=False):
        if raw == "":
            continue  # 5.1: empty leaves the field unchanged
        value = None if raw == NULL_MARKER else raw
        if column.relationship is None:
            body[column.field] = value
        elif value is None:
            body[column.field] = None
        else:
            body[column.relationship] = {
                "attributes": {"type": column.target},
                str(column.key_field): value,
            }
    return body
