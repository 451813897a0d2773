"""The contract repository on SQLite and PostgreSQL: versions, concurrency, audit, idempotency."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from contractsync.context import App
from contractsync.errors import (
    AlreadyExistsError,
    ConcurrencyError,
    LifecycleError,
    NotFoundError,
)
from contractsync.model import Contract, LifecycleStatus
from contractsync.store import tables

MakeContract = Callable[..., Contract]


def test_create_then_read_back_the_same_record(app: App, make_contract: MakeContract) -> None:
    contract = make_contract("C-1")
    result = app.contracts.create(contract, actor="alice", reason="new deal")

    stored = app.contracts.get("C-1")
    assert result.changed
    assert stored.version == 1
    assert stored.contract == contract
    assert stored.updated_by == "alice"
    assert stored.updated_at.tzinfo is not None


def test_creating_an_existing_key_is_refused(app: App, make_contract: MakeContract) -> None:
    app.contracts.create(make_contract("C-1"), actor="alice", reason="new")
    with pytest.raises(AlreadyExistsError, match="'C-1' already exists"):
        app.contracts.create(make_contract("C-1"), actor="bob", reason="again")


def test_every_update_adds_a_version_with_actor_reason_and_changed_fields(
    app: App, make_contract: MakeContract
) -> None:
    app.contracts.create(make_contract("C-1"), actor="alice", reason="new")
    renamed = make_contract("C-1", title="Renamed")
    app.contracts.update(renamed, expected_version=1, actor="bob", reason="typo in title")
    moved = renamed.with_status(LifecycleStatus.IN_REVIEW)
    app.contracts.update(moved, expected_version=2, actor="carol", reason="to legal")

    history = app.contracts.history("C-1")
    assert [(v.version, v.actor, v.reason) for v in history] == [
        (1, "alice", "new"),
        (2, "bob", "typo in title"),
        (3, "carol", "to legal"),
    ]
    assert history[1].changed_fields == ("title",)
    assert history[2].changed_fields == ("status",)
    assert app.contracts.get_version("C-1", 1).title == "Contract C-1"
    assert app.contracts.get("C-1").contract.status is LifecycleStatus.IN_REVIEW


def test_a_stale_update_is_refused_and_changes_nothing(
    app: App, make_contract: MakeContract
) -> None:
    app.contracts.create(make_contract("C-1"), actor="alice", reason="new")
    app.contracts.update(
        make_contract("C-1", title="Bob's edit"), expected_version=1, actor="bob", reason="edit"
    )

    with pytest.raises(ConcurrencyError) as refused:
        app.contracts.update(
            make_contract("C-1", title="Alice's edit"),
            expected_version=1,
            actor="alice",
            reason="edit based on version 1",
        )

    assert "based on version 1" in refused.value.message
    assert "now at version 2" in refused.value.message
    assert refused.value.context["current_version"] == 2
    assert app.contracts.get("C-1").contract.title == "Bob's edit"
    assert len(app.contracts.history("C-1")) == 2


def test_concurrent_writers_of_the_same_version_one_wins_one_is_refused(
    app: App, make_contract: MakeContract
) -> None:
    app.contracts.create(make_contract("C-1"), actor="alice", reason="new")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(title: str) -> None:
        barrier.wait()
        try:
            app.contracts.update(
                make_contract("C-1", title=title), expected_version=1, actor=title, reason="race"
            )
            outcomes.append("written")
        except ConcurrencyError:
            outcomes.append("refused")

    threads = [threading.Thread(target=write, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "written"]
    assert app.contracts.get("C-1").version == 2
    assert [v.version for v in app.contracts.history("C-1")] == [1, 2]


def test_writing_an_identical_record_creates_no_version_and_no_audit_entry(
    app: App, make_contract: MakeContract
) -> None:
    app.contracts.create(make_contract("C-1"), actor="alice", reason="new")
    entries_before = len(app.audit.entries())

    result = app.contracts.update(make_contract("C-1"), expected_version=1, actor="a", reason="x")

    assert not result.changed
    assert result.stored.version == 1
    assert len(app.audit.entries()) == entries_before


def test_an_illegal_status_change_is_refused_naming_the_allowed_ones(
    app: App, make_contract: MakeContract
) -> None:
    app.contracts.create(make_contract("C-1"), actor="alice", reason="new")
    jumped = make_contract("C-1", status="active")

    with pytest.raises(LifecycleError, match="From 'draft' it may move to: in_review, terminated"):
        app.contracts.update(jumped, expected_version=1, actor="alice", reason="skip review")
    with pytest.raises(LifecycleError):
        app.contracts.transition(
            "C-1", LifecycleStatus.ACTIVE, expected_version=1, actor="alice", reason="skip"
        )
    assert app.contracts.get("C-1").contract.status is LifecycleStatus.DRAFT


def test_status_changes_are_audited_as_lifecycle_events(
    app: App, make_contract: MakeContract
) -> None:
    app.contracts.create(make_contract("C-1", status="signed"), actor="alice", reason="new")
    app.contracts.transition(
        "C-1", LifecycleStatus.ACTIVE, expected_version=1, actor="bob", reason="go live"
    )

    entries = app.audit.entries(entity_key="C-1")
    assert [e.action for e in entries] == ["contract.created", "contract.activated"]
    assert entries[1].actor == "bob"
    assert entries[1].details["status"] == {"from": "signed", "to": "active"}
    assert entries[1].details["version"] == 2


def test_a_repeated_idempotency_key_replays_instead_of_writing_again(
    app: App, make_contract: MakeContract
) -> None:
    first = app.contracts.save(
        make_contract("C-1"), actor="loader", reason="r", idempotency_key="k1"
    )
    again = app.contracts.save(
        make_contract("C-1", title="changed meanwhile"),
        actor="loader",
        reason="r",
        idempotency_key="k1",
    )

    assert first.changed
    assert not again.changed
    assert again.stored.version == 1
    assert len(app.contracts.history("C-1")) == 1
    assert len(app.audit.entries(entity_key="C-1")) == 1


def test_a_failed_write_leaves_neither_a_version_nor_an_audit_entry(
    app: App, make_contract: MakeContract, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.contracts.create(make_contract("C-1"), actor="alice", reason="new")

    def broken_journal(*_: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(app.audit, "record", broken_journal)
    with pytest.raises(RuntimeError):
        app.contracts.update(
            make_contract("C-1", title="lost"), expected_version=1, actor="alice", reason="x"
        )

    assert app.contracts.get("C-1").contract.title == "Contract C-1"
    assert len(app.contracts.history("C-1")) == 1
    with app.database.read() as connection:
        versions = connection.execute(
            sa.select(sa.func.count()).select_from(tables.contract_versions)
        )
        assert versions.scalar_one() == 1


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda app: app.contracts.get("NOPE"), id="get"),
        pytest.param(lambda app: app.contracts.history("NOPE"), id="history"),
        pytest.param(lambda app: app.contracts.get_version("NOPE", 1), id="version"),
    ],
)
def test_unknown_contract_keys_say_how_to_list_the_known_ones(
    app: App, read: Callable[[App], object]
) -> None:
    with pytest.raises(NotFoundError, match=r"No contract .NOPE.*contractsync contracts list"):
        read(app)


def test_an_unknown_version_names_the_range(app: App, make_contract: MakeContract) -> None:
    app.contracts.create(make_contract("C-1"), actor="alice", reason="new")
    with pytest.raises(NotFoundError, match="no version 7; its versions are 1 to 1"):
        app.contracts.get_version("C-1", 7)


def test_list_filters_by_status(app: App, make_contract: MakeContract) -> None:
    app.contracts.create(make_contract("B"), actor="a", reason="r")
    app.contracts.create(make_contract("A", status="signed"), actor="a", reason="r")

    assert [s.contract.contract_key for s in app.contracts.all()] == ["A", "B"]
    signed = app.contracts.all(status=LifecycleStatus.SIGNED)
    assert [s.contract.contract_key for s in signed] == ["A"]


def test_documents_are_stored_once_by_content(app: App) -> None:
    first = app.documents.put(
        b"%PDF-1.7 same bytes", media_type="application/pdf", actor="a", name="a.pdf"
    )
    second = app.documents.put(
        b"%PDF-1.7 same bytes", media_type="application/pdf", actor="b", name="b.pdf"
    )

    assert first.created
    assert not second.created
    assert first.sha256 == second.sha256
    assert app.documents.count() == 1
    assert app.documents.get(first.sha256) == b"%PDF-1.7 same bytes"
    assert [e.action for e in app.audit.entries()] == ["document.stored"]
    with pytest.raises(NotFoundError, match="No document with SHA-256"):
        app.documents.get("0" * 64)
