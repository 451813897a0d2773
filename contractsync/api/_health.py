"""``/health``: liveness (the process answers) and readiness (the store answers too)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from contractsync import __version__
from contractsync.errors import ContractSyncError

from ._models import Health, Readiness
from ._state import api_state

log = logging.getLogger(__name__)

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", summary="Liveness")
def health() -> Health:
    """The process is up and serving; touches nothing else."""
    return Health(version=__version__)


@router.get(
    "/ready",
    summary="Readiness",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "The store does not answer."}},
)
def ready(request: Request) -> Readiness | JSONResponse:
    """The store answers and its schema is the one this version needs."""
    try:
        api_state(request).app.database.require_current_schema()
    except (ContractSyncError, SQLAlchemyError) as error:
        code = error.code if isinstance(error, ContractSyncError) else "store_unavailable"
        # Unauthenticated, so the answer names no database; the log has the details.
        log.warning("store not ready code=%s", code, exc_info=error)
        body = Readiness(status="unavailable", store=code)
        return JSONResponse(body.model_dump(), status_code=503)
    return Readiness(status="ready", store="ok")
