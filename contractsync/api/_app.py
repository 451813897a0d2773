"""The FastAPI application: routers, authentication, error answers and the durable engine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI

from contractsync import __version__
from contractsync.context import App
from contractsync.sync import org_registry

from . import _contracts, _dead_letters, _health, _metrics, _sync
from ._auth import require_token
from ._engine import EngineThread
from ._errors import error_responses, install_error_handlers
from ._state import ApiState

DESCRIPTION = """\
Dead letters (records a Salesforce org refused) to inspect, replay or discard; sync runs
and each org's state; the canonical contracts; health and Prometheus metrics.

When `CONTRACTSYNC_API__TOKEN` is set, every endpoint but `/health`, `/health/ready` and
these docs needs `Authorization: Bearer <token>`; when it is not, they answer callers on the
server's own machine only.
"""


def create_api(app: App, *, actor: str | None = None) -> FastAPI:
    """The API serving ``app``; the durable engine runs for as long as the API is served.

    DBOS is one engine per process, so serve one API per process. Changes are audited as
    ``actor``: by default the configured actor (``CONTRACTSYNC_ACTOR``), else ``api``.
    """

    @asynccontextmanager
    async def lifespan(_api: FastAPI) -> AsyncIterator[None]:
        # Replays run sync workflows, which need the engine; launching it here also resumes
        # the workflows a crashed process left behind.
        engine = EngineThread(app)
        await anyio.to_thread.run_sync(engine.start)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(engine.stop)

    api = FastAPI(
        title="contractsync",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    # Built now, in one thread, rather than lazily by concurrent requests.
    org_registry(app)
    api.state.contractsync = ApiState(app=app, actor=actor or app.settings.actor or "api")
    install_error_handlers(api)
    api.include_router(_health.router)
    guarded = [Depends(require_token)]
    for router in (_dead_letters.router, _sync.router, _contracts.router, _metrics.router):
        api.include_router(router, dependencies=guarded, responses=error_responses(403))
    return api
