"""Delivering planned writes to an org and sorting the outcomes.

A chunk of writes of one object goes out as one REST upsert (one record) or sObject
collections of up to 200. A collection refused as a whole (a malformed record can fail
the entire call) is split in halves and retried, down to single records, so one bad
record cannot sink the others. New records that must be created in a particular state
(Contract: Draft) are created so, then moved to the desired values. Lookups of existing
records are resolved first (``_lookups``); fields the org stopped accepting mid-run are
quarantined and the records sent again without them (``_quarantine``).
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from contractsync.errors import PermanentSyncError, RecordRejected
from contractsync.salesforce import (
    COLLECTION_LIMIT,
    JOB_CALLS,
    Disposition,
    FieldError,
    OrgClient,
    RecordResult,
    classify,
)
from contractsync.store import canonical_json

from ._items import OnDemandRecord, RemovalItem, WriteItem
from ._lookups import Resolved, resolve_lookups
from ._quarantine import DRIFT_CODES, drift_refused, drifted_fields

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ChunkOutcome:
    """What happened to one chunk: rows to confirm, letters to park, and the rest."""

    confirmations: list[dict[str, Any]] = field(default_factory=list)
    dead_letters: list[dict[str, Any]] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    """Keys that still failed for transient reasons after every retry: next run retries."""
    failed: list[list[str]] = field(default_factory=list)
    """(sObject, key) of every record not delivered, so its children wait."""
    created: int = 0
    updated: int = 0
    quarantined: dict[str, dict[str, str]] = field(default_factory=dict)
    """sObject → {field: reason} this chunk found the org no longer accepts."""
    incomplete: list[str] = field(default_factory=list)
    """Keys delivered without a field whose lookup found nothing (``missing: skip-field``)."""


DRIFT_ROUNDS = 3
"""Describe-and-resend rounds per chunk: each can only add fields, so few are ever needed."""


def deliver_chunk(
    client: OrgClient,
    items: Sequence[WriteItem],
    owners: Mapping[str, str],
    *,
    bulk: bool = False,
    quarantined: Mapping[str, Mapping[str, str]] | None = None,
) -> ChunkOutcome:
    """Upsert one chunk of one object (≤ 200, or one Bulk job) and sort every result.

    ``quarantined``: fields earlier chunks of the run found the org no longer accepts, by
    sObject; they are left out, and any this chunk finds are added to the outcome.
    """
    outcome = ChunkOutcome()
    if not items:
        return outcome
    sobject, key_field = items[0]["sobject"], items[0]["external_id_field"]
    found = (
        resolve_lookups(client, items, _upsert)
        if any(item.get("lookups") for item in items)
        else Resolved()
    )
    _sort_on_demand(outcome, found.created)
    items = _without_refused(outcome, items, found, owners)
    left_out = set((quarantined or {}).get(sobject, {}))
    new: dict[str, str] = {}

    def first(item: WriteItem) -> dict[str, Any]:
        body = {**_first_body(item, owners), **found.ids.get(item["key"], {})}
        return {name: value for name, value in body.items() if name not in left_out}

    bodies = [(item["key"], first(item)) for item in items]
    results = (
        _upsert_bulk(client, sobject, key_field, bodies)
        if bulk
        else _upsert(client, sobject, key_field, bodies, split_drift=False)
    )
    for _ in range(DRIFT_ROUNDS):
        refused = [
            item for item, result in zip(items, results, strict=True) if drift_refused(result)
        ]
        if not refused:
            break
        found_now = drifted_fields(
            client, sobject, [(first(item), item["action"] == "create") for item in refused]
        )
        found_now = {name: why for name, why in found_now.items() if name not in left_out}
        new.update(found_now)
        left_out.update(found_now)
        # Without new fields the refusal is the records' own (a parent key that does not
        # exist): send them once more, split down to single records, to learn which.
        again = _upsert(
            client,
            sobject,
            key_field,
            [(item["key"], first(item)) for item in refused],
            split_drift=not found_now,
        )
        by_key = {result.key: result for result in again}
        results = [by_key.get(result.key, result) for result in results]
        if not found_now:
            break
    if new:
        outcome.quarantined[sobject] = new
    # Every planned creation moves on, not only those the org says it created just now: a
    # write retried after it committed, or re-run after a crash, finds the record there in
    # its creation state (Draft), and the org answers "updated".
    second = [
        (item["key"], body)
        for item, result in zip(items, results, strict=True)
        if result.success and item["action"] == "create" and (body := _second_body(item, left_out))
    ]
    if second:
        created = {result.key for result in results if result.created}
        # A Bulk job's creations move on by whichever costs fewer calls: collections of 200,
        # or a second job (JOB_CALLS at best) once there are more than JOB_CALLS collections.
        by_job = bulk and math.ceil(len(second) / COLLECTION_LIMIT) > JOB_CALLS
        move_on = _upsert_bulk if by_job else _upsert
        by_key = {r.key: r for r in move_on(client, sobject, key_field, second)}
        results = [
            by_key.get(result.key, result) if result.success else result for result in results
        ]
        # The record exists even if moving it on failed: keep the created flag for the count.
        results = [
            RecordResult(r.key, r.sf_id, r.success, r.key in created, r.errors)
            if r.key in by_key
            else r
            for r in results
        ]
    for item, result in zip(items, results, strict=True):
        sent = _sent(item, found, left_out)
        _sort(outcome, item, result, owners, sent)
        if result.success and found.left_out.get(item["key"]):
            outcome.incomplete.append(item["key"])
    return outcome


def _without_refused(
    outcome: ChunkOutcome, items: Sequence[WriteItem], found: Resolved, owners: Mapping[str, str]
) -> list[WriteItem]:
    """The items whose lookups were decided; the others become dead letters naming the field."""
    sendable: list[WriteItem] = []
    for item in items:
        error = found.refused.get(item["key"])
        if error is None:
            sendable.append(item)
            continue
        outcome.failed.append([item["sobject"], item["key"]])
        failed = RecordResult.failed(item["key"], [error])
        outcome.dead_letters.append(_letter(item, _first_body(item, owners), failed))
    return sendable


def _sort_on_demand(
    outcome: ChunkOutcome, created: Sequence[tuple[OnDemandRecord, RecordResult]]
) -> None:
    """Records a lookup created because nothing matched are confirmed like any other."""
    for record, result in created:
        if not result.success:
            continue  # the item that needed it is dead-lettered with the reason
        outcome.confirmations.append(
            {
                "sobject": record["sobject"],
                "external_key": record["key"],
                "object_name": record["object_name"],
                "contract_key": record["contract_key"],
                "sf_id": result.sf_id,
                "fingerprint": record["fingerprint"],
                "snapshot": record["snapshot"],
                "active": True,
                "action": "created" if result.created else "updated",
            }
        )
        if result.created:
            outcome.created += 1
        else:
            outcome.updated += 1


def _sent(item: WriteItem, found: Resolved, left_out: set[str]) -> tuple[dict[str, Any], str]:
    """The snapshot and fingerprint of what actually went: the Ids lookups found in, and
    the fields left out (quarantined, or a lookup that found nothing) out. A fingerprint
    that differs from the desired one makes the next run send the record again."""
    ids = found.ids.get(item["key"], {})
    missing = set(found.left_out.get(item["key"], [])) | (left_out & set(item["snapshot"]))
    snapshot = {
        **{name: value for name, value in item["snapshot"].items() if name not in missing},
        **ids,
    }
    if not missing:
        return snapshot, item["fingerprint"]
    digest = hashlib.sha256(canonical_json({**snapshot, "@incomplete": sorted(missing)}).encode())
    return snapshot, digest.hexdigest()


def deliver_removals(client: OrgClient, items: Sequence[RemovalItem]) -> ChunkOutcome:
    """Delete or deactivate records that are no longer desired."""
    outcome = ChunkOutcome()
    for item in items:
        if item["action"] == "delete":
            if item["sf_id"] is None:
                continue
            result = client.delete(item["sobject"], item["key"], item["sf_id"])
        else:
            result = _upsert(
                client,
                item["sobject"],
                item["external_id_field"],
                [(item["key"], item["deactivate"])],
            )[0]
        if result.success:
            outcome.confirmations.append(
                {
                    "sobject": item["sobject"],
                    "external_key": item["key"],
                    "object_name": item["object_name"],
                    "contract_key": item["contract_key"],
                    "sf_id": result.sf_id or item["sf_id"],
                    "fingerprint": "",
                    "snapshot": {**item["snapshot"], **item["deactivate"]},
                    "active": False,
                    "action": item["action"],
                }
            )
            outcome.updated += 1
        else:
            outcome.dead_letters.append(_letter(item, item["deactivate"], result))
    return outcome


def _upsert_bulk(
    client: OrgClient, sobject: str, key_field: str, bodies: Sequence[tuple[str, Mapping[str, Any]]]
) -> list[RecordResult]:
    """A Bulk job; rows that failed for transient reasons (locks) go again by collections,
    and a job that failed as a whole (a bad CSV) falls back to collections entirely."""
    try:
        results = client.upsert_bulk(sobject, key_field, bodies)
    except (PermanentSyncError, RecordRejected) as failed:
        # RecordRejected: a job call refused with a 400, e.g. an upload retried after it
        # went through (INVALIDJOBSTATE): the job is no use, its records are not wrong.
        log.warning("bulk job failed; sending by collections org=%s error=%s", client.name, failed)
        return _upsert(client, sobject, key_field, bodies, split_drift=False)
    retry = [
        (body_key, body)
        for (body_key, body), result in zip(bodies, results, strict=True)
        if not result.success and classify(None, result.errors[0]) is Disposition.RETRY
    ]
    if not retry:
        return results
    again = {result.key: result for result in _upsert(client, sobject, key_field, retry)}
    return [again.get(result.key, result) for result in results]


def _upsert(
    client: OrgClient,
    sobject: str,
    key_field: str,
    bodies: Sequence[tuple[str, Mapping[str, Any]]],
    *,
    split_drift: bool = True,
) -> list[RecordResult]:
    """Upsert by REST or collections. A collection refused as a whole is split in halves;
    one refused for a field the org may have dropped (``split_drift=False``) is not: every
    record would fail alike, and the caller describes the object and quarantines instead."""
    if len(bodies) == 1:
        key, body = bodies[0]
        return [client.upsert(sobject, key_field, key, body)]
    results: list[RecordResult] = []
    for start in range(0, len(bodies), COLLECTION_LIMIT):
        chunk = bodies[start : start + COLLECTION_LIMIT]
        try:
            results.extend(client.upsert_collection(sobject, key_field, chunk))
        except (RecordRejected, PermanentSyncError) as refused:
            if isinstance(refused, PermanentSyncError) and refused.context.get("status") in {
                401,
                403,
                404,
            }:
                raise  # the call itself is wrong (object, access): splitting cannot help
            code = refused.context.get("salesforce_code")
            if not split_drift and code in DRIFT_CODES:
                errors = refused.context.get("errors") or (FieldError(str(code), refused.message),)
                results.extend(RecordResult.failed(key, errors) for key, _ in chunk)
                continue
            log.info(
                "collection refused as a whole; splitting org=%s sobject=%s records=%d code=%s",
                client.name,
                sobject,
                len(chunk),
                refused.context.get("salesforce_code"),
            )
            middle = len(chunk) // 2
            results.extend(
                _upsert(client, sobject, key_field, chunk[:middle], split_drift=split_drift)
            )
            results.extend(
                _upsert(client, sobject, key_field, chunk[middle:], split_drift=split_drift)
            )
    return results


def _first_body(item: WriteItem, owners: Mapping[str, str]) -> dict[str, Any]:
    body = dict(item["body"])
    if item["action"] == "create":
        body.update(item["create_with"])
    owner = _owner(item, owners)
    if owner:
        body["OwnerId"] = owner
    return body


def _second_body(item: WriteItem, left_out: set[str]) -> dict[str, Any]:
    """The desired values the creation had to leave out (e.g. Status: Activated)."""
    return {
        name: item["body"][name]
        for name, initial in item["create_with"].items()
        if name in item["body"] and item["body"][name] != initial and name not in left_out
    }


def _owner(item: WriteItem, owners: Mapping[str, str]) -> str | None:
    if not item["owner"]:
        return None
    match_on, value = item["owner"]
    return owners.get(f"{match_on}:{value.lower()}")


def _sort(
    outcome: ChunkOutcome,
    item: WriteItem,
    result: RecordResult,
    owners: Mapping[str, str],
    sent: tuple[dict[str, Any], str],
) -> None:
    if result.success:
        outcome.confirmations.append(
            {
                "sobject": item["sobject"],
                "external_key": item["key"],
                "object_name": item["object_name"],
                "contract_key": item["contract_key"],
                "sf_id": result.sf_id,
                "fingerprint": sent[1],
                "snapshot": sent[0],
                "active": True,
                "action": "created" if result.created else "updated",
            }
        )
        if result.created:
            outcome.created += 1
        else:
            outcome.updated += 1
        return
    outcome.failed.append([item["sobject"], item["key"]])
    first = result.errors[0] if result.errors else FieldError("UNKNOWN_ERROR", "")
    if classify(None, first) is Disposition.RETRY:
        outcome.deferred.append(item["key"])
        return
    outcome.dead_letters.append(_letter(item, _first_body(item, owners), result))


def _letter(item: Any, payload: Mapping[str, Any], result: RecordResult) -> dict[str, Any]:
    first = result.errors[0] if result.errors else FieldError("UNKNOWN_ERROR", "no error given")
    return {
        "sobject": item["sobject"],
        "external_key": item["key"],
        "object_name": item["object_name"],
        "contract_key": item["contract_key"],
        "payload": dict(payload),
        "error_code": first.code,
        "message": first.message,
        "error_fields": list(first.fields),
        "errors": [
            {"code": error.code, "message": error.message, "fields": list(error.fields)}
            for error in result.errors
        ],
    }
