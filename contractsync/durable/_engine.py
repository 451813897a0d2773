"""Launching the durable engine (DBOS) from settings, and waiting for recovered work.

DBOS is process-global by design: one engine per process, launched after every workflow
and configured instance is registered, so that workflows interrupted by a crash are found
and resumed at launch. Embedded default: a SQLite system database in the data folder.
Scale-out: PostgreSQL, shared by any number of worker processes.

Each engine is its own DBOS executor, alive while it holds a lock named after it. DBOS
resumes at launch only the pending workflows of the launching executor, so with one shared
id ("local") a process starting would take over the workflows another live process is
running, and both would deliver them. Instead every engine has a fresh id, and at launch
resumes the pending workflows of executors whose lock is free: processes that died. An
engine leaving normally first finishes the workflows it took from the shared queues, so
no other process waits for work nobody runs.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dbos import DBOS, DBOSConfig, WorkflowHandle
from sqlalchemy.engine import make_url

from contractsync.context import App
from contractsync.errors import ConfigurationError
from contractsync.settings import Settings

from ._locks import ProcessLock

log = logging.getLogger(__name__)

APP_NAME = "contractsync"


def engine_config(settings: Settings, *, executor_id: str | None = None) -> DBOSConfig:
    """The DBOS configuration for these settings (and this process's executor id)."""
    url = make_url(settings.engine_url)
    if url.get_backend_name() == "sqlite":
        if url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    elif url.get_backend_name() == "postgresql":
        # DBOS speaks psycopg 3 itself and wants the plain scheme.
        url = url.set(drivername="postgresql")
    else:
        raise ConfigurationError(
            f"The durable engine cannot use '{url.get_backend_name()}'. Set "
            "CONTRACTSYNC_SYSTEM_DATABASE_URL to sqlite:///path or postgresql://user@host/db."
        )
    config: DBOSConfig = {
        "name": APP_NAME,
        "system_database_url": url.render_as_string(hide_password=False),
        "log_level": settings.log_level,
        "console_log_level": settings.log_level,
    }
    if executor_id is not None:
        config["executor_id"] = executor_id
    return config


_serving: App | None = None
_executor: list[str] = [""]
"""The running engine's executor id (a one-slot list: assigned without a global)."""


@contextmanager
def durable_engine(app: App) -> Iterator[datetime]:
    """Run the block with DBOS launched for ``app``; interrupted workflows resume at launch.

    DBOS is one engine per process, so the app it serves is too: workflow steps reach it
    through ``engine_app()`` for exactly the lifetime of this block. Yields the launch time.
    """
    global _serving  # noqa: PLW0603 - mirrors DBOS's own process-global engine
    if _serving is not None:
        raise RuntimeError("the durable engine is already running in this process")
    _serving = app
    _follow_stderr()
    executor = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    _executor[0] = executor
    alive = ProcessLock(app.settings.engine_url, _liveness_lock(executor))
    alive.acquire()
    try:
        DBOS(config=engine_config(app.settings, executor_id=executor))
        launched_at = datetime.now(UTC)
        DBOS.launch()
        try:
            _resume_abandoned_workflows(app.settings.engine_url, executor)
            yield launched_at
            _finish_taken_workflows(executor)
        finally:
            DBOS.destroy()
    finally:
        alive.release()
        _serving = None


def _liveness_lock(executor: str) -> str:
    return f"contractsync.executor:{executor}"


def resume_abandoned_workflows() -> None:
    """Take over the pending workflows of executors that died since this engine launched.

    A long-running worker calls this now and then: a queue limited across workers counts a
    dead process's pending workflows as running, and would wait for them forever.
    """
    _resume_abandoned_workflows(engine_app().settings.engine_url, _executor[0])


def _resume_abandoned_workflows(url: str, executor: str) -> None:
    """Put the pending workflows of dead executors (their lock is free) back on their queues.

    Includes "local", the id of engines from before executors had their own ids.
    """
    pending = DBOS.list_workflows(status="PENDING", load_input=False, load_output=False)
    others = sorted({s.executor_id for s in pending if s.executor_id and s.executor_id != executor})
    for other in others:
        probe = ProcessLock(url, _liveness_lock(other))
        if not probe.acquire(wait=False):
            continue  # alive: its workflows are running
        try:
            log.info("resuming the workflows of a stopped executor executor=%s", other)
            for status in pending:
                if status.executor_id == other:
                    # Back on its own queue (a direct call goes on DBOS's internal one), from
                    # its last completed step, by whichever worker dequeues it.
                    DBOS.resume_workflow(status.workflow_id, queue_name=status.queue_name)
        finally:
            probe.release()


def _finish_taken_workflows(executor: str) -> None:
    """Wait for the workflows this process is running (some may be other processes' work,
    taken from a shared queue): leaving them would strand whoever waits for their result."""
    while running := DBOS.list_workflows(
        status="PENDING", executor_id=executor, load_input=False, load_output=False
    ):
        for status in running:
            try:
                DBOS.retrieve_workflow(status.workflow_id).get_result()
            except Exception:  # noqa: BLE001 - its outcome is recorded; we only wait for it
                log.debug("taken workflow ended in error workflow=%s", status.workflow_id)


def _follow_stderr() -> None:
    # DBOS binds its console handler to the sys.stderr of the moment it was first imported;
    # point it at today's, so that a redirected stderr (pytest, an embedding app) is used.
    for handler in logging.getLogger("dbos").handlers:
        if handler.name == "__dbos_console_log_handler__" and isinstance(
            handler, logging.StreamHandler
        ):
            # Not setStream(): it flushes the old stream, which may be closed by now.
            handler.acquire()
            try:
                handler.stream = sys.stderr
            finally:
                handler.release()


def engine_app() -> App:
    """The app the running engine serves (for workflow steps)."""
    if _serving is None:
        raise RuntimeError("no durable engine is running; use durable_engine(app)")
    return _serving


@dataclass(frozen=True, slots=True)
class WorkflowSummary:
    workflow_id: str
    name: str
    status: str
    created_at: datetime | None
    error: str | None


def finish_recovered_workflows(*, launched_at: datetime) -> list[WorkflowSummary]:
    """Wait for every interrupted workflow to finish; returns those that ran since launch.

    At launch DBOS puts each workflow a crash left pending back on a queue and runs it in
    the background; some may be done by the time this looks, so finished ones are found by
    completion time. Call it before starting new work, so everything it reports is resumed.
    """
    waiting = DBOS.list_workflows(
        status=["PENDING", "ENQUEUED"], load_input=False, load_output=False
    )
    errors: dict[str, str] = {}
    for status in waiting:
        handle: WorkflowHandle[Any] = DBOS.retrieve_workflow(status.workflow_id)
        try:
            handle.get_result()
        except Exception as exc:  # noqa: BLE001 - report every outcome, keep going
            errors[status.workflow_id] = f"{type(exc).__name__}: {exc}"
    finished = DBOS.list_workflows(
        completed_after=launched_at.isoformat(), load_input=False, load_output=False
    )
    return [_summary(status, errors.get(status.workflow_id)) for status in finished]


def recent_workflows(limit: int = 20) -> list[WorkflowSummary]:
    statuses = DBOS.list_workflows(limit=limit, sort_desc=True, load_input=False, load_output=False)
    return [_summary(status, None) for status in statuses]


def _summary(status: Any, error: str | None) -> WorkflowSummary:
    created = getattr(status, "created_at", None)
    return WorkflowSummary(
        workflow_id=status.workflow_id,
        name=status.name,
        status=status.status,
        created_at=datetime.fromtimestamp(created / 1000, UTC) if created else None,
        error=error or (str(status.error) if getattr(status, "error", None) else None),
    )
