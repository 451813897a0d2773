"""Drift and reconciliation: what changed in an org since contractsync last wrote it.

Every record the org confirmed is read back by external key and each field compared with
the confirmed snapshot. A drifted field is restored (contractsync's value upserted back),
accepted (Salesforce's value taken into the contract as a new version by
``salesforce:<org>``, or, for a field with no canonical counterpart, into the sync state
so it no longer shows as drift), or parked for a person, by the policy given or, without
one, by the field's ``inbound`` policy in the mapping (see ``reconcile_decision``).
Records deleted in the org are reported and, under ``restore``, created again.

Reconciliation is idempotent: every write is an upsert by external key, and a run that
stops half-way is finished by running it again (it finds only what is still drifted).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from contractsync.context import App
from contractsync.mapping import Mapping as MappingSpec
from contractsync.mapping import ObjectMapping
from contractsync.salesforce import OrgClient
from contractsync.store import ConfirmedRecord, InboundRepository

from ._backmap import OWNER, write_backs
from ._conflict import Decision, ReconcilePolicy, reconcile_decision
from ._deliver import deliver_chunk
from ._drift import (
    ACCEPTED,
    FieldDrift,
    org_fields,
    parse_instant,
    record_drift,
    select_fields,
    with_accepted,
)
from ._items import WriteItem
from ._owners import owner_ids
from ._readback import read_by_keys
from ._run import org_registry
from ._writeback import IncomingValue, amend_state, write_back

DELETED = "(deleted)"
"""The field name a finding has when the whole record is gone from the org."""


@dataclass(frozen=True, slots=True)
class RecordDrift:
    """One confirmed record and how the org's copy differs from it."""

    record: ConfirmedRecord
    fields: tuple[FieldDrift, ...] = ()
    deleted: bool = False
    changed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DriftFinding:
    """One drifted field (or deleted record), what was decided, and what came of it."""

    contract_key: str
    sobject: str
    key: str
    field: str
    ours: Any
    theirs: Any
    decision: str
    """``restore``, ``accept``, ``park``, or ``report`` (a deletion under ``accept``)."""
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    org: str
    checked: int
    findings: tuple[DriftFinding, ...] = field(default_factory=tuple)
    dry_run: bool = False

    @property
    def drifted_records(self) -> int:
        return len({(finding.sobject, finding.key) for finding in self.findings})


def detect_drift(
    app: App, org: str, *, contract_keys: Sequence[str] | None = None
) -> tuple[int, list[RecordDrift]]:
    """How many active confirmed records were read back, and those that drifted."""
    registry = org_registry(app)
    client, mapping = registry.client(org), registry.mapping(org)
    confirmed = app.sync_state.confirmed(org, contract_keys=contract_keys)
    active = [record for record in confirmed.values() if record.active]
    drifted: list[RecordDrift] = []
    for obj, records in _by_object(mapping, active):
        rows = read_by_keys(
            client,
            obj.sobject,
            obj.external_id,
            [record.external_key for record in records],
            select_fields(record.snapshot for record in records),
        )
        for record in records:
            row = rows.get(record.external_key)
            if row is None:
                drifted.append(RecordDrift(record, deleted=True))
                continue
            changes = record_drift(record.snapshot, row)
            if changes:
                stamp = parse_instant(row.get("SystemModstamp"))
                drifted.append(RecordDrift(record, changes, changed_at=stamp))
    return len(active), drifted


def reconcile(
    app: App,
    org: str,
    *,
    policy: ReconcilePolicy | None = None,
    dry_run: bool = False,
    contract_keys: Sequence[str] | None = None,
    now: datetime | None = None,
) -> ReconcileReport:
    """Find drift in ``org`` and restore, accept or park each drifted field."""
    now = now or datetime.now(UTC)
    registry = org_registry(app)
    mapping = registry.mapping(org)
    checked, drifted = detect_drift(app, org, contract_keys=contract_keys)
    plan = _Plan()
    for drift in drifted:
        _decide(app, mapping.object(drift.record.object_name), drift, policy, plan)
    if dry_run:
        findings = [replace(f, outcome=f"would {f.decision}") for f in plan.findings]
        return ReconcileReport(org, checked, tuple(findings), dry_run=True)
    outcomes: dict[tuple[str, str, str], str] = {}
    run_id = _run_id(org, now)
    outcomes.update(_restore(app, org, registry.client(org), mapping, plan.restore, run_id=run_id))
    outcomes.update(_accept(app, org, plan, now=now))
    outcomes.update(_park(app, org, plan.park))
    findings = [
        replace(f, outcome=outcomes.get((f.sobject, f.key, f.field), f.outcome))
        for f in plan.findings
    ]
    return ReconcileReport(org, checked, tuple(findings))


@dataclass(slots=True)
class _Plan:
    findings: list[DriftFinding] = field(default_factory=list)
    restore: list[tuple[RecordDrift, list[str]]] = field(default_factory=list)
    accept: list[IncomingValue] = field(default_factory=list)
    accept_as_held: list[tuple[ConfirmedRecord, FieldDrift]] = field(default_factory=list)
    park: list[tuple[ConfirmedRecord, FieldDrift, str | None]] = field(default_factory=list)


def _decide(
    app: App,
    obj: ObjectMapping,
    drift: RecordDrift,
    policy: ReconcilePolicy | None,
    plan: _Plan,
) -> None:
    record = drift.record
    if drift.deleted:
        decision = "report" if policy == "accept" else "restore"
        outcome = "" if decision == "restore" else "left deleted; restore with --policy restore"
        plan.findings.append(
            DriftFinding(record.contract_key, record.sobject, record.external_key, DELETED,
                         "exists", None, decision, outcome)
        )  # fmt: skip
        if decision == "restore":
            plan.restore.append((drift, []))
        return
    backs = write_backs(obj)
    stored = app.contracts.find(record.contract_key)
    contract_changed_at = stored.updated_at if stored else datetime.min.replace(tzinfo=UTC)
    restore: list[str] = []
    for change in drift.fields:
        back = backs.get(change.field)
        decision = reconcile_decision(
            back.policy if back else None,
            policy,
            salesforce_changed_at=drift.changed_at,
            contract_changed_at=contract_changed_at,
        )
        if decision is Decision.KEEP:
            restore.append(change.field)
        elif decision is Decision.PARK:
            plan.park.append((record, change, back.path if back else None))
        elif back is not None:
            plan.accept.append(IncomingValue(record, back, change.theirs, drift.changed_at))
        else:
            plan.accept_as_held.append((record, change))
        name = {Decision.KEEP: "restore", Decision.APPLY: "accept", Decision.PARK: "park"}
        plan.findings.append(
            DriftFinding(record.contract_key, record.sobject, record.external_key, change.field,
                         change.ours, change.theirs, name[decision])
        )  # fmt: skip
    if restore:
        plan.restore.append((drift, restore))


def _restore(
    app: App,
    org: str,
    client: OrgClient,
    mapping: MappingSpec,
    restores: list[tuple[RecordDrift, list[str]]],
    *,
    run_id: str,
) -> dict[tuple[str, str, str], str]:
    """Upsert contractsync's confirmed values back (whole records for deleted ones)."""
    outcomes: dict[tuple[str, str, str], str] = {}
    rank = {obj.name: index for index, obj in enumerate(mapping.in_delivery_order())}
    restores = sorted(restores, key=lambda item: rank.get(item[0].record.object_name, 0))
    items = [_restore_item(mapping.object(drift.record.object_name), drift, names)
             for drift, names in restores]  # fmt: skip
    owners = owner_ids(client, items)
    fields_of = {(d.record.sobject, d.record.external_key): n for d, n in restores}
    for sobject in dict.fromkeys(item["sobject"] for item in items):
        group = [item for item in items if item["sobject"] == sobject]
        for start in range(0, len(group), 200):
            outcome = deliver_chunk(client, group[start : start + 200], owners)
            confirmations = [{**row, "action": "restored"} for row in outcome.confirmations]
            if confirmations:
                app.sync_state.confirm(
                    org, confirmations, actor=app.actor, run_id=run_id, audit_prefix="reconcile"
                )
            if outcome.dead_letters:
                app.dead_letters.park(org, outcome.dead_letters, actor=app.actor, run_id=run_id)
            for row in confirmations:
                for name in fields_of[(sobject, row["external_key"])] or [DELETED]:
                    outcomes[(sobject, row["external_key"], name)] = "restored"
            for letter in outcome.dead_letters:
                for name in fields_of[(sobject, letter["external_key"])] or [DELETED]:
                    outcomes[(sobject, letter["external_key"], name)] = (
                        f"not restored: {letter['error_code']} (see contractsync dlq list)"
                    )
            for key in outcome.deferred:
                for name in fields_of[(sobject, key)] or [DELETED]:
                    outcomes[(sobject, key, name)] = "not restored: org busy; run again"
    return outcomes


def _restore_item(obj: ObjectMapping, drift: RecordDrift, names: list[str]) -> WriteItem:
    record = drift.record
    # Restoring a field whose org value had been accepted restores what contractsync
    # wants, and ends the acceptance.
    accepted = dict(record.snapshot.get(ACCEPTED) or {})
    wanted = set(org_fields(record.snapshot)) if drift.deleted else set(names)
    ended = {name: accepted.pop(name) for name in sorted(wanted & set(accepted))}
    fields = {**org_fields(record.snapshot), **ended}
    snapshot = with_accepted(fields, accepted, theirs={})
    body = {name: value for name, value in fields.items() if name in wanted and name != OWNER}
    owner = fields.get(OWNER) if OWNER in wanted else None
    owner_pair = [*next(iter(owner.items()))] if isinstance(owner, dict) and owner else None
    return WriteItem(
        object_name=record.object_name,
        sobject=record.sobject,
        external_id_field=obj.external_id,
        key=record.external_key,
        contract_key=record.contract_key,
        action="create" if drift.deleted else "update",
        body=body,
        owner=[str(part) for part in owner_pair] if owner_pair else None,
        create_with=dict(obj.create_with),
        snapshot=snapshot,
        fingerprint=record.fingerprint,
        parents=[],
    )


def _accept(app: App, org: str, plan: _Plan, *, now: datetime) -> dict[tuple[str, str, str], str]:
    """Take Salesforce's values: into contracts where they map back, else into the state."""
    outcomes: dict[tuple[str, str, str], str] = {}
    written = write_back(
        app, org, plan.accept, reason=f"accepted from Salesforce org '{org}' by {app.actor}",
        now=now,
    )  # fmt: skip
    held: dict[tuple[str, str], dict[str, Any]] = {}
    counted: dict[tuple[str, str], dict[str, Any]] = {}
    accepted: dict[tuple[str, str], dict[str, Any]] = {}
    records: dict[tuple[str, str], ConfirmedRecord] = {}
    for item, sent in written.applied:
        identity = (item.record.sobject, item.record.external_key)
        records[identity] = item.record
        held.setdefault(identity, {})[item.back.field] = sent
        counted.setdefault(identity, {})[item.back.field] = sent
        version = written.versions[item.record.contract_key]
        outcomes[(*identity, item.back.field)] = f"accepted into the contract (version {version})"
    for item, why in written.refused:
        outcomes[(item.record.sobject, item.record.external_key, item.back.field)] = (
            f"not accepted: {why}"
        )
    for record, change in plan.accept_as_held:
        identity = (record.sobject, record.external_key)
        records[identity] = record
        held.setdefault(identity, {})[change.field] = change.theirs
        accepted.setdefault(identity, {})[change.field] = _wanted(record, change)
        outcomes[(*identity, change.field)] = "accepted into the sync state"
    for identity, record in sorted(records.items()):
        amend_state(
            app, org, record, held=held[identity], counted=counted.get(identity, {}),
            accepted=accepted.get(identity, {}), actor=app.actor, action="reconcile.accepted",
            details={"fields": held[identity], "from": f"salesforce:{org}"},
        )  # fmt: skip
    return outcomes


def _wanted(record: ConfirmedRecord, change: FieldDrift) -> Any:
    """What contractsync wanted for a field whose org value is accepted: the value it sent,
    or, when an earlier acceptance already stands in the snapshot, what it wanted then."""
    earlier = record.snapshot.get(ACCEPTED)
    if isinstance(earlier, dict) and change.field in earlier:
        return earlier[change.field]
    return change.ours


def _park(
    app: App, org: str, parked: list[tuple[ConfirmedRecord, FieldDrift, str | None]]
) -> dict[tuple[str, str, str], str]:
    changes = [
        {
            "sobject": record.sobject,
            "external_key": record.external_key,
            "contract_key": record.contract_key,
            "field": change.field,
            "path": path,
            "salesforce_value": change.theirs,
            "contractsync_value": change.ours,
            "policy": "manual",
            "reason": "changed in Salesforce; the mapping leaves this field to a person",
        }
        for record, change, path in parked
    ]
    if changes:
        InboundRepository(app.database, app.audit).park(org, changes, actor=app.actor)
    return {
        (record.sobject, record.external_key, change.field): "parked for a person"
        for record, change, _ in parked
    }


def _by_object(
    mapping: MappingSpec, records: list[ConfirmedRecord]
) -> list[tuple[ObjectMapping, list[ConfirmedRecord]]]:
    known = {obj.name: obj for obj in mapping.objects}
    groups: dict[str, list[ConfirmedRecord]] = {}
    for record in sorted(records, key=lambda r: (r.object_name, r.external_key)):
        if record.object_name in known:  # an object the mapping dropped is not ours to check
            groups.setdefault(record.object_name, []).append(record)
    return [(known[name], groups[name]) for name in groups]


def _run_id(org: str, now: datetime) -> str:
    digest = hashlib.sha256(f"{org}|{now.isoformat()}".encode()).hexdigest()
    return f"reconcile:{org}:{digest[:20]}"
