"""The per-org DBOS queues syncs run on, shared by every worker process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from dbos import DBOS, Queue

from contractsync.durable import queue_depths


def sync_queue(org: str) -> str:
    """The name of the queue ``org``'s syncs run on."""
    return f"sync-{org}"


def queued_runs(app: Any, orgs: Sequence[str]) -> dict[str, int]:
    """Syncs waiting on or running from each org's queue (any process's)."""
    depths = queue_depths(app.settings, [sync_queue(org) for org in orgs])
    return {org: depths[sync_queue(org)] for org in orgs}


class _RateLimit(TypedDict):
    """DBOS's queue rate limit: at most ``limit`` workflow starts per ``period`` seconds."""

    limit: int
    period: float


def org_queue(org: str, *, concurrency: int, calls_per_second: float | None) -> Queue:
    """The DBOS queue of one org, carrying its concurrency and rate limits.

    Registered in the system database (so every worker process shares its settings) once
    the engine has launched; registering again updates the limits.
    """
    limiter: _RateLimit | None = None
    if calls_per_second:
        # DBOS limits workflows started per period; one workflow makes many calls, so this
        # caps the start rate, and the org client's allowance tracking does the rest.
        limiter = {"limit": max(int(calls_per_second), 1), "period": 1.0}
    # Global, not per worker: the setting is what the org allows, however many processes run.
    return DBOS.register_queue(
        sync_queue(org),
        global_concurrency=concurrency,
        limiter=limiter,
        polling_interval_sec=0.05,
    )
