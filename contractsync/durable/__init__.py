"""The durable engine: DBOS launched from settings, and helpers to see and finish its work."""

from ._engine import (
    APP_NAME,
    WorkflowSummary,
    durable_engine,
    engine_app,
    engine_config,
    finish_recovered_workflows,
    recent_workflows,
    resume_abandoned_workflows,
)
from ._locks import ProcessLock
from ._queues import queue_depths

__all__ = [
    "APP_NAME",
    "ProcessLock",
    "WorkflowSummary",
    "durable_engine",
    "engine_app",
    "engine_config",
    "finish_recovered_workflows",
    "queue_depths",
    "recent_workflows",
    "resume_abandoned_workflows",
]
