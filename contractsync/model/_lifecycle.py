"""The contract lifecycle: its states, the legal moves between them, and the events they emit.

draft → in_review → signed → active → amended / renewed → expired / terminated.
A review can send a draft back; amendments and renewals can repeat; expired and terminated
are final (a lapsed contract comes back as a new contract, not by resurrection).
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from contractsync.errors import LifecycleError


class LifecycleStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    SIGNED = "signed"
    ACTIVE = "active"
    AMENDED = "amended"
    RENEWED = "renewed"
    EXPIRED = "expired"
    TERMINATED = "terminated"

    @property
    def is_final(self) -> bool:
        return not ALLOWED_TRANSITIONS[self]

    @property
    def is_in_force(self) -> bool:
        """Whether the contract binds the parties today (obligations and renewals run)."""
        return self in {LifecycleStatus.ACTIVE, LifecycleStatus.AMENDED, LifecycleStatus.RENEWED}


_S = LifecycleStatus
_IN_FORCE_NEXT = frozenset({_S.AMENDED, _S.RENEWED, _S.EXPIRED, _S.TERMINATED})

ALLOWED_TRANSITIONS: MappingProxyType[LifecycleStatus, frozenset[LifecycleStatus]] = (
    MappingProxyType(
        {
            _S.DRAFT: frozenset({_S.IN_REVIEW, _S.TERMINATED}),
            _S.IN_REVIEW: frozenset({_S.DRAFT, _S.SIGNED, _S.TERMINATED}),
            _S.SIGNED: frozenset({_S.ACTIVE, _S.TERMINATED}),
            _S.ACTIVE: _IN_FORCE_NEXT,
            _S.AMENDED: _IN_FORCE_NEXT,
            _S.RENEWED: _IN_FORCE_NEXT,
            _S.EXPIRED: frozenset(),
            _S.TERMINATED: frozenset(),
        }
    )
)
"""For each status, the statuses a contract may move to next."""

TRANSITION_EVENTS: MappingProxyType[LifecycleStatus, str] = MappingProxyType(
    {
        _S.DRAFT: "contract.returned_to_draft",
        _S.IN_REVIEW: "contract.submitted_for_review",
        _S.SIGNED: "contract.signed",
        _S.ACTIVE: "contract.activated",
        _S.AMENDED: "contract.amended",
        _S.RENEWED: "contract.renewed",
        _S.EXPIRED: "contract.expired",
        _S.TERMINATED: "contract.terminated",
    }
)
"""The lifecycle event emitted when a contract enters each status (automations react to it)."""


def check_transition(
    current: LifecycleStatus, target: LifecycleStatus, *, contract_key: str | None = None
) -> None:
    """Raise ``LifecycleError`` naming the allowed moves unless ``current → target`` is legal.

    Staying in the same status is not a transition and always passes, except that amending
    or renewing again is a real event and is allowed by the table itself.
    """
    if current == target and target not in ALLOWED_TRANSITIONS[current]:
        return
    if target in ALLOWED_TRANSITIONS[current]:
        return
    allowed = sorted(ALLOWED_TRANSITIONS[current])
    subject = f"Contract '{contract_key}'" if contract_key else "A contract"
    if allowed:
        options = ", ".join(allowed)
        fix = f"From '{current}' it may move to: {options}."
    else:
        fix = f"'{current}' is final; record a new contract instead."
    raise LifecycleError(
        f"{subject} cannot move from '{current}' to '{target}'. {fix}",
        contract_key=contract_key,
        current=str(current),
        target=str(target),
        allowed=[str(status) for status in allowed],
    )
