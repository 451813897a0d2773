"""The delivery plan: desired records against what the org last confirmed. Pure.

A record is created when the org never confirmed it, updated when its snapshot differs
from the confirmed one, and left alone when equal (so a sync with no changes makes no
write). Records the org confirmed for these contracts that are no longer desired follow
their object's removal policy. An update leaves out the fields whose org value was
accepted in drift reconciliation, as long as contractsync still wants what it wanted then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from contractsync.mapping import DesiredRecord
from contractsync.mapping import Mapping as MappingSpec
from contractsync.store import ConfirmedRecord

from ._drift import kept_fields, org_fields


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    DEACTIVATE = "deactivate"


class Channel(StrEnum):
    REST = "rest"
    COLLECTIONS = "collections"
    BULK = "bulk"


BULK_THRESHOLD = 2000
"""Above this many records of one object in one run, Bulk API 2.0 beats collections
(Salesforce's own guidance, salesforce-api.md 5.3)."""


def choose_channel(records: int, *, bulk_threshold: int = BULK_THRESHOLD) -> Channel:
    """One record: a REST upsert; up to the threshold: collections of 200; above: Bulk 2.0."""
    if records <= 1:
        return Channel.REST
    if records <= bulk_threshold:
        return Channel.COLLECTIONS
    return Channel.BULK


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class PlannedWrite:
    action: Action
    record: DesiredRecord
    changes: tuple[FieldChange, ...] = ()
    kept: Mapping[str, Any] = field(default_factory=dict)
    """Fields left as the org holds them (an accepted drift), with the org's values."""


@dataclass(frozen=True, slots=True)
class PlannedRemoval:
    action: Action
    confirmed: ConfirmedRecord
    deactivate: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Plan:
    """What one sync would do in one org, object by object in delivery order."""

    org: str
    writes: tuple[PlannedWrite, ...]
    removals: tuple[PlannedRemoval, ...]
    unchanged: int
    conflicts: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.writes and not self.removals

    def by_object(self) -> list[tuple[str, list[PlannedWrite]]]:
        """Writes grouped by object mapping, parents first (the order they were planned in)."""
        groups: dict[str, list[PlannedWrite]] = {}
        for write in self.writes:
            groups.setdefault(write.record.object_name, []).append(write)
        return list(groups.items())

    def counts(self) -> dict[str, int]:
        counts = {action.value: 0 for action in Action}
        for action in [write.action for write in self.writes] + [r.action for r in self.removals]:
            counts[action.value] += 1
        counts["unchanged"] = self.unchanged
        return counts


def plan_sync(
    org: str,
    desired: Iterable[DesiredRecord],
    confirmed: Mapping[tuple[str, str], ConfirmedRecord],
    *,
    mapping: MappingSpec,
    contract_keys: Sequence[str],
) -> Plan:
    """The writes and removals that bring ``org`` to the desired records."""
    unique, conflicts = _deduplicate(desired)
    rank = {obj.name: index for index, obj in enumerate(mapping.in_delivery_order())}
    unique.sort(key=lambda record: (rank.get(record.object_name, len(rank)), record.contract_key))
    writes: list[PlannedWrite] = []
    unchanged = 0
    for record in unique:
        known = confirmed.get(record.identity)
        if known is None or not known.active:
            action = Action.CREATE if known is None else Action.UPDATE
            writes.append(PlannedWrite(action, record, _changes({}, record.snapshot())))
        elif known.fingerprint != record.fingerprint:
            snapshot = record.snapshot()
            kept = kept_fields(known.snapshot, snapshot)
            changes = _changes(org_fields(known.snapshot), {**snapshot, **kept})
            writes.append(PlannedWrite(Action.UPDATE, record, changes, kept))
        else:
            unchanged += 1
    wanted = {record.identity for record in unique}
    in_scope = set(contract_keys)
    removals: list[PlannedRemoval] = []
    for identity, known in sorted(confirmed.items()):
        if identity in wanted or not known.active or known.contract_key not in in_scope:
            continue
        policy = _policy(mapping, known.object_name)
        if policy is None or policy.on_remove == "keep":
            continue
        action = Action.DELETE if policy.on_remove == "delete" else Action.DEACTIVATE
        removals.append(PlannedRemoval(action, known, dict(policy.deactivate)))
    return Plan(org, tuple(writes), tuple(removals), unchanged, tuple(conflicts))


def _deduplicate(desired: Iterable[DesiredRecord]) -> tuple[list[DesiredRecord], list[str]]:
    """One record per (sObject, key): shared parents (an Account of several contracts) are
    sent once; if contracts disagree about them, the first contract (by key) wins, noted."""
    chosen: dict[tuple[str, str], DesiredRecord] = {}
    conflicts: list[str] = []
    for record in sorted(desired, key=lambda r: r.contract_key):
        previous = chosen.get(record.identity)
        if previous is None:
            chosen[record.identity] = record
        elif previous.fingerprint != record.fingerprint:
            conflicts.append(
                f"{record.sobject} {record.key}: contracts {previous.contract_key} and "
                f"{record.contract_key} disagree; {previous.contract_key}'s values are sent"
            )
    return list(chosen.values()), conflicts


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, before.get(name), after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    )


def _policy(mapping: MappingSpec, object_name: str) -> Any:
    for obj in mapping.objects:
        if obj.name == object_name:
            return obj
    return None
