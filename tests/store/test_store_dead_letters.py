"""Dead letters on SQLite and PostgreSQL: discarding only what is still open, audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from contractsync.context import App
from contractsync.errors import ConcurrencyError, NotFoundError
from contractsync.store import DELIVERED, DISCARDED, tables


def test_discarding_an_open_letter_closes_it_with_an_audit_entry(
    app: App, park_letter: Callable[..., int]
) -> None:
    letter_id = park_letter(app, "emea", "C-1")

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
    app: App,
    park_letter: Callable[..., int],
    delivered_before_next_write: Callable[[App, int], None],
) -> None:
    letter_id = park_letter(app, "emea", "C-1")
    delivered_before_next_write(app, letter_id)
    with pytest.raises(ConcurrencyError, match="already delivered; only open ones") as refused:
        app.dead_letters.discard(letter_id, actor="alice", reason="customer cancelled")

    assert refused.value.code == "stale_version"
    letter = app.dead_letters.get(letter_id)
    assert (letter.status, letter.resolved_by) == (DELIVERED, "sync")
    actions = [entry.action for entry in app.audit.entries(entity_key="C-1")]
    assert "dead_letter.discarded" not in actions


def test_a_letter_discarded_twice_or_unknown_is_refused(
    app: App, park_letter: Callable[..., int]
) -> None:
    letter_id = park_letter(app, "emea", "C-1")
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
