"""The HTTP session every org client uses: timeouts, trusted CA, limit tracking.

simple-salesforce takes a ``requests.Session`` and never sets a timeout itself, so a hung
org would hang a sync forever; the adapter here gives every request one. It also pins the
CA bundle configured for the org, because ``requests`` lets ``REQUESTS_CA_BUNDLE`` override
``Session.verify`` (psf/requests#3829), and feeds ``Sforce-Limit-Info`` to the tracker.
"""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter

from ._limits import LimitTracker

CLIENT_NAME = "contractsync"


class _OrgAdapter(HTTPAdapter):
    def __init__(self, *, timeout_s: float, ca_bundle: str | None) -> None:
        super().__init__(pool_connections=4, pool_maxsize=16)
        self.timeout_s = timeout_s
        self.ca_bundle = ca_bundle

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout_s
        if self.ca_bundle:
            kwargs["verify"] = self.ca_bundle
        return super().send(request, *args, **kwargs)


def org_http_session(
    *, limits: LimitTracker, timeout_s: float = 60.0, ca_bundle: str | None = None
) -> requests.Session:
    """A session for one org: default timeout, pinned CA, usage tracking, echo marking."""
    session = requests.Session()
    adapter = _OrgAdapter(timeout_s=timeout_s, ca_bundle=ca_bundle)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    # Salesforce reports this client in CDC events' changeOrigin, which is how inbound sync
    # tells contractsync's own writes from people's (salesforce-api.md 2.5, 7.2).
    session.headers["Sforce-Call-Options"] = f"client={CLIENT_NAME}"

    def _observe(response: requests.Response, *_: Any, **__: Any) -> None:
        limits.observe(response.headers.get("Sforce-Limit-Info"))

    session.hooks["response"].append(_observe)
    return session
