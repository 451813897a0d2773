"""Planned writes as plain JSON, so durable workflow steps can checkpoint them."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from contractsync.mapping import DesiredRecord, LookupRef

from ._drift import with_accepted
from ._plan import Plan, PlannedRemoval, PlannedWrite


class WriteItem(TypedDict):
    object_name: str
    sobject: str
    external_id_field: str
    key: str
    contract_key: str
    action: str
    body: dict[str, Any]
    owner: list[str] | None
    create_with: dict[str, Any]
    snapshot: dict[str, Any]
    fingerprint: str
    parents: list[list[str]]
    lookups: NotRequired[dict[str, LookupItem]]
    """Reference field → the existing record to find for it (``_lookups``)."""


class OnDemandRecord(TypedDict):
    """A record created only when a lookup finds nothing (``missing: create``)."""

    object_name: str
    sobject: str
    external_id_field: str
    key: str
    contract_key: str
    body: dict[str, Any]
    snapshot: dict[str, Any]
    fingerprint: str


class LookupItem(TypedDict):
    sobject: str
    match: list[list[str]] | None
    compare: str
    ties: str
    missing: str
    create: OnDemandRecord | None


class RemovalItem(TypedDict):
    action: str
    object_name: str
    sobject: str
    external_id_field: str
    key: str
    contract_key: str
    sf_id: str | None
    deactivate: dict[str, Any]
    snapshot: dict[str, Any]


def write_item(write: PlannedWrite, parent_sobjects: dict[str, str]) -> WriteItem:
    record = write.record
    wanted = record.snapshot()
    kept = write.kept
    return WriteItem(
        object_name=record.object_name,
        sobject=record.sobject,
        external_id_field=record.external_id_field,
        key=record.key,
        contract_key=record.contract_key,
        action=write.action.value,
        body={name: value for name, value in record.body().items() if name not in kept},
        owner=list(record.owner) if record.owner and "Owner" not in kept else None,
        create_with=dict(record.create_with),
        # The fingerprint stays the desired one, so the next run sees nothing to send.
        snapshot=with_accepted(wanted, {name: wanted[name] for name in kept}, theirs=kept),
        fingerprint=record.fingerprint,
        parents=[
            [parent_sobjects[parent.object_name], parent.key]
            for parent in record.references.values()
        ],
        lookups={name: _lookup_item(ref) for name, ref in record.lookups.items()},
    )


def _lookup_item(ref: LookupRef) -> LookupItem:
    return LookupItem(
        sobject=ref.sobject,
        match=[list(pair) for pair in ref.match] if ref.match is not None else None,
        compare=ref.compare,
        ties=ref.ties,
        missing=ref.missing,
        create=_on_demand(ref.create) if ref.create is not None else None,
    )


def _on_demand(record: DesiredRecord) -> OnDemandRecord:
    return OnDemandRecord(
        object_name=record.object_name,
        sobject=record.sobject,
        external_id_field=record.external_id_field,
        key=record.key,
        contract_key=record.contract_key,
        body=record.body(),
        snapshot=record.snapshot(),
        fingerprint=record.fingerprint,
    )


def removal_item(removal: PlannedRemoval, external_id_fields: dict[str, str]) -> RemovalItem:
    known = removal.confirmed
    return RemovalItem(
        action=removal.action.value,
        object_name=known.object_name,
        sobject=known.sobject,
        external_id_field=external_id_fields.get(known.object_name, ""),
        key=known.external_key,
        contract_key=known.contract_key,
        sf_id=known.sf_id,
        deactivate=dict(removal.deactivate),
        snapshot=dict(known.snapshot),
    )


def plan_items(
    plan: Plan, parent_sobjects: dict[str, str], external_id_fields: dict[str, str]
) -> tuple[list[tuple[str, list[WriteItem]]], list[RemovalItem]]:
    """The plan's writes grouped by object in delivery order, and its removals."""
    groups = [
        (object_name, [write_item(write, parent_sobjects) for write in writes])
        for object_name, writes in plan.by_object()
    ]
    removals = [removal_item(removal, external_id_fields) for removal in plan.removals]
    return groups, removals
