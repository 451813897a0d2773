"""Reading records back from an org: by external key, and by change time.

Keys go in ``WHERE <ExtId> IN (...)`` lists chunked so that the GET URL stays well under
Salesforce's 16 KB limit (salesforce-api.md 6.1); change polling reads
``SystemModstamp > :since`` in order (6.3).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from contractsync.salesforce import OrgClient

from ._drift import SYSTEM_FIELDS, soql_instant

URL_BUDGET = 6000
"""Characters of quoted keys per query: URL-encoded (up to 3x), that stays under 16 KB with
the select list and headers."""
MAX_KEYS = 300


def read_by_keys(
    client: OrgClient,
    sobject: str,
    external_id_field: str,
    keys: Sequence[str],
    fields: Sequence[str],
) -> dict[str, dict[str, Any]]:
    """The records of ``sobject`` with these external keys, by key (missing: not there)."""
    select = _select(external_id_field, fields)
    found: dict[str, dict[str, Any]] = {}
    for chunk in key_chunks(keys):
        quoted = ", ".join(soql_quote(key) for key in chunk)
        rows = client.query_all(
            f"SELECT {select} FROM {sobject} WHERE {external_id_field} IN ({quoted})"  # noqa: S608 - keys quoted; names come from a validated mapping
        )
        for row in rows:
            key = row.get(external_id_field)
            if key is not None:
                found[str(key)] = dict(row)
    return found


def read_changed(
    client: OrgClient,
    sobject: str,
    external_id_field: str,
    fields: Sequence[str],
    since: datetime | None,
) -> list[dict[str, Any]]:
    """Records of ``sobject`` that carry an external key and changed after ``since``
    (all of them when ``since`` is None), oldest change first."""
    where = f"{external_id_field} != null"
    if since is not None:
        where += f" AND SystemModstamp > {soql_instant(since)}"
    rows = client.query_all(
        f"SELECT {_select(external_id_field, fields)} FROM {sobject} "  # noqa: S608 - names from a validated mapping
        f"WHERE {where} ORDER BY SystemModstamp, Id"
    )
    return [dict(row) for row in rows]


def key_chunks(keys: Sequence[str]) -> list[list[str]]:
    """Keys in chunks of at most ``MAX_KEYS`` and ``URL_BUDGET`` quoted characters."""
    chunks: list[list[str]] = []
    current: list[str] = []
    size = 0
    for key in keys:
        length = len(soql_quote(key)) + 2
        if current and (len(current) >= MAX_KEYS or size + length > URL_BUDGET):
            chunks.append(current)
            current, size = [], 0
        current.append(key)
        size += length
    if current:
        chunks.append(current)
    return chunks


def soql_quote(value: str) -> str:
    """A SOQL string literal (backslash and quote escaped, per the SOQL reference)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _select(external_id_field: str, fields: Sequence[str]) -> str:
    names = dict.fromkeys([*SYSTEM_FIELDS, external_id_field, *fields])
    return ", ".join(names)
