"""The sync as a durable workflow: plan, resolve owners, deliver chunk by chunk, finish.

The workflow id is the run's idempotency key (org, contract versions and day): running the
same sync again returns the recorded result instead of writing twice, and a crash resumes
from the last finished step. Every step's writes are upserts by external ID, so a step
re-run after a crash cannot duplicate a record either.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from dbos import DBOS, SetWorkflowID

from contractsync.durable import ProcessLock, engine_app
from contractsync.errors import ApiAllowanceExhausted
from contractsync.logs import redact
from contractsync.salesforce import JOB_RECORDS
from contractsync.store import ConfirmedRecord

from ._deliver import ChunkOutcome, deliver_chunk, deliver_removals
from ._fit import require_fitting_mapping
from ._items import RemovalItem, WriteItem, plan_items
from ._owners import owner_ids
from ._parked import set_aside_parked
from ._plan import Channel, choose_channel
from ._queues import org_queue
from ._run import contracts_for, due_run, org_registry, plan_org, selections, summary_of

log = logging.getLogger(__name__)

CHUNK = 200
PROGRESS_EVENT = "progress"
RESULT_POLL_S = 0.05


@DBOS.workflow(name="contractsync.sync_org")
def sync_org_workflow(
    org: str,
    contract_keys: list[str] | None,
    today: str,
    actor: str,
    retry_parked: bool = False,
) -> dict[str, Any]:
    run_id = DBOS.workflow_id or "sync"
    try:
        return _sync_org(org, contract_keys, today, actor, run_id, retry_parked)
    except Exception as error:
        # DBOS answers a workflow id that failed with the same error, without running it;
        # recorded as failed, the run's key moves on to a retry the next time.
        finish_step(run_id, "failed", {"error": _error_of(error)})
        raise


def _error_of(error: Exception) -> dict[str, str]:
    code = getattr(error, "code", None) or type(error).__name__
    return {"code": str(code), "message": redact(str(getattr(error, "message", error)))}


def _sync_org(  # noqa: PLR0917 - the workflow's own arguments, passed through
    org: str,
    contract_keys: list[str] | None,
    today: str,
    actor: str,
    run_id: str,
    retry_parked: bool,
) -> dict[str, Any]:
    planned = plan_step(org, contract_keys, today, run_id, retry_parked)
    owners = _owners_within_allowance(org, planned["groups"])
    failed: set[tuple[str, str]] = set()
    quarantined: dict[str, dict[str, str]] = {}
    totals = {
        "created": 0, "updated": 0, "dead_letters": 0, "deferred": 0, "blocked": 0, "pauses": 0,
        "incomplete": 0,
    }  # fmt: skip
    progress = {"done": 0, "total": sum(len(items) for _, items in planned["groups"])}
    DBOS.set_event(PROGRESS_EVENT, progress)
    for _object_name, items in planned["groups"]:
        # One pass: testing each item against the ready list would be quadratic (20,000
        # obligations in one group are 2*10^8 dict comparisons, ~25 s).
        ready: list[WriteItem] = []
        blocked: list[WriteItem] = []
        for item in items:
            waits = any(tuple(parent) in failed for parent in item["parents"])
            (blocked if waits else ready).append(item)
        for item in blocked:
            failed.add((item["sobject"], item["key"]))
        totals["blocked"] += len(blocked)
        progress["done"] += len(blocked)
        channel = choose_channel(len(ready), bulk_threshold=planned["bulk_threshold"])
        size = {Channel.REST: 1, Channel.COLLECTIONS: CHUNK, Channel.BULK: JOB_RECORDS}[channel]
        for start in range(0, len(ready), size):
            chunk = ready[start : start + size]
            outcome = _deliver_within_allowance(
                org,
                chunk,
                owners,
                run_id,
                actor,
                quarantined=quarantined,
                bulk=channel is Channel.BULK,
            )
            for sobject, fields in outcome.get("quarantined", {}).items():
                quarantined.setdefault(sobject, {}).update(fields)
            failed.update((sobject, key) for sobject, key in outcome["failed"])
            for name in ("created", "updated", "pauses"):
                totals[name] += outcome[name]
            totals["dead_letters"] += len(outcome["dead_letters"])
            totals["deferred"] += len(outcome["deferred"])
            totals["incomplete"] += len(outcome.get("incomplete", []))
            progress["done"] += len(chunk)
            DBOS.set_event(PROGRESS_EVENT, progress)
    if planned["removals"]:
        outcome = removal_step(org, planned["removals"], run_id, actor)
        totals["removed"] = outcome["updated"]
        totals["dead_letters"] += len(outcome["dead_letters"])
    # A run that left fields out is partial: its records go again (with the fields) in the
    # next run, which is the mapping check's to allow once the org has them back, or the
    # lookup's once the record it looks for exists.
    unfinished = ("dead_letters", "deferred", "blocked", "incomplete")
    status = "partial" if quarantined or any(totals[name] for name in unfinished) else "complete"
    summary = {
        **planned["summary"],
        "delivered": totals,
        "quarantined": [
            {"org": org, "sobject": sobject, "field": name, "reason": reason}
            for sobject, fields in sorted(quarantined.items())
            for name, reason in sorted(fields.items())
        ],
        "status": status,
        "calls": calls_step(org),
    }
    finish_step(run_id, status, summary)
    return summary


def _deliver_within_allowance(
    org: str,
    chunk: list[WriteItem],
    owners: dict[str, str],
    run_id: str,
    actor: str,
    *,
    quarantined: dict[str, dict[str, str]],
    bulk: bool,
) -> dict[str, Any]:
    """Deliver a chunk, pausing the workflow (durably) while the org's allowance is spent."""
    pauses = 0
    while True:
        outcome = deliver_step(org, chunk, owners, run_id, actor, bulk, quarantined)
        if not outcome.get("paused"):
            return {**outcome, "pauses": pauses}
        pauses += 1
        DBOS.sleep(outcome["pause_s"])


@DBOS.step(name="contractsync.sync_plan")
def plan_step(
    org: str,
    contract_keys: list[str] | None,
    today: str,
    run_id: str,
    retry_parked: bool = False,
) -> dict[str, Any]:
    app = engine_app()
    # Recorded before anything can fail, so that a failure is recorded against it.
    app.sync_runs.start(run_id, org)
    registry = org_registry(app)
    stored = selections(app).get(run_id)
    if stored is None:
        stored = contracts_for(app, registry, org, contract_keys)
    plan = plan_org(app, registry, org, stored, today=date.fromisoformat(today))
    mapping = registry.mapping(org)
    parents = {obj.name: obj.sobject for obj in mapping.objects}
    key_fields = {obj.name: obj.external_id for obj in mapping.objects}
    groups, removals = plan_items(plan, parents, key_fields)
    parked = 0
    if not retry_parked:
        groups, parked = set_aside_parked(app, org, groups)
    return {
        "groups": groups,
        "removals": removals,
        "summary": {**summary_of(plan), "parked": parked},
        "bulk_threshold": registry.settings_for(org).bulk_threshold,
    }


def _owners_within_allowance(org: str, groups: list[tuple[str, list[WriteItem]]]) -> dict[str, str]:
    while True:
        found = owners_step(org, groups)
        if "paused" not in found:
            owners: dict[str, str] = found["owners"]
            return owners
        DBOS.sleep(found["pause_s"])


@DBOS.step(name="contractsync.sync_owners")
def owners_step(org: str, groups: list[tuple[str, list[WriteItem]]]) -> dict[str, Any]:
    registry = org_registry(engine_app())
    client = registry.client(org)
    try:
        if not client.limits.allows(2):
            client.fetch_limits()  # the reading may be old: ask before pausing
        items = [item for _, items in groups for item in items]
        return {"owners": owner_ids(client, items, registry.owners(org))}
    except ApiAllowanceExhausted as exhausted:
        log.warning("org paused: %s", exhausted.message)
        return {"paused": True, "pause_s": registry.settings_for(org).pause_s}


@DBOS.step(name="contractsync.sync_deliver")
def deliver_step(  # noqa: PLR0917 - DBOS passes step arguments positionally on recovery
    org: str,
    items: list[WriteItem],
    owners: dict[str, str],
    run_id: str,
    actor: str,
    bulk: bool,
    quarantined: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Deliver the chunk's records the org has not confirmed yet, and record the outcome.

    Another run of the org (in any process) may have delivered some of them since this run
    planned, and this step may be re-run after a crash that came after its outcome was
    recorded: under the org's delivery lock, what is confirmed at these versions is skipped.
    """
    app = engine_app()
    registry = org_registry(app)
    client = registry.client(org)
    try:
        if not client.limits.allows(len(items) // CHUNK + 2):
            client.fetch_limits()  # the reading may be old: ask before pausing
        with _delivery_lock(app, org):
            confirmed = _confirmed(app, org, items)
            pending = [item for item in items if not _is_confirmed(item, confirmed)]
            outcome = deliver_chunk(
                client, pending, owners, bulk=bulk, quarantined=quarantined or {}
            )
            _record(app, org, outcome, run_id, actor)
        registry.owners(org).forget_refused(outcome.dead_letters)
    except ApiAllowanceExhausted as exhausted:
        log.warning("org paused: %s", exhausted.message)
        return {"paused": True, "pause_s": registry.settings_for(org).pause_s}
    return _as_dict(outcome)


@DBOS.step(name="contractsync.sync_remove")
def removal_step(org: str, items: list[RemovalItem], run_id: str, actor: str) -> dict[str, Any]:
    app = engine_app()
    with _delivery_lock(app, org):
        confirmed = _confirmed(app, org, items)
        pending = [
            item
            for item in items
            if (known := confirmed.get((item["sobject"], item["key"]))) is None or known.active
        ]
        outcome = deliver_removals(org_registry(app).client(org), pending)
        _record(app, org, outcome, run_id, actor)
    return _as_dict(outcome)


def _delivery_lock(app: Any, org: str) -> ProcessLock:
    """One delivery to an org at a time, across every process sharing the store."""
    return ProcessLock(app.settings.store_url, f"contractsync.deliver:{org}")


def _confirmed(
    app: Any, org: str, items: Sequence[WriteItem] | Sequence[RemovalItem]
) -> dict[tuple[str, str], ConfirmedRecord]:
    identities = [(item["sobject"], item["key"]) for item in items]
    confirmed: dict[tuple[str, str], ConfirmedRecord] = app.sync_state.confirmed(
        org, identities=identities
    )
    return confirmed


def _is_confirmed(item: WriteItem, confirmed: dict[tuple[str, str], ConfirmedRecord]) -> bool:
    known = confirmed.get((item["sobject"], item["key"]))
    return known is not None and known.active and known.fingerprint == item["fingerprint"]


@DBOS.step(name="contractsync.sync_calls")
def calls_step(org: str) -> int:
    return org_registry(engine_app()).client(org).calls


@DBOS.step(name="contractsync.sync_finish")
def finish_step(run_id: str, status: str, summary: dict[str, Any]) -> None:
    engine_app().sync_runs.finish(run_id, status=status, summary=summary)


def start_sync(
    org: str,
    contract_keys: list[str] | None,
    *,
    today: date,
    actor: str,
    on_progress: Callable[[int, int], None] | None = None,
    retry_parked: bool = False,
) -> dict[str, Any]:
    """Run (or re-attach to) the sync of ``org`` on its queue and wait for the result.

    ``on_progress(done, total)`` is called with the records handled so far while it runs.
    ``retry_parked`` sends records parked in the dead letters too (a replay, see
    ``_parked``); it is a run of its own, apart from the ordinary run of the same versions.
    """
    app = engine_app()
    registry = org_registry(app)
    stored = contracts_for(app, registry, org, contract_keys)
    run_id, done = due_run(app, org, stored, today=today, replay=retry_parked)
    if done is not None:
        # Same contract versions, same day, delivered in full: nothing to do, no call made.
        return {"run_id": run_id, "already_done": True, **done["summary"]}
    require_fitting_mapping(registry, org)
    settings = registry.settings_for(org)
    queue = org_queue(
        org, concurrency=settings.concurrency, calls_per_second=settings.calls_per_second
    )
    handoff = selections(app)
    handoff.offer(run_id, stored)
    try:
        with SetWorkflowID(run_id):
            handle = queue.enqueue(
                sync_org_workflow, org, contract_keys, today.isoformat(), actor, retry_parked
            )
        if on_progress is not None:
            _follow_progress(run_id, handle, on_progress)
        # A queued workflow's handle polls the system database for the result, by default
        # once a second: every sync would take at least a second. Poll as the queue does.
        result: dict[str, Any] = handle.get_result(polling_interval_sec=RESULT_POLL_S)
    finally:
        handoff.drop(run_id)
    return {"run_id": run_id, "already_done": False, **result}


_FINISHED = {"SUCCESS", "ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"}


def _follow_progress(run_id: str, handle: Any, on_progress: Callable[[int, int], None]) -> None:
    """Report the workflow's progress events until it finishes."""
    while handle.get_status().status not in _FINISHED:
        progress = DBOS.get_event(run_id, PROGRESS_EVENT, timeout_seconds=0.25)
        if progress:
            on_progress(int(progress["done"]), int(progress["total"]))


def _record(app: Any, org: str, outcome: ChunkOutcome, run_id: str, actor: str) -> None:
    if outcome.confirmations:
        app.sync_state.confirm(org, outcome.confirmations, actor=actor, run_id=run_id)
    if outcome.dead_letters:
        app.dead_letters.park(org, outcome.dead_letters, actor=actor, run_id=run_id)
    for sobject, fields in sorted(outcome.quarantined.items()):
        log.warning(
            "fields quarantined org=%s sobject=%s fields=%s run=%s",
            org, sobject, ",".join(sorted(fields)), run_id,
        )  # fmt: skip
        app.sync_state.quarantine(org, sobject, fields, actor=actor, run_id=run_id)


def _as_dict(outcome: ChunkOutcome) -> dict[str, Any]:
    return {
        "failed": outcome.failed,
        "dead_letters": [letter["external_key"] for letter in outcome.dead_letters],
        "deferred": outcome.deferred,
        "created": outcome.created,
        "updated": outcome.updated,
        "quarantined": outcome.quarantined,
        "incomplete": outcome.incomplete,
    }
