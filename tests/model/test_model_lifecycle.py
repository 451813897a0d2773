"""The lifecycle: every (from, to) pair is legal exactly when the transition table says so."""

from __future__ import annotations

import itertools
import pickle

import pytest

from contractsync.errors import LifecycleError
from contractsync.model import (
    ALLOWED_TRANSITIONS,
    TRANSITION_EVENTS,
    Contract,
    LifecycleStatus,
    check_transition,
)

S = LifecycleStatus

ALL_PAIRS = [
    pytest.param(current, target, id=f"{current}-to-{target}")
    for current, target in itertools.product(LifecycleStatus, repeat=2)
]


def _legal(current: LifecycleStatus, target: LifecycleStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[current] or current == target


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_check_transition_follows_the_table(
    current: LifecycleStatus, target: LifecycleStatus
) -> None:
    if _legal(current, target):
        check_transition(current, target, contract_key="C-1")
        return
    with pytest.raises(LifecycleError) as raised:
        check_transition(current, target, contract_key="C-1")
    error = raised.value
    message = str(error)
    assert message.startswith(f"Contract 'C-1' cannot move from '{current}' to '{target}'.")
    allowed = sorted(ALLOWED_TRANSITIONS[current])
    if allowed:
        assert f"From '{current}' it may move to: {', '.join(allowed)}." in message
    else:
        assert f"'{current}' is final; record a new contract instead." in message
    assert error.code == "illegal_transition"
    assert error.contract_key == "C-1"
    assert error.current == current.value
    assert error.target == target.value
    assert error.allowed == [status.value for status in allowed]


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_contract_with_status_follows_the_table(
    current: LifecycleStatus, target: LifecycleStatus
) -> None:
    contract = Contract(contract_key="C-1", title="A contract", status=current)
    if _legal(current, target):
        moved = contract.with_status(target)
        assert moved.status is target
        assert moved.model_dump(exclude={"status"}) == contract.model_dump(exclude={"status"})
        assert contract.status is current  # the original is untouched
        return
    with pytest.raises(LifecycleError, match=f"Contract 'C-1' cannot move from '{current}'"):
        contract.with_status(target)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        pytest.param(S.DRAFT, S.ACTIVE, "in_review, terminated", id="draft-skips-review"),
        pytest.param(S.SIGNED, S.DRAFT, "active, terminated", id="signed-back-to-draft"),
        pytest.param(
            S.ACTIVE, S.DRAFT, "amended, expired, renewed, terminated", id="active-to-draft"
        ),
    ],
)
def test_message_lists_the_allowed_next_statuses(
    current: LifecycleStatus, target: LifecycleStatus, allowed: str
) -> None:
    with pytest.raises(LifecycleError) as raised:
        check_transition(current, target)
    assert str(raised.value) == (
        f"A contract cannot move from '{current}' to '{target}'. "
        f"From '{current}' it may move to: {allowed}."
    )
    assert "contract_key" not in raised.value.context


@pytest.mark.parametrize("final", [S.EXPIRED, S.TERMINATED])
def test_final_statuses_say_so(final: LifecycleStatus) -> None:
    assert final.is_final
    with pytest.raises(LifecycleError, match=f"'{final}' is final; record a new contract"):
        check_transition(final, S.ACTIVE)


@pytest.mark.parametrize(
    "status", [pytest.param(status, id=str(status)) for status in LifecycleStatus]
)
def test_status_properties(status: LifecycleStatus) -> None:
    assert status.is_final is (status in {S.EXPIRED, S.TERMINATED})
    assert status.is_in_force is (status in {S.ACTIVE, S.AMENDED, S.RENEWED})


def test_every_status_has_a_table_row_and_an_event() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(LifecycleStatus)
    assert set(TRANSITION_EVENTS) == set(LifecycleStatus)
    assert len(set(TRANSITION_EVENTS.values())) == len(LifecycleStatus)
    assert all(event.startswith("contract.") for event in TRANSITION_EVENTS.values())


def test_every_status_is_reachable_from_draft() -> None:
    reached = {S.DRAFT}
    frontier = [S.DRAFT]
    while frontier:
        for target in ALLOWED_TRANSITIONS[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(LifecycleStatus)


def test_transition_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        ALLOWED_TRANSITIONS[S.EXPIRED] = frozenset({S.ACTIVE})  # type: ignore[index]


def test_lifecycle_error_survives_pickling() -> None:
    with pytest.raises(LifecycleError) as raised:
        check_transition(S.EXPIRED, S.ACTIVE, contract_key="C-9")
    copy = pickle.loads(pickle.dumps(raised.value))  # noqa: S301 - our own bytes
    assert type(copy) is LifecycleError
    assert str(copy) == str(raised.value)
    assert copy.context == raised.value.context
