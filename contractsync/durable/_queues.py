"""How much work waits on each durable queue, read without launching the engine.

A status command must not launch the engine: launching resumes the work of dead
processes, which is the job of a worker, not of someone looking. DBOS's client reads the
system database directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from dbos import DBOSClient
from sqlalchemy.engine import make_url

from contractsync.settings import Settings

from ._engine import engine_config


def queue_depths(settings: Settings, queues: Sequence[str]) -> dict[str, int]:
    """Workflows waiting on, delayed on or running from each queue."""
    if not _engine_has_run(settings):
        return dict.fromkeys(queues, 0)
    client = DBOSClient(system_database_url=engine_config(settings)["system_database_url"])
    try:
        waiting = client.list_queued_workflows(
            queue_name=list(queues), load_input=False, load_output=False
        )
    finally:
        client.destroy()
    counts = Counter(workflow.queue_name for workflow in waiting)
    return {queue: counts.get(queue, 0) for queue in queues}


def _engine_has_run(settings: Settings) -> bool:
    """Whether the system database has the engine's tables (nothing can wait otherwise)."""
    url = make_url(settings.engine_url)
    postgres = url.get_backend_name() == "postgresql"
    if not postgres and not (url.database and Path(url.database).exists()):
        return False
    engine = sa.create_engine(url.set(drivername="postgresql+psycopg") if postgres else url)
    try:
        return sa.inspect(engine).has_table("workflow_status", schema="dbos" if postgres else None)
    finally:
        engine.dispose()
