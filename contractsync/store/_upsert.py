"""INSERT … ON CONFLICT DO UPDATE on both backends (one statement, no read-then-write race)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def upsert_rows(
    connection: Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: Sequence[str],
) -> None:
    """Insert ``rows``, replacing the non-key columns of rows whose ``key`` already exists."""
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    updates = {
        column.name: statement.excluded[column.name]
        for column in table.columns
        if column.name not in key and column.name in rows[0]
    }
    connection.execute(
        statement.on_conflict_do_update(index_elements=list(key), set_=updates), list(rows)
    )
