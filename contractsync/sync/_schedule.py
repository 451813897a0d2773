"""Scheduled jobs: each org's sync, inbound poll and reconciliation on its own cron.

The schedules live in the durable engine's system database, so every worker process sees
the same ones, and each scheduled time runs once however many workers are up (its
workflow id is the schedule's name and the time). ``apply_schedules`` makes the stored
schedules match the settings when a worker starts. An org's scheduled jobs run one at a
time on the org's own schedule queue, so a poll never races a reconciliation of the same
org; the sync they start goes through the org's sync queue like any other sync.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from croniter import croniter
from dbos import DBOS, SetWorkflowID

from contractsync.context import App
from contractsync.durable import engine_app
from contractsync.settings import Settings

from ._conflict import ReconcilePolicy
from ._fit import require_fitting_mapping
from ._inbound import poll_inbound
from ._queues import org_queue, sync_queue
from ._reconcile import reconcile
from ._run import contracts_for, due_run, org_registry
from ._workflow import sync_org_workflow

log = logging.getLogger(__name__)

Job = Literal["sync", "inbound", "reconcile"]
JOBS: tuple[Job, ...] = ("sync", "inbound", "reconcile")
PREFIX = "contractsync."
SCHEDULER = "contractsync:scheduler"
"""The actor of everything a scheduled job does (in the audit log and the runs)."""


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    org: str
    job: Job
    cron: str
    timezone: str
    policy: str | None = None

    @property
    def name(self) -> str:
        return f"{PREFIX}{self.org}.{self.job}"

    def next_runs(self, after: datetime, count: int = 1) -> list[datetime]:
        start = after.astimezone(ZoneInfo(self.timezone))
        times = croniter(self.cron, start, second_at_beginning=True)
        return [times.get_next(datetime).astimezone(UTC) for _ in range(count)]


def configured_jobs(settings: Settings) -> list[ScheduledJob]:
    """Every scheduled job the settings ask for, org by org. Pure."""
    jobs: list[ScheduledJob] = []
    for org, org_settings in sorted(settings.orgs.items()):
        schedule = org_settings.schedule
        for job in JOBS:
            cron = getattr(schedule, job)
            if cron is not None:
                policy = schedule.reconcile_policy if job == "reconcile" else None
                jobs.append(ScheduledJob(org, job, cron, schedule.timezone, policy))
    return jobs


def schedule_queue(org: str) -> str:
    return f"schedule-{org}"


@dataclass(frozen=True, slots=True)
class ScheduleChanges:
    applied: tuple[ScheduledJob, ...]
    removed: tuple[str, ...]


def apply_schedules(app: App) -> ScheduleChanges:
    """Make the engine's schedules those of the settings (with the engine launched).

    Schedules of orgs or jobs no longer configured are deleted; the others are created or
    replaced in one transaction, so a worker starting beside another never sees half.
    """
    jobs = configured_jobs(app.settings)
    registry = org_registry(app)
    for org in sorted({job.org for job in jobs}):
        org_settings = registry.settings_for(org)
        org_queue(
            org,
            concurrency=org_settings.concurrency,
            calls_per_second=org_settings.calls_per_second,
        )
        DBOS.register_queue(schedule_queue(org), global_concurrency=1, polling_interval_sec=0.5)
    wanted = {job.name for job in jobs}
    stale = [
        schedule["schedule_name"]
        for schedule in DBOS.list_schedules(schedule_name_prefix=PREFIX)
        if schedule["schedule_name"] not in wanted
    ]
    for name in stale:
        DBOS.delete_schedule(name)
    if jobs:
        DBOS.apply_schedules(
            [
                {
                    "schedule_name": job.name,
                    "workflow_fn": _WORKFLOWS[job.job],
                    "schedule": job.cron,
                    "context": {"org": job.org, "policy": job.policy},
                    "cron_timezone": job.timezone,
                    "queue_name": schedule_queue(job.org),
                }
                for job in jobs
            ]
        )
    for job in jobs:
        log.info("scheduled %s %s (%s %s)", job.org, job.job, job.cron, job.timezone)
    return ScheduleChanges(tuple(jobs), tuple(stale))


# ---- the scheduled workflows ----


@DBOS.workflow(name="contractsync.scheduled_sync")
def scheduled_sync(at: datetime, context: dict[str, Any]) -> None:
    org = str(context["org"])
    today = sync_day(at).isoformat()
    run_id = due_sync_step(org, today)
    if run_id is None:
        return
    with SetWorkflowID(run_id):
        handle = DBOS.enqueue_workflow(
            sync_queue(org), sync_org_workflow, org, None, today, SCHEDULER
        )
    summary = handle.get_result(polling_interval_sec=0.5)
    log.info("scheduled sync org=%s run=%s status=%s", org, run_id, summary.get("status"))


def sync_day(at: datetime) -> date:
    """The day a sync scheduled at ``at`` runs for: the UTC day, as for ``contractsync
    sync``, so both want the same records and share a run key (DBOS gives the time in the
    schedule's own zone)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).date()


@DBOS.step(name="contractsync.scheduled_sync_due")
def due_sync_step(org: str, today: str) -> str | None:
    """The run to start, or none when the same contract versions were delivered in full
    today already (the same test a manual ``contractsync sync`` makes)."""
    app = engine_app()
    registry = org_registry(app)
    stored = contracts_for(app, registry, org, None)
    run_id, done = due_run(app, org, stored, today=date.fromisoformat(today))
    if done is not None:
        return None
    require_fitting_mapping(registry, org)
    return run_id


@DBOS.workflow(name="contractsync.scheduled_inbound")
def scheduled_inbound(at: datetime, context: dict[str, Any]) -> None:
    del at  # the poll reads from its own watermark, whatever time it was scheduled for
    inbound_step(str(context["org"]))


@DBOS.step(name="contractsync.scheduled_inbound_poll")
def inbound_step(org: str) -> dict[str, Any]:
    app = engine_app()
    report = poll_inbound(_as_scheduler(app), org)
    outcome = {"read": report.read, "echoes": report.echoes, "changes": len(report.changes)}
    log.info("scheduled inbound org=%s %s", org, outcome)
    return outcome


@DBOS.workflow(name="contractsync.scheduled_reconcile")
def scheduled_reconcile(at: datetime, context: dict[str, Any]) -> None:
    del at
    reconcile_step(str(context["org"]), context.get("policy"))


@DBOS.step(name="contractsync.scheduled_reconcile_run")
def reconcile_step(org: str, policy: str | None) -> dict[str, Any]:
    app = engine_app()
    report = reconcile(_as_scheduler(app), org, policy=cast(ReconcilePolicy | None, policy))
    outcome = {
        "checked": report.checked,
        "decisions": dict(Counter(finding.decision for finding in report.findings)),
    }
    log.info("scheduled reconcile org=%s %s", org, outcome)
    return outcome


def _as_scheduler(app: App) -> App:
    """The engine's app, with what it does attributed to the scheduler."""
    return replace(app, settings=app.settings.model_copy(update={"actor": SCHEDULER}))


_WORKFLOWS = {
    "sync": scheduled_sync,
    "inbound": scheduled_inbound,
    "reconcile": scheduled_reconcile,
}
