"""Who may call the API: a bearer token when one is set, loopback callers only otherwise."""

from __future__ import annotations

import hmac
import ipaddress
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from contractsync.errors import ConfigurationError
from contractsync.settings import ENV_PREFIX, Settings

from ._errors import ApiError
from ._state import api_state

TOKEN_SETTING = f"{ENV_PREFIX}API__TOKEN"

_bearer = HTTPBearer(
    auto_error=False,
    description=f"The API token: the value of {TOKEN_SETTING} on the server.",
)


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Refuse the request unless it carries the configured token, or, with no token
    configured, unless it comes from this machine.

    The loopback rule is enforced here and not only where ``api serve`` binds, because
    ``create_api`` is also served by other means (``uvicorn --factory``, gunicorn) on any
    address.
    """
    expected = api_state(request).app.settings.api.token
    if expected is None:
        caller = request.client.host if request.client is not None else ""
        if is_loopback(caller):
            return
        raise ApiError(
            403,
            "forbidden",
            f"Without {TOKEN_SETTING} set on the server, the API answers callers on its own "
            f"machine only. Set {TOKEN_SETTING} on the server (for example to the output of: "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))') and send "
            "'Authorization: Bearer <token>'.",
        )
    given = credentials.credentials if credentials is not None else ""
    # Constant time, on bytes: compare_digest takes str only when it is ASCII.
    if not hmac.compare_digest(given.encode(), expected.get_secret_value().encode()):
        raise ApiError(
            401,
            "unauthorized",
            "A valid bearer token is required: send 'Authorization: Bearer <token>' with the "
            f"value of {TOKEN_SETTING} set on the server.",
            headers={"WWW-Authenticate": "Bearer"},
        )


def check_bind_address(settings: Settings, host: str) -> None:
    """Refuse to listen beyond this machine without a token, before anything is opened.

    Callers from elsewhere would be refused request by request anyway; failing at start
    says so once, clearly. (A token too short to be safe is refused by the settings.)
    """
    if settings.api.token is not None or is_loopback(host):
        return
    raise ConfigurationError(
        f"Refusing to serve the API on '{host}' without a token: anyone who can reach it "
        f"could replay and discard dead letters. Set {TOKEN_SETTING} (for example to the "
        "output of: python -c 'import secrets; print(secrets.token_urlsafe(32))') or "
        "serve on 127.0.0.1.",
        setting="api.token",
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # other names may resolve anywhere
