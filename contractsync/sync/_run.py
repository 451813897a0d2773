"""Planning a sync of one org: which contracts, their desired records, the diff."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

from dbos import DBOS

from contractsync.context import App
from contractsync.mapping import desired_records
from contractsync.model import Contract
from contractsync.store import StoredContract

from ._orgs import OrgRegistry
from ._plan import Plan, plan_sync


def org_registry(app: App) -> OrgRegistry:
    """The app's org registry (one per process, closed with the app)."""
    registry = app.services.get("orgs")
    if not isinstance(registry, OrgRegistry):
        registry = OrgRegistry(app.settings)
        app.services["orgs"] = registry
    return registry


class Selections:
    """The contracts ``start_sync`` loaded for a run, handed to the run's plan step when it
    runs in the same process, so a sync reads and parses its contracts once.

    Only the exact versions the run's key was computed from are handed over; a plan step
    that finds none (another worker took the run, or it is recovered after a crash) loads
    the contracts from the store as before.
    """

    def __init__(self) -> None:
        self._by_run: dict[str, list[StoredContract]] = {}
        self._lock = threading.Lock()

    def offer(self, run_id: str, stored: Sequence[StoredContract]) -> None:
        with self._lock:
            self._by_run[run_id] = list(stored)

    def get(self, run_id: str) -> list[StoredContract] | None:
        with self._lock:
            return self._by_run.get(run_id)

    def drop(self, run_id: str) -> None:
        with self._lock:
            self._by_run.pop(run_id, None)


def selections(app: App) -> Selections:
    """The app's hand-over of loaded contracts from ``start_sync`` to plan steps."""
    found = app.services.get("sync_selections")
    if not isinstance(found, Selections):
        found = Selections()
        app.services["sync_selections"] = found
    return found


def routed(contract: Contract, route: dict[str, list[str]]) -> bool:
    """Whether a contract goes to an org with these routing rules (all rules must match)."""
    for field_name, accepted in route.items():
        value = getattr(contract, field_name, None)
        value = getattr(value, "value", value)  # enums and tracked values compare by value
        if str(value) not in accepted:
            return False
    return True


def contracts_for(
    app: App, registry: OrgRegistry, org: str, contract_keys: Sequence[str] | None
) -> list[StoredContract]:
    """The stored contracts this org receives, optionally only some of them."""
    route = registry.settings_for(org).route
    if contract_keys:
        stored = [app.contracts.get(key) for key in contract_keys]
    else:
        stored = app.contracts.all()
    return [item for item in stored if routed(item.contract, route)]


def plan_org(
    app: App, registry: OrgRegistry, org: str, stored: Sequence[StoredContract], *, today: date
) -> Plan:
    mapping = registry.mapping(org)
    desired = [
        record for item in stored for record in desired_records(item.contract, mapping, today=today)
    ]
    keys = [item.contract.contract_key for item in stored]
    confirmed = app.sync_state.confirmed(org, contract_keys=keys)
    # A record several contracts share (their Account) is confirmed under the contract that
    # delivered it. If that one is not in this selection, find the record by identity, or
    # it would be planned as new and written again.
    unseen = {record.identity for record in desired} - confirmed.keys()
    if unseen:
        confirmed.update(app.sync_state.confirmed(org, identities=unseen))
    return plan_sync(org, desired, confirmed, mapping=mapping, contract_keys=keys)


def run_key(org: str, stored: Sequence[StoredContract], *, today: date, mapping: str = "") -> str:
    """The idempotency key of a sync: org, the exact contract versions, the day (amendments
    take effect on dates, so the same versions can want different records another day) and
    the mapping's digest (an edited mapping wants other records from the same versions)."""
    versions = ",".join(
        f"{item.contract.contract_key}@{item.version}"
        for item in sorted(stored, key=lambda s: s.contract.contract_key)
    )
    key = f"{org}|{today.isoformat()}|{versions}|{mapping}"
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"sync:{org}:{digest[:20]}"


def summary_of(plan: Plan) -> dict[str, Any]:
    return {"planned": plan.counts(), "conflicts": list(plan.conflicts)}


RETRIED = frozenset({"partial", "failed"})
"""Run outcomes after which the same contract versions are tried again under a new id."""


def due_run(
    app: Any, org: str, stored: Sequence[StoredContract], *, today: date, replay: bool = False
) -> tuple[str, dict[str, Any] | None]:
    """The id a sync of these contract versions takes today, and the run under it when
    that run already delivered everything.

    The id is the run key, or after runs under it ended partial or failed, the next
    retry's key: deferred, blocked and failed records get another chance without
    repeating finished work.
    """
    mapping = org_registry(app).mapping(org).model_dump_json()
    base = run_key(org, stored, today=today, mapping=hashlib.sha256(mapping.encode()).hexdigest())
    base += ":replay" if replay else ""
    runs = app.sync_runs.under(base)
    attempt, run_id = 1, base
    while run_id in runs and (
        runs[run_id]["status"] in RETRIED or _ended_unrecorded(app, runs[run_id])
    ):
        attempt += 1
        run_id = f"{base}:retry-{attempt}"
    done = runs.get(run_id)
    return run_id, done if done is not None and done["status"] == "complete" else None


_ENDED = frozenset({"CANCELLED", "ERROR", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"})


def _ended_unrecorded(app: Any, run: dict[str, Any]) -> bool:
    """Whether a run still shown as running has ended in the engine without saying so (it
    was cancelled, or gave up recovering): it is recorded failed, and its key retried."""
    if run["status"] != "running":
        return False
    workflow = DBOS.get_workflow_status(run["run_id"])
    if workflow is None or workflow.status not in _ENDED:
        return False
    app.sync_runs.finish(
        run["run_id"],
        status="failed",
        summary={"error": {"code": workflow.status, "message": "the workflow ended unfinished"}},
    )
    return True
