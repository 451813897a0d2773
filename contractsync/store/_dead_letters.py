"""Dead letters: the records an org refused for good, parked with the reason, replayed or
discarded by a person, never dropped silently."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from contractsync.errors import ConcurrencyError, NotFoundError

from . import _tables as t
from ._database import Database
from ._journal import Clock, Journal, JournalEntry, utc_now


@dataclass(frozen=True, slots=True)
class DeadLetter:
    id: int
    org: str
    sobject: str
    external_key: str
    object_name: str
    contract_key: str
    payload: Mapping[str, Any]
    error_code: str
    message: str
    error_fields: tuple[str, ...]
    errors: tuple[Mapping[str, Any], ...]
    attempts: int
    status: str
    created_at: datetime
    updated_at: datetime
    resolved_by: str | None


OPEN = "open"
DELIVERED = "delivered"
DISCARDED = "discarded"


class DeadLetterRepository:
    """Records an org refused for good, parked with the reason, never dropped silently."""

    def __init__(self, database: Database, journal: Journal, *, clock: Clock = utc_now) -> None:
        self.database = database
        self.journal = journal
        self.clock = clock

    def park(
        self, org: str, letters: Sequence[Mapping[str, Any]], *, actor: str, run_id: str
    ) -> None:
        """Park refused records; a record already parked and open counts one more attempt."""
        now = self.clock()
        with self.database.write() as connection:
            for letter in letters:
                existing = connection.execute(
                    sa.select(t.dead_letters.c.id, t.dead_letters.c.attempts).where(
                        t.dead_letters.c.org == org,
                        t.dead_letters.c.sobject == letter["sobject"],
                        t.dead_letters.c.external_key == letter["external_key"],
                        t.dead_letters.c.status == OPEN,
                    )
                ).one_or_none()
                values = {**letter, "org": org, "updated_at": now}
                if existing is None:
                    connection.execute(
                        t.dead_letters.insert().values(
                            **values, attempts=1, status=OPEN, created_at=now
                        )
                    )
                else:
                    connection.execute(
                        t.dead_letters.update()
                        .where(t.dead_letters.c.id == existing.id)
                        .values(**values, attempts=existing.attempts + 1)
                    )
                self.journal.record(
                    connection,
                    JournalEntry(
                        actor=actor,
                        action="sync.failed",
                        entity_type="record",
                        entity_key=letter["contract_key"],
                        details={
                            "org": org,
                            "sobject": letter["sobject"],
                            "key": letter["external_key"],
                            "error": letter["error_code"],
                            "fields": list(letter["error_fields"]),
                            "run": run_id,
                        },
                    ),
                )

    def list(self, *, org: str | None = None, status: str | None = OPEN) -> list[DeadLetter]:
        """The letters of ``org`` (default: all) in ``status`` (None: any), oldest first."""
        query = sa.select(t.dead_letters).where(_letters_of(org, status))
        with self.database.read() as connection:
            return [_letter(row) for row in connection.execute(query.order_by(t.dead_letters.c.id))]

    def page(
        self, *, org: str | None, status: str | None, limit: int, offset: int
    ) -> tuple[int, Sequence[DeadLetter]]:
        """How many letters ``list`` would give, and ``limit`` of them from ``offset``, read
        together so the total and the page agree."""
        condition = _letters_of(org, status)
        count = sa.select(sa.func.count()).select_from(t.dead_letters).where(condition)
        query = sa.select(t.dead_letters).where(condition).order_by(t.dead_letters.c.id)
        with self.database.read() as connection:
            total = int(connection.execute(count).scalar_one())
            rows = connection.execute(query.limit(limit).offset(offset))
            return total, [_letter(row) for row in rows]

    def get(self, letter_id: int) -> DeadLetter:
        with self.database.read() as connection:
            row = connection.execute(
                sa.select(t.dead_letters).where(t.dead_letters.c.id == letter_id)
            ).one_or_none()
        if row is None:
            raise NotFoundError(
                f"No dead letter #{letter_id}. List them with: contractsync dlq list",
                letter_id=letter_id,
            )
        return _letter(row)

    def discard(self, letter_id: int, *, actor: str, reason: str) -> DeadLetter:
        """Close an open letter on purpose, audited with the reason.

        Raises ``ConcurrencyError`` when the letter is no longer open, delivered by a replay
        that committed first included: the status is checked by the write itself.
        """
        now = self.clock()
        letters = t.dead_letters.c
        with self.database.write() as connection:
            discarded = connection.execute(
                t.dead_letters.update()
                .where(letters.id == letter_id, letters.status == OPEN)
                .values(status=DISCARDED, updated_at=now, resolved_by=actor)
            )
            row = connection.execute(
                sa.select(t.dead_letters).where(letters.id == letter_id)
            ).one_or_none()
            if row is None:
                raise NotFoundError(
                    f"No dead letter #{letter_id}. List them with: contractsync dlq list",
                    letter_id=letter_id,
                )
            if discarded.rowcount != 1:
                raise ConcurrencyError(
                    f"Dead letter #{letter_id} is already {row.status}; only open ones can be "
                    "discarded.",
                    letter_id=letter_id,
                    status=row.status,
                )
            self.journal.record(
                connection,
                JournalEntry(
                    actor=actor,
                    action="dead_letter.discarded",
                    entity_type="record",
                    entity_key=row.contract_key,
                    details={"org": row.org, "key": row.external_key, "reason": reason},
                ),
            )
        return _letter(row)

    def count_open(self, org: str | None = None) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(t.dead_letters)
            .where(t.dead_letters.c.status == OPEN)
        )
        if org is not None:
            query = query.where(t.dead_letters.c.org == org)
        with self.database.read() as connection:
            return int(connection.execute(query).scalar_one())


def _letters_of(org: str | None, status: str | None) -> sa.ColumnElement[bool]:
    letters = t.dead_letters.c
    return sa.and_(
        sa.true() if org is None else letters.org == org,
        sa.true() if status is None else letters.status == status,
    )


def _letter(row: sa.Row[Any]) -> DeadLetter:
    data = dict(row._mapping)
    data["error_fields"] = tuple(data["error_fields"])
    data["errors"] = tuple(data["errors"])
    return DeadLetter(**data)
