"""What every route reaches through the request: the app context and the actor."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from contractsync.context import App


@dataclass(slots=True)
class ApiState:
    """The application context one API instance serves."""

    app: App
    actor: str
    """Who changes made through the API are attributed to in the audit log."""


def api_state(request: Request) -> ApiState:
    found = getattr(request.app.state, "contractsync", None)
    if not isinstance(found, ApiState):
        raise TypeError("this FastAPI app was not made by contractsync.api.create_api")
    return found
