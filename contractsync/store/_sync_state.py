"""What each org confirmed, and the runs that did it (what it refused: ``_dead_letters``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from . import _tables as t
from ._database import Database
from ._dead_letters import DELIVERED, OPEN
from ._journal import Clock, Journal, JournalEntry, utc_now
from ._upsert import upsert_rows


@dataclass(frozen=True, slots=True)
class ConfirmedRecord:
    """A record as an org last confirmed it (after a successful write)."""

    org: str
    sobject: str
    external_key: str
    object_name: str
    contract_key: str
    sf_id: str | None
    fingerprint: str
    snapshot: Mapping[str, Any]
    active: bool
    confirmed_at: datetime


class SyncStateRepository:
    """Confirmed state per org and record, written with its audit entries."""

    def __init__(self, database: Database, journal: Journal, *, clock: Clock = utc_now) -> None:
        self.database = database
        self.journal = journal
        self.clock = clock

    def confirmed(
        self,
        org: str,
        *,
        contract_keys: Collection[str] | None = None,
        identities: Collection[tuple[str, str]] | None = None,
    ) -> dict[tuple[str, str], ConfirmedRecord]:
        """Confirmed records of ``org``, keyed by (sObject, key): all of them, or those of
        some contracts and those with some (sObject, key) identities."""
        query = sa.select(t.sync_state).where(t.sync_state.c.org == org)
        found: dict[tuple[str, str], ConfirmedRecord] = {}
        with self.database.read() as connection:
            if contract_keys is None and identities is None:
                rows = list(connection.execute(query))
            else:
                rows = []
                keys = sorted(contract_keys or ())
                for start in range(0, len(keys), 500):  # stay under bind-parameter limits
                    chunk = keys[start : start + 500]
                    rows.extend(
                        connection.execute(query.where(t.sync_state.c.contract_key.in_(chunk)))
                    )
                by_sobject: dict[str, list[str]] = {}
                for sobject, external_key in sorted(identities or ()):
                    by_sobject.setdefault(sobject, []).append(external_key)
                for sobject, external_keys in by_sobject.items():
                    for start in range(0, len(external_keys), 500):
                        chunk = external_keys[start : start + 500]
                        rows.extend(
                            connection.execute(
                                query.where(
                                    t.sync_state.c.sobject == sobject,
                                    t.sync_state.c.external_key.in_(chunk),
                                )
                            )
                        )
        for row in rows:
            record = ConfirmedRecord(**row._mapping)
            found[(record.sobject, record.external_key)] = record
        return found

    def confirm(
        self,
        org: str,
        records: Sequence[Mapping[str, Any]],
        *,
        actor: str,
        run_id: str,
        audit_prefix: str = "sync",
    ) -> None:
        """Record successful writes; each row needs sobject, external_key, object_name,
        contract_key, sf_id, fingerprint, snapshot, active and ``action`` (audited as
        ``<audit_prefix>.<action>``: ``sync.created``, ``reconcile.restored``)."""
        now = self.clock()
        with self.database.write() as connection:
            upsert_rows(
                connection,
                t.sync_state,
                [
                    {
                        **{k: v for k, v in record.items() if k != "action"},
                        "org": org,
                        "confirmed_at": now,
                    }
                    for record in records
                ],
                key=("org", "sobject", "external_key"),
            )
            self.journal.record_many(
                connection,
                [
                    JournalEntry(
                        actor=actor,
                        action=f"{audit_prefix}.{record['action']}",
                        entity_type="record",
                        entity_key=record["contract_key"],
                        details={
                            "org": org,
                            "sobject": record["sobject"],
                            "key": record["external_key"],
                            "sf_id": record["sf_id"],
                            "run": run_id,
                        },
                    )
                    for record in records
                ],
            )
            # A record that finally went through closes its dead letter.
            delivered: dict[str, list[str]] = {}
            for record in records:
                delivered.setdefault(record["sobject"], []).append(record["external_key"])
            for sobject, keys in delivered.items():
                for start in range(0, len(keys), 500):  # stay under bind-parameter limits
                    connection.execute(
                        t.dead_letters.update()
                        .where(
                            t.dead_letters.c.org == org,
                            t.dead_letters.c.sobject == sobject,
                            t.dead_letters.c.external_key.in_(keys[start : start + 500]),
                            t.dead_letters.c.status == OPEN,
                        )
                        .values(status=DELIVERED, updated_at=now, resolved_by=actor)
                    )

    def amend(
        self,
        org: str,
        record: ConfirmedRecord,
        *,
        snapshot: Mapping[str, Any],
        fingerprint: str,
        actor: str,
        action: str,
        details: Mapping[str, Any],
    ) -> None:
        """Replace a confirmed record's snapshot with what the org is now known to hold
        (a value accepted or applied from Salesforce), audited as ``action``."""
        with self.database.write() as connection:
            connection.execute(
                t.sync_state.update()
                .where(
                    t.sync_state.c.org == org,
                    t.sync_state.c.sobject == record.sobject,
                    t.sync_state.c.external_key == record.external_key,
                )
                .values(snapshot=dict(snapshot), fingerprint=fingerprint, confirmed_at=self.clock())
            )
            self.journal.record(
                connection,
                JournalEntry(
                    actor=actor,
                    action=action,
                    entity_type="record",
                    entity_key=record.contract_key,
                    details={
                        "org": org,
                        "sobject": record.sobject,
                        "key": record.external_key,
                        **details,
                    },
                ),
            )

    def quarantine(
        self, org: str, sobject: str, fields: Mapping[str, str], *, actor: str, run_id: str
    ) -> None:
        """Record that a run left ``fields`` (name → why) of ``sobject`` out of its writes to
        ``org``, because the org stopped accepting them mid-run: ``sync.quarantined``."""
        with self.database.write() as connection:
            self.journal.record(
                connection,
                JournalEntry(
                    actor=actor,
                    action="sync.quarantined",
                    entity_type="org",
                    entity_key=org,
                    details={
                        "org": org,
                        "sobject": sobject,
                        "fields": dict(sorted(fields.items())),
                        "run": run_id,
                    },
                ),
            )


class SyncRunRepository:
    def __init__(self, database: Database, *, clock: Clock = utc_now) -> None:
        self.database = database
        self.clock = clock

    def start(self, run_id: str, org: str) -> None:
        with self.database.write() as connection:
            upsert_rows(
                connection,
                t.sync_runs,
                [{"run_id": run_id, "org": org, "started_at": self.clock(), "finished_at": None,
                  "status": "running", "summary": {}}],
                key=("run_id",),
            )  # fmt: skip

    def finish(self, run_id: str, *, status: str, summary: Mapping[str, Any]) -> None:
        with self.database.write() as connection:
            connection.execute(
                t.sync_runs.update()
                .where(t.sync_runs.c.run_id == run_id)
                .values(finished_at=self.clock(), status=status, summary=dict(summary))
            )

    def under(self, base: str) -> dict[str, dict[str, Any]]:
        """The runs of one idempotency key: ``base`` itself and its retries."""
        runs = t.sync_runs.c.run_id
        query = sa.select(t.sync_runs).where(
            (runs == base) | runs.startswith(f"{base}:retry-", autoescape=True)
        )
        with self.database.read() as connection:
            return {row.run_id: dict(row._mapping) for row in connection.execute(query)}

    def recent(self, *, org: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        query = sa.select(t.sync_runs).order_by(t.sync_runs.c.started_at.desc()).limit(limit)
        if org is not None:
            query = query.where(t.sync_runs.c.org == org)
        with self.database.read() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]
