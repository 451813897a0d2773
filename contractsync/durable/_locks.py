"""Named locks shared by the processes of one database, released when their holder dies.

PostgreSQL: a session advisory lock on a connection kept for the lock's lifetime. SQLite
(one machine by nature): an ``fcntl`` lock on a file beside the database file. Either way
the operating system or the server drops the lock with a process killed by SIGKILL, which
is what lets a lock both exclude other workers and tell a live worker from a dead one.
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from pathlib import Path
from types import TracebackType
from typing import IO

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from contractsync.store import parse_database_url

_POLL_S = 0.05


class ProcessLock:
    """An exclusive lock named ``name`` among the processes using the database at ``url``.

    Not re-entrant, and one holder per instance; ``with lock:`` waits for it.
    """

    def __init__(self, url: str, name: str) -> None:
        self.url = parse_database_url(url)
        self.name = name
        self._key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        self._engine: sa.Engine | None = None
        self._connection: sa.Connection | None = None
        self._file: IO[bytes] | None = None

    def acquire(self, *, wait: bool = True) -> bool:
        """Take the lock, waiting for it unless ``wait`` is false; whether it was taken."""
        if self.url.get_backend_name() == "sqlite":
            return self._acquire_file(wait=wait)
        return self._acquire_advisory(wait=wait)

    def release(self) -> None:
        if self._connection is not None:
            try:
                unlock = sa.text("SELECT pg_advisory_unlock(:key)")
                self._connection.execute(unlock, {"key": self._key})
            finally:
                self._disconnect()
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> ProcessLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def _acquire_advisory(self, *, wait: bool) -> bool:
        self._engine = sa.create_engine(self.url, poolclass=NullPool)
        self._connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        query = sa.text("SELECT pg_try_advisory_lock(:key)")
        while not self._connection.execute(query, {"key": self._key}).scalar_one():
            if not wait:
                self._disconnect()
                return False
            time.sleep(_POLL_S)  # polling, not pg_advisory_lock: a wait stays interruptible
        return True

    def _disconnect(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _acquire_file(self, *, wait: bool) -> bool:
        database = self.url.database or "memory"
        folder = Path(f"{database}.locks")
        folder.mkdir(parents=True, exist_ok=True)
        self._file = (folder / f"{hashlib.sha256(self.name.encode()).hexdigest()[:32]}").open("ab")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            self._file.close()
            self._file = None
            return False
        return True
