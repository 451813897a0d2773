"""Dead letters on SQLite and PostgreSQL: discarding only what is still open, audited."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from contractsync.context import App
from contractsync.errors import ConcurrencyError, NotFoundError
from contractsync.store import DELIVERED, DISCARDED, OPEN, tables


def _park(app: App, key: str = "C-1") -> int:
    app.dead_letters.park(
        "emea",
        [
            {
                "sobject": "Contract",
                "external_key": key,
                "object_name": "contract",
                "contract_key": key,
                "payload": {"Name": "x" * 120},
                "error_code": "STRING_TOO_LONG",
                "message": "Name: data value too large",
                "error_fields": ["Name"],
                "errors": [{"code": "STRING_TOO_LONG", "fields": ["Name"]}],
            }
        ],
        actor="sync",
        run_id="run-1",
    )
    [letter] = app.dead_letters.list(org="emea")
    return letter.id


def test_discarding_an_open_letter_closes_it_with_an_audit_entry(app: App) -> None:
    letter_id = _park(app)

    discarded = app.dead_letters.discard(letter_id, actor="alice", reason="customer cancelled")

    assert (discarded.status, discarded.resolved_by) == (DISCARDED, "alice")
    assert app.dead_letters.get(letter_id).status == DISCARDED
    entry = app.audit.entries(entity_key="C-1")[-1]
    assert (entry.action, entry.actor, entry.details["reason"]) == (
        "dead_letter.discarded",
        "alice",
        "customer cancelled",
    )


def test_a_letter_delivered_before_the_discard_writes_stays_delivered(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    letter_id = _park(app)
    database = app.dead_letters.database
    write = database.write
    letters = tables.dead_letters

    @contextmanager
    def delivered_first() -> Iterator[Connection]:
        # A replay delivers the record and commits between the discard's read of the letter
        # and its own write transaction.
        with write() as replay:
            replay.execute(
                letters.update()
                .where(letters.c.id == letter_id, letters.c.status == OPEN)
                .values(status=DELIVERED, resolved_by="sync")
            )
        with write() as connection:
            yield connection

    monkeypatch.setattr(database, "write", delivered_first)
    with pytest.raises(ConcurrencyError, match="already delivered; only open ones") as refused:
        app.dead_letters.discard(letter_id, actor="alice", reason="customer cancelled")
    monkeypatch.undo()

    assert refused.value.code == "stale_version"
    letter = app.dead_letters.get(letter_id)
    assert (letter.status, letter.resolved_by) == (DELIVERED, "sync")
    actions = [entry.action for entry in app.audit.entries(entity_key="C-1")]
    assert "dead_letter.discarded" not in actions


def test_a_letter_discarded_twice_or_unknown_is_refused(app: App) -> None:
    letter_id = _park(app)
    app.dead_letters.discard(letter_id, actor="alice", reason="gone")
    with pytest.raises(ConcurrencyError, match="already discarded"):
        app.dead_letters.discard(letter_id, actor="bob", reason="again")
    assert app.dead_letters.get(letter_id).resolved_by == "alice"
    with pytest.raises(NotFoundError, match="No dead letter #999"):
        app.dead_letters.discard(999, actor="alice", reason="gone")
    discards = [
        entry
        for entry in app.audit.entries(entity_key="C-1")
        if entry.action == "dead_letter.discarded"
    ]
    assert [entry.actor for entry in discards] == ["alice"]
    with app.dead_letters.database.read() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(tables.dead_letters))
        assert count.scalar_one() == 1
