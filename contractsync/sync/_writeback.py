"""Writing values taken from Salesforce into contracts, as new versions by ``salesforce:<org>``.

Shared by inbound sync and by reconciliation's ``accept``. All the values for one contract
become one new version (optimistic concurrency: a version written meanwhile is re-read and
the change applied again once). A value the contract cannot take (an illegal status move,
a value the model refuses, one an amendment overrides) is refused with the reason, and the
caller parks or reports it; nothing is half-applied.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contractsync.context import App
from contractsync.errors import ConcurrencyError, LifecycleError, ModelError
from contractsync.mapping import NotRepresentable
from contractsync.store import ConfirmedRecord

from ._backmap import WriteBack, canonical_value, round_trips, sent_value, with_value
from ._drift import ACCEPTED, fingerprint_of, patched, with_accepted

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IncomingValue:
    """A field value read from the org, for a record contractsync confirmed."""

    record: ConfirmedRecord
    back: WriteBack
    theirs: Any
    changed_at: datetime | None = None


@dataclass(slots=True)
class WriteBackOutcome:
    applied: list[tuple[IncomingValue, Any]] = field(default_factory=list)
    """Each applied value with what the contract now sends for it (the snapshot value)."""
    refused: list[tuple[IncomingValue, str]] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    """Contract key → the version the values are in."""


def write_back(
    app: App, org: str, values: Sequence[IncomingValue], *, reason: str, now: datetime
) -> WriteBackOutcome:
    """Apply ``values`` to their contracts: one new version per contract."""
    outcome = WriteBackOutcome()
    by_contract: dict[str, list[IncomingValue]] = {}
    for value in values:
        by_contract.setdefault(value.record.contract_key, []).append(value)
    for contract_key, items in sorted(by_contract.items()):
        _apply_to_contract(app, org, contract_key, items, reason=reason, now=now, into=outcome)
    return outcome


def _apply_to_contract(
    app: App,
    org: str,
    contract_key: str,
    items: list[IncomingValue],
    *,
    reason: str,
    now: datetime,
    into: WriteBackOutcome,
) -> None:
    today = now.date()
    for attempt in (1, 2):
        stored = app.contracts.find(contract_key)
        if stored is None:
            into.refused.extend((item, "the contract is no longer in the store") for item in items)
            return
        contract = stored.contract
        taken: list[IncomingValue] = []
        refused: list[tuple[IncomingValue, str]] = []
        for item in items:
            try:
                value = canonical_value(item.back, item.theirs, contract, today=today)
                candidate = with_value(contract, item.back.path, value, org=org, at=now)
            except (NotRepresentable, ModelError) as problem:
                refused.append((item, _why(problem)))
                continue
            if not round_trips(item.back, candidate, item.theirs, today=today):
                why = f"{item.back.path} would still send another value (an amendment decides it)"
                refused.append((item, why))
                continue
            contract = candidate
            taken.append(item)
        if not taken:
            into.refused.extend(refused)
            return
        fields = ", ".join(sorted({item.back.field for item in taken}))
        try:
            written = app.contracts.update(
                contract,
                expected_version=stored.version,
                actor=f"salesforce:{org}",
                reason=f"{reason}: {fields}",
            )
        except ConcurrencyError:
            if attempt == 1:
                log.info("contract changed meanwhile; applying again contract=%s", contract_key)
                continue
            into.refused.extend((item, "the contract kept changing meanwhile") for item in items)
            return
        except (LifecycleError, ModelError) as problem:
            into.refused.extend((item, _why(problem)) for item in taken)
            into.refused.extend(refused)
            return
        into.refused.extend(refused)
        into.versions[contract_key] = written.stored.version
        into.applied.extend(
            (item, sent_value(item.back, written.stored.contract, today=today)) for item in taken
        )
        return


def amend_state(
    app: App,
    org: str,
    record: ConfirmedRecord,
    *,
    held: Mapping[str, Any],
    counted: Mapping[str, Any],
    accepted: Mapping[str, Any] | None = None,
    actor: str,
    action: str,
    details: Mapping[str, Any],
) -> None:
    """Record what the org now holds for ``record``.

    ``held`` values enter the snapshot, so they no longer show as drift. ``counted`` ones
    enter the fingerprint too, which the next sync compares with the contract's desired
    record: values applied to the contract are counted (the contract now wants them, so
    nothing is written back), values contractsync keeps are counted (they differ from
    what it wants, so the next sync writes its own value back), and values accepted
    without a canonical field are not (the next sync leaves them alone).

    ``accepted`` names those last ones with the value contractsync wanted instead: later
    syncs leave the field out of their writes until contractsync wants something else.
    A counted value ends an earlier acceptance of its field.
    """
    earlier = record.snapshot.get(ACCEPTED)
    still = {
        name: wanted
        for name, wanted in (earlier.items() if isinstance(earlier, Mapping) else ())
        if name not in counted
    }
    app.sync_state.amend(
        org,
        record,
        snapshot=with_accepted(record.snapshot, {**still, **(accepted or {})}, theirs=held),
        fingerprint=(
            fingerprint_of(patched(record.snapshot, counted)) if counted else record.fingerprint
        ),
        actor=actor,
        action=action,
        details=details,
    )


def _why(problem: Exception) -> str:
    message = getattr(problem, "message", None) or str(problem)
    return str(message)
