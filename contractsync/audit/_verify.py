"""Verifying the audit log: recompute the chain and report the first entry that breaks it."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from contractsync.store import Database
from contractsync.store import tables as t

from ._log import GENESIS_HASH, entry_hash


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of a verification: how far the chain holds, and what broke it."""

    entries_checked: int
    broken_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_audit_log(database: Database, *, page_size: int = 1000) -> VerifyReport:
    """Walk the whole log in order (a page at a time) and check every link of the chain.

    Catches an altered row (its hash no longer matches its fields), a removed row (a gap
    in the sequence, or a head that points past the last row), and reordered rows (a row's
    previous-hash no longer names the row before it).
    """
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    with database.read() as connection:
        head = connection.execute(
            sa.select(t.audit_head.c.seq, t.audit_head.c.hash).where(t.audit_head.c.id == 1)
        ).one_or_none()
        if head is None:
            return VerifyReport(0, None, "the audit head row is missing: the log was tampered with")
        after = 0
        while True:
            rows = connection.execute(
                sa.select(t.audit_log)
                .where(t.audit_log.c.seq > after)
                .order_by(t.audit_log.c.seq)
                .limit(page_size)
            ).all()
            for row in rows:
                label = (
                    f"entry #{row.seq} ({row.action} {row.entity_key}, {row.at:%Y-%m-%d %H:%M:%S})"
                )
                if row.seq != expected_seq:
                    return VerifyReport(
                        checked,
                        expected_seq,
                        f"entry #{expected_seq} is missing (the log jumps to #{row.seq}): "
                        "entries were removed",
                    )
                if row.prev_hash != prev_hash:
                    return VerifyReport(
                        checked,
                        row.seq,
                        f"{label} does not follow entry #{row.seq - 1}: entries were "
                        "reordered, removed or replaced",
                    )
                digest = entry_hash(
                    seq=row.seq,
                    at=row.at,
                    actor=row.actor,
                    action=row.action,
                    entity_type=row.entity_type,
                    entity_key=row.entity_key,
                    details_json=row.details,
                    prev_hash=row.prev_hash,
                )
                if digest != row.hash:
                    return VerifyReport(
                        checked, row.seq, f"{label} does not match its hash: the row was altered"
                    )
                checked += 1
                expected_seq, prev_hash = row.seq + 1, row.hash
            if len(rows) < page_size:
                break
            after = rows[-1].seq
    last_seq = expected_seq - 1
    if head.seq != last_seq or head.hash != prev_hash:
        if head.seq > last_seq:
            problem = f"entries #{last_seq + 1} to #{head.seq} were removed from the end of the log"
            return VerifyReport(checked, last_seq + 1, problem)
        return VerifyReport(
            checked,
            head.seq + 1,
            f"entries #{head.seq + 1} to #{last_seq} were added outside contractsync "
            f"(the audit head names entry #{head.seq} as the last)",
        )
    return VerifyReport(checked)
