"""The audit log on SQLite and PostgreSQL: chained appends, append-only rows, tamper detection."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from contractsync.audit import GENESIS_HASH, entry_hash, verify_audit_log
from contractsync.context import App
from contractsync.store import Database, JournalEntry
from contractsync.store import tables as t


def _append(app: App, count: int, *, entity: str = "C-1") -> None:
    for index in range(count):
        with app.database.write() as connection:
            app.audit.append(
                connection,
                JournalEntry(
                    actor="tester",
                    action="contract.updated",
                    entity_type="contract",
                    entity_key=entity,
                    details={"version": index + 1, "note": "ünïcode ✓"},
                ),
            )


def _tamper(database: Database, *statements: str) -> None:
    """Change rows behind contractsync's back, as someone with database access could."""
    with database.write() as connection:
        if database.is_sqlite:
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_UPDATE")
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_DELETE")
        else:
            connection.exec_driver_sql(
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"
            )
        for statement in statements:
            connection.exec_driver_sql(statement)


def test_entries_chain_from_the_genesis_hash(app: App) -> None:
    _append(app, 3)

    entries = app.audit.entries()
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert app.audit.head() == (3, entries[-1].hash)
    assert entries[0].details == {"version": 1, "note": "ünïcode ✓"}
    report = verify_audit_log(app.database)
    assert report.ok
    assert report.entries_checked == 3


def test_each_hash_commits_to_every_field(app: App) -> None:
    _append(app, 1)
    entry = app.audit.entries()[0]
    with app.database.read() as connection:
        details_json = connection.execute(sa.select(t.audit_log.c.details)).scalar_one()
    fields = {
        "seq": entry.seq,
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_key": entry.entity_key,
        "details_json": details_json,
        "prev_hash": entry.prev_hash,
    }
    assert entry_hash(**fields) == entry.hash  # type: ignore[arg-type]
    for name, other in [("actor", "mallory"), ("entity_key", "C-2"), ("prev_hash", "1" * 64)]:
        assert entry_hash(**{**fields, name: other}) != entry.hash  # type: ignore[arg-type]


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_audit_rows(app: App, statement: str) -> None:
    _append(app, 2)
    with pytest.raises(DBAPIError, match="append-only"), app.database.write() as connection:
        connection.exec_driver_sql(statement)
    assert len(app.audit.entries()) == 2


TAMPERING: list[tuple[str, list[str], int, str]] = [
    (
        "altered details",
        ["UPDATE audit_log SET details = '{\"version\":99}' WHERE seq = 3"],
        3,
        "does not match its hash: the row was altered",
    ),
    (
        "altered actor",
        ["UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"],
        2,
        "row was altered",
    ),
    (
        "removed middle entry",
        ["DELETE FROM audit_log WHERE seq = 3"],
        3,
        "entry #3 is missing",
    ),
    (
        "removed newest entries",
        ["DELETE FROM audit_log WHERE seq >= 4"],
        4,
        "entries #4 to #5 were removed from the end",
    ),
    (
        "reordered entries",
        [
            "UPDATE audit_log SET seq = 100 WHERE seq = 2",
            "UPDATE audit_log SET seq = 2 WHERE seq = 3",
            "UPDATE audit_log SET seq = 3 WHERE seq = 100",
        ],
        2,
        "does not follow entry #1",
    ),
    (
        "forged entry appended",
        [
            (
                "INSERT INTO audit_log (seq, at, actor, action, entity_type, entity_key, "
                "details, prev_hash, hash) SELECT 6, at, actor, action, entity_type, "
                "entity_key, details, hash, hash FROM audit_log WHERE seq = 5"
            )
        ],
        6,
        "row was altered",
    ),
]


@pytest.mark.parametrize(
    ("statements", "broken_seq", "problem"),
    [pytest.param(s, seq, p, id=name) for name, s, seq, p in TAMPERING],
)
def test_verification_names_the_first_broken_entry(
    app: App, statements: list[str], broken_seq: int, problem: str
) -> None:
    _append(app, 5)
    assert verify_audit_log(app.database).ok

    _tamper(app.database, *statements)

    report = verify_audit_log(app.database)
    assert not report.ok
    assert report.broken_seq == broken_seq
    assert problem in (report.problem or "")


def test_verification_reads_the_log_a_page_at_a_time(app: App) -> None:
    _append(app, 7)
    assert verify_audit_log(app.database, page_size=2).entries_checked == 7
    _tamper(app.database, "UPDATE audit_log SET action = 'x' WHERE seq = 6")
    assert verify_audit_log(app.database, page_size=2).broken_seq == 6


def test_concurrent_appends_keep_one_unbroken_chain(app: App) -> None:
    threads = [
        threading.Thread(target=_append, args=(app, 10), kwargs={"entity": f"C-{n}"})
        for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    report = verify_audit_log(app.database)
    assert report.ok, report.problem
    assert report.entries_checked == 40


def test_every_store_write_is_in_the_log(app: App, make_contract: Callable[..., object]) -> None:
    app.contracts.create(make_contract("C-9"), actor="alice", reason="new")  # type: ignore[arg-type]
    app.documents.put(b"text", media_type="text/plain", actor="alice", name="a.txt")

    actions = [(e.action, e.actor) for e in app.audit.entries()]
    assert actions == [("contract.created", "alice"), ("document.stored", "alice")]


def test_a_well_forged_entry_is_caught_by_the_head(app: App) -> None:
    _append(app, 2)
    last = app.audit.entries()[-1]
    details_json = '{"version":3}'
    forged_hash = entry_hash(
        seq=3,
        at=last.at,
        actor="mallory",
        action="contract.updated",
        entity_type="contract",
        entity_key="C-1",
        details_json=details_json,
        prev_hash=last.hash,
    )
    with app.database.write() as connection:
        connection.execute(
            t.audit_log.insert().values(
                seq=3,
                at=last.at,
                actor="mallory",
                action="contract.updated",
                entity_type="contract",
                entity_key="C-1",
                details=details_json,
                prev_hash=last.hash,
                hash=forged_hash,
            )
        )

    report = verify_audit_log(app.database)
    assert report.broken_seq == 3
    assert "added outside contractsync" in (report.problem or "")
