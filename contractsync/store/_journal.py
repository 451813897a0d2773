"""What the store tells the audit log about each write, in the write's own transaction.

The store does not depend on the audit package (the dependency points the other way); it
calls a ``Journal`` that the application wires in, and refuses to write without one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.engine import Connection


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One change: who did what to which entity, with the details that matter."""

    actor: str
    action: str
    entity_type: str
    entity_key: str
    details: Mapping[str, Any] = field(default_factory=dict)


class Journal(Protocol):
    def record(self, connection: Connection, entry: JournalEntry) -> None:
        """Append ``entry`` inside the caller's transaction (so both commit or neither)."""

    def record_many(self, connection: Connection, entries: Sequence[JournalEntry]) -> None:
        """Append ``entries`` in order inside the caller's transaction (one write per batch,
        not per entry: a sync confirms thousands of records at once)."""


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)
