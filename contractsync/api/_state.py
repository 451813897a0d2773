"""What every route reaches through the request: the app context and its guards."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from fastapi import Request

from contractsync.context import App


@dataclass(slots=True)
class ApiState:
    """The application context one API instance serves."""

    app: App
    actor: str
    """Who changes made through the API are attributed to in the audit log."""
    orgs_lock: threading.Lock = field(default_factory=threading.Lock)
    """Routes run in a thread pool; org clients (and local sandbox orgs) are built lazily
    and must be built once."""


def api_state(request: Request) -> ApiState:
    found = getattr(request.app.state, "contractsync", None)
    if not isinstance(found, ApiState):
        raise TypeError("this FastAPI app was not made by contractsync.api.create_api")
    return found
