"""``/sync``: recent sync runs, and each org's state (runs, dead letters, API usage)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from contractsync.errors import ContractSyncError
from contractsync.sync import org_registry, queued_runs

from ._errors import error_responses
from ._models import ApiUsage, LastRun, OrgStatus, SyncRun, SyncRunList, SyncStatus
from ._state import ApiState, api_state

router = APIRouter(prefix="/sync", tags=["sync"])

RUNS_SCANNED_FOR_STATUS = 100


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
    """Per org: runs in progress, open dead letters, the last run, and API usage against the
    daily allowance (asked of the org now; 'unreachable' with the error code if it fails)."""
    state = api_state(request)
    registry = org_registry(state.app)
    queued = queued_runs(state.app, registry.names())
    return SyncStatus(
        orgs=[
            _org_status(state, name, registry.settings_for(name).flow, queued[name])
            for name in registry.names()
        ]
    )


def _org_status(state: ApiState, name: str, flow: str, queued: int) -> OrgStatus:
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
    try:
        with state.orgs_lock:
            client = org_registry(state.app).client(name)
        limits = client.fetch_limits().get("DailyApiRequests", {})
    except ContractSyncError as error:
        return ApiUsage(state="unreachable", error_code=error.code)
    maximum = int(limits.get("Max", 0))
    return ApiUsage(state="ok", used=maximum - int(limits.get("Remaining", 0)), max=maximum)


def _run(run: dict[str, Any]) -> SyncRun:
    return SyncRun(
        run_id=run["run_id"],
        org=run["org"],
        status=run["status"],
        started_at=run["started_at"],
        finished_at=run["finished_at"],
        summary=dict(run["summary"]),
    )
