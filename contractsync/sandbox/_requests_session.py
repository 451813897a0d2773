"""A ``requests.Session`` that sends ``*.salesforce.com`` login calls to the sandbox org.

simple-salesforce hard-wires its login URLs to ``https://{domain}.salesforce.com``
(salesforce-api.md 1.4), so login flows can only reach a local org through a transport
adapter on the session it is given. ``requests`` is imported here only, lazily: the sandbox
server itself does not depend on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    import requests

    from ._server import SandboxInfo

__all__ = ["sandbox_requests_session"]


def sandbox_requests_session(info: SandboxInfo) -> requests.Session:
    """A session that trusts the org's CA and routes Salesforce login hosts to it."""
    import requests  # noqa: PLC0415 - optional, client-side dependency
    from requests.adapters import HTTPAdapter  # noqa: PLC0415

    target = urlsplit(info.instance_url)

    class _RedirectLogin(HTTPAdapter):
        def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
            parts = urlsplit(request.url or "")
            if parts.hostname and parts.hostname.endswith(".salesforce.com"):
                request.url = urlunsplit(
                    (target.scheme, target.netloc, parts.path, parts.query, parts.fragment)
                )
                parts = target
            if info.ca_bundle and parts.netloc == target.netloc:
                # requests lets REQUESTS_CA_BUNDLE override Session.verify (psf/requests#3829);
                # calls to the org must trust its CA whatever the environment says.
                kwargs["verify"] = info.ca_bundle
            return super().send(request, *args, **kwargs)

    session = requests.Session()
    if info.ca_bundle:
        session.verify = info.ca_bundle
    adapter = _RedirectLogin()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
