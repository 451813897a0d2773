"""Error responses: one JSON shape with a stable code, never a traceback or a secret."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from contractsync.errors import (
    AlreadyExistsError,
    ConcurrencyError,
    ContractSyncError,
    LifecycleError,
    NotFoundError,
    RetryableSyncError,
    StoreError,
    SyncError,
)
from contractsync.logs import redact

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """What every failed request answers (but FastAPI's 422 for malformed input)."""

    code: str = Field(description="Stable machine-readable code, e.g. not_found, unauthorized.")
    message: str = Field(description="What went wrong and how to fix it.")


class ApiError(Exception):
    """A refusal decided by the API itself (unknown id, missing token)."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def not_found(message: str) -> ApiError:
    return ApiError(404, NotFoundError.code, message)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the error answers a route can give."""
    described = {
        401: "The bearer token is missing or wrong.",
        403: "No token is configured and the caller is not on the server's machine.",
        404: "The thing asked for does not exist.",
        409: "The request conflicts with the current state.",
        502: "The Salesforce org refused or failed.",
        503: "A dependency is unavailable; try again later.",
    }
    return {status: {"model": ErrorBody, "description": described[status]} for status in statuses}


def status_for(error: ContractSyncError) -> int:
    """The HTTP status of a contractsync error, by what the caller should do about it."""
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, AlreadyExistsError | ConcurrencyError | LifecycleError):
        return 409
    if isinstance(error, StoreError | RetryableSyncError):
        return 503
    if isinstance(error, SyncError):
        return 502
    return 500


def install_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(ApiError)
    async def problem(_request: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(
            _body(error.code, error.message), status_code=error.status_code, headers=error.headers
        )

    @api.exception_handler(ContractSyncError)
    async def contractsync_error(request: Request, error: ContractSyncError) -> JSONResponse:
        status = status_for(error)
        log.warning(
            "request failed method=%s path=%s status=%d code=%s %s",
            request.method, request.url.path, status, error.code, redact(error.message),
        )  # fmt: skip
        return JSONResponse(_body(error.code, error.message), status_code=status)

    @api.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.error(
            "unexpected error method=%s path=%s", request.method, request.url.path, exc_info=error
        )
        return JSONResponse(
            _body("internal_error", "Unexpected error; the server log has the details."),
            status_code=500,
        )


def _body(code: str, message: str) -> dict[str, Any]:
    return ErrorBody(code=code, message=redact(message)).model_dump()
