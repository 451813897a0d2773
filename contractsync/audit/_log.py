"""The append-only, hash-chained audit log.

Each entry commits to the previous one: ``hash = sha256(canonical JSON of the entry's fields
and the previous entry's hash)``. The ``audit_head`` row holds the newest sequence number and
hash; writers lock it, so entries are appended strictly in order even with many processes,
and verification compares it with the log, so removing the newest entries is caught too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from contractsync.store import Clock, Database, JournalEntry, canonical_json, utc_now
from contractsync.store import tables as t

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_key: str
    details: Mapping[str, Any]
    prev_hash: str
    hash: str


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_key: str,
    details_json: str,
    prev_hash: str,
) -> str:
    payload = canonical_json(
        {
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "entity_type": entity_type,
            "entity_key": entity_key,
            "details": details_json,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditLog:
    """Appends entries and reads them back. Implements the store's ``Journal``."""

    def __init__(self, database: Database, *, clock: Clock = utc_now) -> None:
        self.database = database
        self.clock = clock

    def record(self, connection: Connection, entry: JournalEntry) -> None:
        self.append(connection, entry)

    def record_many(self, connection: Connection, entries: Sequence[JournalEntry]) -> None:
        self.append_many(connection, entries)

    def append(self, connection: Connection, entry: JournalEntry) -> AuditEntry:
        """Append ``entry`` in the caller's transaction, chained to the newest entry."""
        return self.append_many(connection, [entry])[0]

    def append_many(
        self, connection: Connection, entries: Sequence[JournalEntry]
    ) -> list[AuditEntry]:
        """Append ``entries`` in order in the caller's transaction, each chained to the one
        before: the head is locked, read and moved once, the rows inserted in one statement."""
        if not entries:
            return []
        head = connection.execute(
            sa.select(t.audit_head.c.seq, t.audit_head.c.hash)
            .where(t.audit_head.c.id == 1)
            .with_for_update()
        ).one()
        seq, prev_hash = int(head.seq), str(head.hash)
        rows: list[dict[str, Any]] = []
        appended: list[AuditEntry] = []
        for entry in entries:
            seq += 1
            row: dict[str, Any] = {
                "seq": seq,
                "at": self.clock().astimezone(UTC),
                "actor": entry.actor,
                "action": entry.action,
                "entity_type": entry.entity_type,
                "entity_key": entry.entity_key,
                "prev_hash": prev_hash,
            }
            details_json = canonical_json(dict(entry.details))
            prev_hash = entry_hash(**row, details_json=details_json)
            rows.append({**row, "details": details_json, "hash": prev_hash})
            appended.append(AuditEntry(**row, details=dict(entry.details), hash=prev_hash))
        connection.execute(t.audit_log.insert(), rows)
        connection.execute(
            t.audit_head.update().where(t.audit_head.c.id == 1).values(seq=seq, hash=prev_hash)
        )
        return appended

    def entries(
        self, *, entity_key: str | None = None, after_seq: int = 0, limit: int | None = None
    ) -> list[AuditEntry]:
        """Entries in order, optionally for one entity (contract key, org ...)."""
        query = sa.select(t.audit_log).where(t.audit_log.c.seq > after_seq)
        if entity_key is not None:
            query = query.where(t.audit_log.c.entity_key == entity_key)
        query = query.order_by(t.audit_log.c.seq)
        if limit is not None:
            query = query.limit(limit)
        with self.database.read() as connection:
            return [_entry(row) for row in connection.execute(query)]

    def iter_all(self, *, page_size: int = 1000) -> Iterator[AuditEntry]:
        """Every entry in sequence order, read a page at a time (bounded memory)."""
        after = 0
        while True:
            page = self.entries(after_seq=after, limit=page_size)
            yield from page
            if len(page) < page_size:
                return
            after = page[-1].seq

    def head(self) -> tuple[int, str]:
        with self.database.read() as connection:
            row = connection.execute(
                sa.select(t.audit_head.c.seq, t.audit_head.c.hash).where(t.audit_head.c.id == 1)
            ).one()
        return int(row.seq), str(row.hash)


def _entry(row: sa.Row[Any]) -> AuditEntry:
    return AuditEntry(
        seq=int(row.seq),
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity_type=row.entity_type,
        entity_key=row.entity_key,
        details=json.loads(row.details),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
