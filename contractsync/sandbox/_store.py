"""SQLite persistence of the sandbox org: records, key indexes, blobs, sessions, settings.

One connection guarded by one re-entrant lock: the org handles one request at a time, which
also makes ``atomic()`` blocks real transactions (savepoints when nested) so that collections
with ``allOrNone`` and ``/composite`` roll back exactly what they wrote.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ._ids import InvalidIdError, normalize_id

__all__ = ["Store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    sobject TEXT NOT NULL,
    data TEXT NOT NULL,
    is_deleted INTEGER NOT NULL DEFAULT 0,
    modstamp TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS records_by_object ON records (sobject, is_deleted);
CREATE TABLE IF NOT EXISTS record_keys (
    sobject TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS record_keys_lookup ON record_keys (sobject, field, value);
CREATE INDEX IF NOT EXISTS record_keys_by_id ON record_keys (id);
CREATE TABLE IF NOT EXISTS blobs (
    id TEXT NOT NULL,
    field TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (id, field)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    replay_id INTEGER PRIMARY KEY AUTOINCREMENT,
    sobject TEXT NOT NULL,
    publish_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_publish_id ON events (publish_id);
CREATE TABLE IF NOT EXISTS usage (
    allocation TEXT NOT NULL,
    minute INTEGER NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (allocation, minute)
);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    last_used TEXT NOT NULL
);
"""


class Store:
    """The org's durable state; also the SOQL engine's ``RecordSource``."""

    def __init__(self, path: Path | None) -> None:
        self.lock = threading.RLock()
        self._conn = sqlite3.connect(
            ":memory:" if path is None else str(path),
            isolation_level=None,
            check_same_thread=False,
        )
        self._depth = 0
        with self.lock:
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self.lock:
            self._conn.close()

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def atomic(self) -> Iterator[None]:
        """A transaction, or a savepoint inside one; rolled back if the block raises."""
        with self.lock:
            savepoint = f"sp{self._depth}"
            self._conn.execute("BEGIN" if self._depth == 0 else f"SAVEPOINT {savepoint}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._conn.execute("ROLLBACK")
                else:
                    self._conn.execute(f"ROLLBACK TO {savepoint}")
                    self._conn.execute(f"RELEASE {savepoint}")
                raise
            self._depth -= 1
            self._conn.execute("COMMIT" if self._depth == 0 else f"RELEASE {savepoint}")

    # -- records ---------------------------------------------------------------------------
    def get(self, sobject: str, record_id: str) -> dict[str, Any] | None:
        """A record (deleted ones included, with ``IsDeleted``) by 15- or 18-char id."""
        found = self.get_any(record_id)
        if found is None or found[0] != sobject:
            return None
        return found[1]

    def get_any(self, record_id: str) -> tuple[str, dict[str, Any]] | None:
        """(sobject, record) for an id of any object."""
        try:
            full = normalize_id(record_id)
        except InvalidIdError:
            return None
        with self.lock:
            row = self._conn.execute(
                "SELECT sobject, data FROM records WHERE id = ?", (full,)
            ).fetchone()
        if row is None:
            return None
        return str(row[0]), json.loads(row[1])

    def scan(self, sobject: str, *, include_deleted: bool) -> list[dict[str, Any]]:
        """Every record of ``sobject`` in creation order."""
        sql = "SELECT data FROM records WHERE sobject = ?"
        if not include_deleted:
            sql += " AND is_deleted = 0"
        with self.lock:
            rows = self._conn.execute(sql + " ORDER BY rowid", (sobject,)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def count(self, sobject: str) -> int:
        with self.lock:
            row = self._conn.execute(
                "SELECT COUNT(*) FROM records WHERE sobject = ? AND is_deleted = 0", (sobject,)
            ).fetchone()
        return int(row[0])

    def put(self, sobject: str, record: Mapping[str, Any], *, modstamp: str) -> None:
        """Insert or replace a record (``record["Id"]`` is its 18-char id)."""
        with self.lock:
            self._conn.execute(
                "INSERT INTO records (id, sobject, data, is_deleted, modstamp) VALUES (?,?,?,0,?)"
                " ON CONFLICT (id) DO UPDATE SET data = excluded.data,"
                " modstamp = excluded.modstamp",
                (record["Id"], sobject, json.dumps(record), modstamp),
            )

    def mark_deleted(self, record: Mapping[str, Any], *, when: str) -> None:
        """Move a record to the Recycle Bin: still readable, ``IsDeleted`` true."""
        with self.lock:
            self._conn.execute(
                "UPDATE records SET data = ?, is_deleted = 1, modstamp = ?, deleted_at = ?"
                " WHERE id = ?",
                (json.dumps(record), when, when, record["Id"]),
            )
            self._conn.execute("DELETE FROM record_keys WHERE id = ?", (record["Id"],))

    def deleted_between(self, sobject: str, start: str, end: str) -> list[tuple[str, str]]:
        """(id, deleted_at) of records deleted in [start, end), oldest first."""
        with self.lock:
            rows = self._conn.execute(
                "SELECT id, deleted_at FROM records WHERE sobject = ? AND is_deleted = 1"
                " AND deleted_at >= ? AND deleted_at < ? ORDER BY deleted_at, id",
                (sobject, start, end),
            ).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    def earliest_deletion(self, sobject: str) -> str | None:
        with self.lock:
            row = self._conn.execute(
                "SELECT MIN(deleted_at) FROM records WHERE sobject = ? AND is_deleted = 1",
                (sobject,),
            ).fetchone()
        return None if row[0] is None else str(row[0])

    def modified_between(self, sobject: str, start: str, end: str) -> list[str]:
        """Ids of live records whose SystemModstamp falls in [start, end)."""
        with self.lock:
            rows = self._conn.execute(
                "SELECT id FROM records WHERE sobject = ? AND is_deleted = 0"
                " AND modstamp >= ? AND modstamp < ? ORDER BY modstamp, id",
                (sobject, start, end),
            ).fetchall()
        return [str(r[0]) for r in rows]

    # -- key indexes (unique, external id and idLookup fields) -------------------------------
    def set_keys(self, sobject: str, record_id: str, keys: Mapping[str, str]) -> None:
        with self.lock:
            self._conn.execute("DELETE FROM record_keys WHERE id = ?", (record_id,))
            self._conn.executemany(
                "INSERT INTO record_keys (sobject, field, value, id) VALUES (?,?,?,?)",
                [(sobject, f, v, record_id) for f, v in keys.items()],
            )

    def find_by_key(self, sobject: str, field: str, value: str) -> list[str]:
        with self.lock:
            rows = self._conn.execute(
                "SELECT id FROM record_keys WHERE sobject = ? AND field = ? AND value = ?"
                " ORDER BY rowid",
                (sobject, field, value),
            ).fetchall()
        return [str(r[0]) for r in rows]

    def purge(self, record_id: str) -> None:
        """Remove a record for good (Bulk ``hardDelete`` skips the Recycle Bin)."""
        with self.lock:
            for table in ("records", "record_keys", "blobs"):
                self._conn.execute(f"DELETE FROM {table} WHERE id = ?", (record_id,))  # noqa: S608

    # -- blobs -----------------------------------------------------------------------------
    def put_blob(self, record_id: str, field: str, data: bytes) -> None:
        with self.lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO blobs (id, field, data) VALUES (?,?,?)",
                (record_id, field, data),
            )

    def get_blob(self, record_id: str, field: str) -> bytes | None:
        with self.lock:
            row = self._conn.execute(
                "SELECT data FROM blobs WHERE id = ? AND field = ?", (record_id, field)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def drop_blobs(self, owner_id: str) -> None:
        with self.lock:
            self._conn.execute("DELETE FROM blobs WHERE id = ?", (owner_id,))

    # -- platform events -------------------------------------------------------------------
    def add_event(self, sobject: str, publish_id: str, event: Mapping[str, Any]) -> int:
        """Append a published event; returns its replay id (1, 2, ... in publish order)."""
        with self.lock:
            cursor = self._conn.execute(
                "INSERT INTO events (sobject, publish_id, data) VALUES (?,?,?)",
                (sobject, publish_id, json.dumps(event)),
            )
            return int(cursor.lastrowid or 0)

    def events_after(
        self, sobject: str | None, replay_id: int, limit: int
    ) -> list[tuple[int, str, dict[str, Any]]]:
        """(replay id, sobject, event) of events published after ``replay_id``, oldest first."""
        sql = "SELECT replay_id, sobject, data FROM events WHERE replay_id > ?"
        args: tuple[Any, ...] = (replay_id,)
        if sobject is not None:
            sql += " AND sobject = ?"
            args += (sobject,)
        with self.lock:
            rows = self._conn.execute(sql + " ORDER BY replay_id LIMIT ?", (*args, limit))
            return [(int(r[0]), str(r[1]), json.loads(r[2])) for r in rows.fetchall()]

    def latest_replay_id(self, sobject: str | None) -> int:
        sql = "SELECT MAX(replay_id) FROM events"
        args: tuple[str, ...] = ()
        if sobject is not None:
            sql += " WHERE sobject = ?"
            args = (sobject,)
        with self.lock:
            row = self._conn.execute(sql, args).fetchone()
        return int(row[0] or 0)

    def event_by_publish_id(self, publish_id: str) -> dict[str, Any] | None:
        with self.lock:
            row = self._conn.execute(
                "SELECT data FROM events WHERE publish_id = ?", (publish_id,)
            ).fetchone()
        return None if row is None else json.loads(row[0])

    # -- settings and counters -------------------------------------------------------------
    def get_meta(self, key: str) -> Any:
        with self.lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_meta(self, key: str, value: Any) -> None:
        with self.lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value))
            )

    def meta_keys(self, prefix: str) -> list[str]:
        """Keys of the settings that start with ``prefix``, sorted."""
        with self.lock:
            rows = self._conn.execute(
                "SELECT key FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key",
                (len(prefix), prefix),
            ).fetchall()
        return [str(r[0]) for r in rows]

    def drop_meta(self, key: str) -> None:
        with self.lock:
            self._conn.execute("DELETE FROM meta WHERE key = ?", (key,))

    def next_sequence(self, name: str, start: int = 1) -> int:
        """The next number of a persistent counter (record ids, auto-number fields)."""
        with self.lock:
            current = self.get_meta(f"seq:{name}")
            value = start if current is None else int(current) + 1
            self.set_meta(f"seq:{name}", value)
            return value

    # -- usage of daily allocations -------------------------------------------------------
    def add_usage(self, allocation: str, minute: int, amount: int) -> None:
        """Count ``amount`` against ``allocation`` in the bucket of ``minute`` (epoch minutes)."""
        with self.lock:
            self._conn.execute(
                "INSERT INTO usage (allocation, minute, used) VALUES (?, ?, ?)"
                " ON CONFLICT (allocation, minute) DO UPDATE SET used = used + excluded.used",
                (allocation, minute, amount),
            )

    def usage_since(self, allocation: str, first_minute: int) -> int:
        """What ``allocation`` spent from ``first_minute`` on; older buckets are dropped."""
        with self.lock:
            self._conn.execute(
                "DELETE FROM usage WHERE allocation = ? AND minute < ?",
                (allocation, first_minute),
            )
            row = self._conn.execute(
                "SELECT SUM(used) FROM usage WHERE allocation = ?", (allocation,)
            ).fetchone()
        return int(row[0] or 0)

    def clear_usage(self) -> None:
        with self.lock:
            self._conn.execute("DELETE FROM usage")

    # -- sessions --------------------------------------------------------------------------
    def add_session(self, token: str, user_id: str, now: str) -> None:
        with self.lock:
            self._conn.execute(
                "INSERT INTO sessions (token, user_id, issued_at, last_used) VALUES (?,?,?,?)",
                (token, user_id, now, now),
            )

    def session(self, token: str) -> tuple[str, str] | None:
        """(user_id, last_used) of a session token."""
        with self.lock:
            row = self._conn.execute(
                "SELECT user_id, last_used FROM sessions WHERE token = ?", (token,)
            ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def touch_session(self, token: str, now: str) -> None:
        with self.lock:
            self._conn.execute("UPDATE sessions SET last_used = ? WHERE token = ?", (now, token))

    def drop_session(self, token: str) -> None:
        with self.lock:
            self._conn.execute("DELETE FROM sessions WHERE token = ?", (token,))
