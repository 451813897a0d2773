"""Launching the durable engine (DBOS) from settings, and waiting for recovered work.

DBOS is process-global by design: one engine per process, launched after every workflow
and configured instance is registered, so that workflows interrupted by a crash are found
and resumed at launch. Embedded default: a SQLite system database in the data folder.
Scale-out: PostgreSQL, shared by any number of worker processes.
"""

from __future__ import annotations

import logging
import sys
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

log = logging.getLogger(__name__)

APP_NAME = "contractsync"


def engine_config(settings: Settings) -> DBOSConfig:
    """The DBOS configuration for these settings."""
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
    return {
        "name": APP_NAME,
        "system_database_url": url.render_as_string(hide_password=False),
        "log_level": settings.log_level,
        "console_log_level": settings.log_level,
    }


_serving: App | None = None


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
    try:
        DBOS(config=engine_config(app.settings))
        launched_at = datetime.now(UTC)
        DBOS.launch()
        try:
            yield launched_at
        finally:
            DBOS.destroy()
    finally:
        _serving = None


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
