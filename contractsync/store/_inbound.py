"""Inbound sync state: how far each org's objects were read, and changes parked for people."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from contractsync.errors import NotFoundError, StoreError

from . import _tables as t
from ._database import Database
from ._dead_letters import OPEN
from ._journal import Clock, Journal, JournalEntry, utc_now
from ._upsert import upsert_rows

APPLIED = "applied"
DISMISSED = "dismissed"


@dataclass(frozen=True, slots=True)
class Watermark:
    """The newest SystemModstamp read from one object, and the changes already handled in
    the overlap window before it (``Id@SystemModstamp``)."""

    at: datetime
    seen: frozenset[str]


@dataclass(frozen=True, slots=True)
class PendingChange:
    """A field changed in Salesforce that waits for a person to decide."""

    id: int
    org: str
    sobject: str
    external_key: str
    contract_key: str
    field: str
    path: str | None
    salesforce_value: Any
    contractsync_value: Any
    changed_at: datetime | None
    policy: str
    reason: str
    status: str
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None


class InboundRepository:
    """Watermarks per org and object, and the pending changes of inbound sync."""

    def __init__(self, database: Database, journal: Journal, *, clock: Clock = utc_now) -> None:
        self.database = database
        self.journal = journal
        self.clock = clock

    def watermark(self, org: str, sobject: str) -> Watermark | None:
        with self.database.read() as connection:
            row = connection.execute(
                sa.select(t.sync_watermarks).where(
                    t.sync_watermarks.c.org == org, t.sync_watermarks.c.sobject == sobject
                )
            ).one_or_none()
        return None if row is None else Watermark(row.watermark, frozenset(row.seen))

    def advance(self, org: str, sobject: str, watermark: Watermark) -> None:
        with self.database.write() as connection:
            upsert_rows(
                connection,
                t.sync_watermarks,
                [{"org": org, "sobject": sobject, "watermark": watermark.at,
                  "seen": sorted(watermark.seen), "updated_at": self.clock()}],
                key=("org", "sobject"),
            )  # fmt: skip

    def park(self, org: str, changes: Sequence[Mapping[str, Any]], *, actor: str) -> int:
        """Park changes for a person; one already parked (same record, field and Salesforce
        value, still open) is not parked twice. Returns how many were new."""
        now = self.clock()
        parked = 0
        with self.database.write() as connection:
            for change in changes:
                values = {
                    "salesforce": change["salesforce_value"],
                    "contractsync": change["contractsync_value"],
                }
                open_rows = connection.execute(
                    sa.select(t.pending_changes.c.sides).where(
                        t.pending_changes.c.org == org,
                        t.pending_changes.c.sobject == change["sobject"],
                        t.pending_changes.c.external_key == change["external_key"],
                        t.pending_changes.c.field == change["field"],
                        t.pending_changes.c.status == OPEN,
                    )
                )
                if any(row.sides["salesforce"] == values["salesforce"] for row in open_rows):
                    continue
                connection.execute(
                    t.pending_changes.insert().values(
                        org=org,
                        sobject=change["sobject"],
                        external_key=change["external_key"],
                        contract_key=change["contract_key"],
                        field=change["field"],
                        path=change.get("path"),
                        sides=values,
                        changed_at=change.get("changed_at"),
                        policy=change["policy"],
                        reason=change["reason"],
                        status=OPEN,
                        created_at=now,
                    )
                )
                self.journal.record(
                    connection,
                    JournalEntry(
                        actor=actor,
                        action="inbound.parked",
                        entity_type="record",
                        entity_key=change["contract_key"],
                        details={
                            "org": org,
                            "sobject": change["sobject"],
                            "key": change["external_key"],
                            "field": change["field"],
                            "salesforce": change["salesforce_value"],
                            "contractsync": change["contractsync_value"],
                            "reason": change["reason"],
                        },
                    ),
                )
                parked += 1
        return parked

    def pending(self, *, org: str | None = None, status: str | None = OPEN) -> list[PendingChange]:
        query = sa.select(t.pending_changes).order_by(t.pending_changes.c.id)
        if org is not None:
            query = query.where(t.pending_changes.c.org == org)
        if status is not None:
            query = query.where(t.pending_changes.c.status == status)
        with self.database.read() as connection:
            return [_pending(row) for row in connection.execute(query)]

    def resolve(self, change_id: int, *, status: str, actor: str, note: str = "") -> None:
        """Close a pending change as applied or dismissed (audited)."""
        if status not in {APPLIED, DISMISSED}:
            raise ValueError(f"a pending change is resolved as {APPLIED} or {DISMISSED}")
        with self.database.write() as connection:
            row = connection.execute(
                sa.select(t.pending_changes).where(t.pending_changes.c.id == change_id)
            ).one_or_none()
            if row is None:
                raise NotFoundError(
                    f"No pending change #{change_id}. List them with: contractsync inbound pending",
                    change_id=change_id,
                )
            if row.status != OPEN:
                raise StoreError(
                    f"Pending change #{change_id} is already {row.status}.", change_id=change_id
                )
            connection.execute(
                t.pending_changes.update()
                .where(t.pending_changes.c.id == change_id)
                .values(status=status, resolved_at=self.clock(), resolved_by=actor)
            )
            self.journal.record(
                connection,
                JournalEntry(
                    actor=actor,
                    action=f"inbound.{status}",
                    entity_type="record",
                    entity_key=row.contract_key,
                    details={"org": row.org, "key": row.external_key, "field": row.field,
                             "change": change_id, "note": note},
                ),
            )  # fmt: skip


def _pending(row: sa.Row[Any]) -> PendingChange:
    data = dict(row._mapping)
    values = data.pop("sides")
    return PendingChange(
        **data, salesforce_value=values["salesforce"], contractsync_value=values["contractsync"]
    )
