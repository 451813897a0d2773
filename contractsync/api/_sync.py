"""``/sync``: recent sync runs, and each org's state (runs, dead letters, API usage)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from contractsync.errors import ContractSyncError
from contractsync.salesforce import RetryPolicy
from contractsync.sync import org_registry, queued_runs

from ._errors import error_responses
from ._models import ApiUsage, LastRun, OrgStatus, SyncRun, SyncRunList, SyncStatus
from ._state import ApiState, api_state

log = logging.getLogger(__name__)

router = APIRouter(prefix="/sync", tags=["sync"])

RUNS_SCANNED_FOR_STATUS = 100
USAGE_FRESH_FOR = timedelta(minutes=5)
"""A usage reading younger than this is answered as is, without asking the org."""
USAGE_TIMEOUT_S = 5.0
"""How long the status waits for an org whose last reading is old, or who has none."""


@router.get("/runs", responses=error_responses(401))
def sync_runs(
    request: Request,
    org: Annotated[str | None, Query(description="Only this org's runs.")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="How many runs, newest first.")] = 20,
) -> SyncRunList:
    """Recent sync runs, newest first, with what each did."""
    runs = api_state(request).app.sync_runs.recent(org=org, limit=limit)
    return SyncRunList(count=len(runs), items=[_run(run) for run in runs])


@router.get("/status", responses=error_responses(401))
def sync_status(request: Request) -> SyncStatus:
    """Per org: queued and running syncs, open dead letters, the last run, and API usage
    against the daily allowance.

    Usage is the org's latest report when it is under five minutes old (its age says how
    old); otherwise the org is asked once, briefly, and answers 'unreachable' with the
    error code when it does not. Queue depths that cannot be read answer null."""
    state = api_state(request)
    registry = org_registry(state.app)
    names = registry.names()
    try:
        queued: dict[str, int] = queued_runs(state.app, names)
    except Exception as error:
        log.warning("queue depths unavailable error=%s", type(error).__name__, exc_info=error)
        queued = {}
    return SyncStatus(
        orgs=[
            _org_status(state, name, registry.settings_for(name).flow, queued.get(name))
            for name in names
        ]
    )


def _org_status(state: ApiState, name: str, flow: str, queued: int | None) -> OrgStatus:
    app = state.app
    recent = app.sync_runs.recent(org=name, limit=RUNS_SCANNED_FOR_STATUS)
    last = recent[0] if recent else None
    return OrgStatus(
        org=name,
        flow=flow,
        queued=queued,
        runs_in_progress=sum(1 for run in recent if run["status"] == "running"),
        open_dead_letters=app.dead_letters.count_open(name),
        last_run=LastRun(
            run_id=last["run_id"],
            status=last["status"],
            started_at=last["started_at"],
            finished_at=last["finished_at"],
        )
        if last
        else None,
        api_usage=_usage(state, name),
    )


def _usage(state: ApiState, name: str) -> ApiUsage:
    """The org's API usage: its latest report when recent, else asked of the org once.

    Every response from the org reports usage (``Sforce-Limit-Info``), so an org that syncs
    answers without a call; a dashboard polling this endpoint must neither spend the org's
    allowance nor wait through the client's retries for an org that is down.
    """
    try:
        client = org_registry(state.app).client(name)
        reading = client.limits.usage
        if reading is None or client.limits.clock() - reading.seen_at >= USAGE_FRESH_FOR:
            client.fetch_limits(retry=RetryPolicy.single_attempt(), timeout_s=USAGE_TIMEOUT_S)
            reading = client.limits.usage
    except ContractSyncError as error:
        return ApiUsage(state="unreachable", error_code=error.code)
    if reading is None:  # an org whose /limits leaves out DailyApiRequests
        return ApiUsage(state="unreachable", error_code="no_usage_reported")
    age = client.limits.clock() - reading.seen_at
    return ApiUsage(
        state="ok",
        used=reading.used,
        max=reading.total,
        age_s=round(max(age.total_seconds(), 0.0), 1),
    )


def _run(run: dict[str, Any]) -> SyncRun:
    return SyncRun(
        run_id=run["run_id"],
        org=run["org"],
        status=run["status"],
        started_at=run["started_at"],
        finished_at=run["finished_at"],
        summary=dict(run["summary"]),
    )
