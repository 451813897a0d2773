"""``contractsync worker`` and ``contractsync schedules``: scheduled syncs, polls and
reconciliations, and the process that runs them."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from datetime import UTC, datetime
from types import FrameType
from typing import Annotated

import typer
from rich.table import Table

from contractsync.durable import durable_engine, resume_abandoned_workflows
from contractsync.sync import ScheduledJob, apply_schedules, configured_jobs

from ._state import state

RESCUE_EVERY_S = 30.0
"""How often a worker looks for dead workers whose work it should resume."""


def worker(
    ctx: typer.Context,
    duration: Annotated[
        float | None,
        typer.Option(help="Stop after this many seconds (default: run until stopped).", min=0),
    ] = None,
) -> None:
    """Run every org's scheduled jobs (orgs.NAME.schedule) and drain the sync queues
    until stopped (Ctrl-C or SIGTERM). Start as many workers as you like on PostgreSQL:
    each scheduled time runs once."""
    cli = state(ctx)
    app = cli.app()
    stop = threading.Event()

    def stop_on(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        stop.set()

    previous = signal.signal(signal.SIGTERM, stop_on)
    try:
        with durable_engine(app):
            changes = apply_schedules(app)
            cli.console.print(_table(list(changes.applied), title="scheduled jobs"))
            for name in changes.removed:
                cli.console.print(f"Removed schedule {name} (no longer in the settings).")
            if not changes.applied:
                cli.console.print(
                    "No org has a schedule: set orgs.NAME.schedule.sync, .inbound or "
                    "reconcile (see contractsync config reference). Draining queues only."
                )
            with contextlib.suppress(KeyboardInterrupt):
                _serve(stop, duration)
            cli.console.print("Stopping: work in progress resumes at the next start.")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve(stop: threading.Event, duration: float | None) -> None:
    """Wait until stopped, taking over the work of workers that die meanwhile."""
    deadline = None if duration is None else time.monotonic() + duration
    while True:
        left = RESCUE_EVERY_S
        if deadline is not None:
            left = min(left, deadline - time.monotonic())
        if left <= 0 or stop.wait(left):
            return
        resume_abandoned_workflows()


def schedules(ctx: typer.Context) -> None:
    """The scheduled jobs the settings ask for, and when each runs next."""
    cli = state(ctx)
    jobs = configured_jobs(cli.settings)
    if not jobs:
        cli.console.print("No org has a schedule (orgs.NAME.schedule).")
        return
    cli.console.print(_table(jobs, title="scheduled jobs"))


def _table(jobs: list[ScheduledJob], *, title: str) -> Table:
    table = Table(title=title)
    for column in ("org", "job", "cron", "time zone", "next run (UTC)", "policy"):
        table.add_column(column)
    now = datetime.now(UTC)
    for job in jobs:
        table.add_row(
            job.org,
            job.job,
            job.cron,
            job.timezone,
            f"{job.next_runs(now)[0]:%Y-%m-%d %H:%M:%S}",
            job.policy or "",
        )
    return table
