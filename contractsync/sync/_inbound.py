"""Inbound sync: changes people make in Salesforce flow back into the contracts.

For every object whose mapping marks fields ``inbound``, the org is polled for records
changed since a stored watermark (``SystemModstamp``, re-reading an overlap window and
skipping ``Id@SystemModstamp`` pairs already handled, salesforce-api.md 6.3). A field whose
value equals the confirmed snapshot is contractsync's own write coming back (an echo) and
is skipped; so is one that already equals what the contract sends. Every other change
follows the field's conflict policy (``inbound_decision``): applied to the contract as a
new version by ``salesforce:<org>``, kept out (the next sync writes contractsync's value
back), or parked for a person. Applied and kept values are recorded in the confirmed
snapshot, so the next outbound sync neither echoes an applied value back nor misses a
value it must restore.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from contractsync.context import App
from contractsync.mapping import ObjectMapping
from contractsync.store import ConfirmedRecord, InboundRepository, Watermark

from ._backmap import OWNER, WriteBack, sent_value, write_backs
from ._conflict import Decision, inbound_decision
from ._drift import org_value, parse_instant, same_value, select_fields
from ._readback import read_changed
from ._run import org_registry
from ._writeback import IncomingValue, amend_state, write_back

log = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=2)
"""How far before the watermark each poll reads again: commit order is not timestamp order
for long transactions (salesforce-api.md 6.3)."""


@dataclass(frozen=True, slots=True)
class InboundChange:
    """One field changed in Salesforce and what inbound sync did with it."""

    contract_key: str
    sobject: str
    key: str
    field: str
    path: str
    ours: Any
    theirs: Any
    policy: str
    outcome: str
    """``applied``, ``kept`` (contractsync's value is written back), ``parked``, or
    ``refused: <why>`` (parked too)."""


@dataclass(frozen=True, slots=True)
class InboundReport:
    org: str
    read: int = 0
    """Changed records read from the org (after skipping those already handled)."""
    echoes: int = 0
    """Changed records whose inbound fields were contractsync's own values."""
    changes: tuple[InboundChange, ...] = ()


def poll_inbound(
    app: App, org: str, *, now: datetime | None = None, overlap: timedelta = OVERLAP
) -> InboundReport:
    """Read what changed in ``org`` since the last poll and apply it by policy."""
    now = now or datetime.now(UTC)
    registry = org_registry(app)
    mapping = registry.mapping(org)
    repository = InboundRepository(app.database, app.audit)
    read, echoes = 0, 0
    changes: list[InboundChange] = []
    for obj in mapping.in_delivery_order():
        if not obj.inbound_fields():
            continue
        polled = _poll_object(app, org, obj, repository, now=now, overlap=overlap)
        read += polled.read
        echoes += polled.echoes
        changes.extend(polled.changes)
    return InboundReport(org, read, echoes, tuple(changes))


@dataclass(slots=True)
class _Found:
    record: ConfirmedRecord
    back: WriteBack
    ours: Any
    theirs: Any
    changed_at: datetime | None


@dataclass(slots=True)
class _Sorted:
    apply: list[_Found] = field(default_factory=list)
    keep: list[_Found] = field(default_factory=list)
    park: list[tuple[_Found, str]] = field(default_factory=list)


def _poll_object(
    app: App,
    org: str,
    obj: ObjectMapping,
    repository: InboundRepository,
    *,
    now: datetime,
    overlap: timedelta,
) -> InboundReport:
    backs = {name: back for name, back in write_backs(obj).items() if back.policy is not None}
    mark = repository.watermark(org, obj.sobject)
    since = mark.at - overlap if mark is not None else None
    likes = [{name: {"Email": None}} if name == OWNER else {name: None} for name in backs]
    rows = read_changed(
        org_registry(app).client(org), obj.sobject, obj.external_id, select_fields(likes), since
    )
    seen = mark.seen if mark is not None else frozenset()
    fresh = [row for row in rows if _token(row) not in seen]
    confirmed = app.sync_state.confirmed(
        org, contract_keys=None if len(fresh) > 500 else _contract_keys(app, org, obj, fresh)
    )
    found = _Sorted()
    echoes = 0
    for row in fresh:
        record = confirmed.get((obj.sobject, str(row[obj.external_id])))
        if record is None or not record.active:
            continue  # not a record contractsync wrote
        before = len(found.apply) + len(found.keep) + len(found.park)
        _sort_row(app, record, backs, row, found, now=now)
        if len(found.apply) + len(found.keep) + len(found.park) == before:
            echoes += 1
    changes = _act(app, org, found, now=now)
    _advance(repository, org, obj.sobject, mark=mark, rows=rows, overlap=overlap)
    return InboundReport(org, len(fresh), echoes, tuple(changes))


def _sort_row(
    app: App,
    record: ConfirmedRecord,
    backs: dict[str, WriteBack],
    row: dict[str, Any],
    into: _Sorted,
    *,
    now: datetime,
) -> None:
    stored = app.contracts.find(record.contract_key)
    if stored is None:
        return
    changed_at = parse_instant(row.get("SystemModstamp"))
    for name, back in sorted(backs.items()):
        ours = record.snapshot.get(name)
        like = ours if ours is not None else ({"Email": None} if name == OWNER else None)
        theirs = org_value(row, name, like)
        if same_value(ours, theirs):
            continue  # contractsync's own value: an echo of its write, or nothing changed
        if same_value(sent_value(back, stored.contract, today=now.date()), theirs):
            continue  # already what the contract sends (a write not yet confirmed)
        item = _Found(record, back, ours, theirs, changed_at)
        if back.policy is None:  # write_backs were filtered to inbound fields
            continue
        decision = inbound_decision(
            back.policy, salesforce_changed_at=changed_at, contract_changed_at=stored.updated_at
        )
        if decision is Decision.APPLY:
            into.apply.append(item)
        elif decision is Decision.KEEP:
            into.keep.append(item)
        else:
            into.park.append((item, "the mapping leaves this field to a person"))


def _act(app: App, org: str, found: _Sorted, *, now: datetime) -> list[InboundChange]:
    actor = f"salesforce:{org}"
    written = write_back(
        app,
        org,
        [IncomingValue(f.record, f.back, f.theirs, f.changed_at) for f in found.apply],
        reason=f"changed in Salesforce org '{org}'",
        now=now,
    )
    by_identity = {(f.record.sobject, f.record.external_key, f.back.field): f for f in found.apply}
    outcomes: dict[tuple[str, str, str], str] = {}
    held: dict[tuple[str, str], dict[str, Any]] = {}
    records: dict[tuple[str, str], ConfirmedRecord] = {}
    for item, sent in written.applied:
        identity = (item.record.sobject, item.record.external_key)
        records[identity] = item.record
        held.setdefault(identity, {})[item.back.field] = sent
        outcomes[(*identity, item.back.field)] = "applied"
    for item, why in written.refused:
        found.park.append((by_identity[(item.record.sobject, item.record.external_key,
                                        item.back.field)], why))  # fmt: skip
        outcomes[(item.record.sobject, item.record.external_key, item.back.field)] = (
            f"refused: {why}"
        )
    for f in found.keep:
        identity = (f.record.sobject, f.record.external_key)
        records[identity] = f.record
        held.setdefault(identity, {})[f.back.field] = f.theirs
        outcomes[(*identity, f.back.field)] = "kept"
    for identity, record in sorted(records.items()):
        fields = held[identity]
        applied = sorted(n for n in fields if outcomes[(*identity, n)] == "applied")
        kept = sorted(n for n in fields if outcomes[(*identity, n)] == "kept")
        action = "inbound.applied" if applied else "inbound.kept"
        amend_state(
            app, org, record, held=fields, counted=fields, actor=actor, action=action,
            details={"applied": applied, "kept": kept, "values": fields,
                     "version": written.versions.get(record.contract_key)},
        )  # fmt: skip
    _park(app, org, found.park)
    for f, _ in found.park:
        outcomes.setdefault((f.record.sobject, f.record.external_key, f.back.field), "parked")
    every = [*found.apply, *found.keep, *(f for f, _ in found.park)]
    unique = {(f.record.sobject, f.record.external_key, f.back.field): f for f in every}
    return [
        InboundChange(f.record.contract_key, f.record.sobject, f.record.external_key,
                      f.back.field, f.back.path, f.ours, f.theirs, str(f.back.policy),
                      outcomes[identity])
        for identity, f in sorted(unique.items())
    ]  # fmt: skip


def _park(app: App, org: str, parked: list[tuple[_Found, str]]) -> None:
    if not parked:
        return
    InboundRepository(app.database, app.audit).park(
        org,
        [
            {
                "sobject": f.record.sobject,
                "external_key": f.record.external_key,
                "contract_key": f.record.contract_key,
                "field": f.back.field,
                "path": f.back.path,
                "salesforce_value": f.theirs,
                "contractsync_value": f.ours,
                "changed_at": f.changed_at,
                "policy": str(f.back.policy),
                "reason": why,
            }
            for f, why in parked
        ],
        actor=f"salesforce:{org}",
    )


def _advance(
    repository: InboundRepository,
    org: str,
    sobject: str,
    *,
    mark: Watermark | None,
    rows: list[dict[str, Any]],
    overlap: timedelta,
) -> None:
    """Move the watermark to the newest change read, remembering the overlap's changes."""
    stamps = [(parse_instant(row.get("SystemModstamp")), _token(row)) for row in rows]
    newest = max((at for at, _ in stamps if at is not None), default=None)
    if newest is None:
        return
    if mark is not None and mark.at > newest:
        newest = mark.at
    window = newest - overlap
    seen = {token for at, token in stamps if at is not None and at > window}
    if mark is not None:
        seen |= {token for token in mark.seen if _stamp_of(token) > window}
    repository.advance(org, sobject, Watermark(newest, frozenset(seen)))


def _token(row: dict[str, Any]) -> str:
    return f"{row.get('Id')}@{row.get('SystemModstamp')}"


def _stamp_of(token: str) -> datetime:
    return parse_instant(token.partition("@")[2]) or datetime.min.replace(tzinfo=UTC)


def _contract_keys(
    app: App, org: str, obj: ObjectMapping, rows: list[dict[str, Any]]
) -> list[str] | None:
    """The contracts the changed rows belong to, when their keys say so (Contract rows are
    keyed by contract key); None (read every confirmed record) otherwise."""
    if obj.key != "{contract_key}":
        return None
    return sorted({str(row[obj.external_id]) for row in rows})
