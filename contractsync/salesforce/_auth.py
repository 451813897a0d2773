"""Logging in to an org: one small class per OAuth flow, all ending in an ``OrgSession``.

contractsync posts to the token endpoint itself (rather than through simple-salesforce's
login helpers, which hard-wire ``*.salesforce.com``), so any login URL works: production,
test, a My Domain, or the local sandbox org. Sources: salesforce-api.md section 1;
Salesforce Help "OAuth 2.0 JWT Bearer Flow", "Client Credentials Flow".
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

import jwt
import requests
from pydantic import SecretStr

from contractsync.errors import PermanentSyncError, RetryableSyncError

JWT_LIFETIME_S = 180
"""Salesforce wants a short-lived assertion; three minutes is what its own clients use."""


@dataclass(frozen=True, slots=True)
class OrgSession:
    """An access token and the instance it is valid for."""

    access_token: SecretStr
    instance_url: str

    def __repr__(self) -> str:
        return f"OrgSession(instance_url={self.instance_url!r}, access_token=***)"


class OrgAuth(Protocol):
    """A way to obtain an ``OrgSession``; ``refreshable`` says whether it can do so again."""

    @property
    def refreshable(self) -> bool: ...

    def login(self, http: requests.Session, *, timeout_s: float) -> OrgSession: ...


@dataclass(frozen=True, slots=True)
class PasswordAuth:
    """OAuth username-password flow (discouraged by Salesforce; prefer JWT or client
    credentials). ``password`` includes the security token when the IP is not trusted."""

    login_url: str
    client_id: str
    client_secret: SecretStr
    username: str
    password: SecretStr
    refreshable: bool = True

    def login(self, http: requests.Session, *, timeout_s: float) -> OrgSession:
        return _token_request(
            http,
            self.login_url,
            {
                "grant_type": "password",
                "client_id": self.client_id,
                "client_secret": self.client_secret.get_secret_value(),
                "username": self.username,
                "password": self.password.get_secret_value(),
            },
            timeout_s=timeout_s,
        )


@dataclass(frozen=True, slots=True)
class ClientCredentialsAuth:
    """OAuth client-credentials flow; ``login_url`` must be the org's My Domain URL."""

    login_url: str
    client_id: str
    client_secret: SecretStr
    refreshable: bool = True

    def login(self, http: requests.Session, *, timeout_s: float) -> OrgSession:
        return _token_request(
            http,
            self.login_url,
            {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret.get_secret_value(),
            },
            timeout_s=timeout_s,
        )


@dataclass(frozen=True, slots=True)
class JwtBearerAuth:
    """OAuth JWT bearer flow: an RS256 assertion signed with the connected app's key."""

    login_url: str
    client_id: str
    username: str
    private_key: SecretStr
    audience: str | None = None
    """``aud`` claim; defaults to the login URL (``https://login.salesforce.com`` etc.)."""
    refreshable: bool = True

    def login(self, http: requests.Session, *, timeout_s: float) -> OrgSession:
        claims = {
            "iss": self.client_id,
            "sub": self.username,
            "aud": self.audience or self.login_url.rstrip("/"),
            "exp": int(time.time()) + JWT_LIFETIME_S,
        }
        try:
            assertion = jwt.encode(claims, self.private_key.get_secret_value(), algorithm="RS256")
        except (ValueError, TypeError, jwt.PyJWTError) as error:
            raise PermanentSyncError(
                f"The JWT private key cannot sign ({type(error).__name__}). Give the PEM "
                "private key of the connected app's certificate.",
            ) from None
        return _token_request(
            http,
            self.login_url,
            {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion},
            timeout_s=timeout_s,
        )


@dataclass(frozen=True, slots=True)
class AccessTokenAuth:
    """An access token obtained elsewhere; it cannot be renewed when it expires."""

    instance_url: str
    access_token: SecretStr
    refreshable: bool = False

    def login(self, http: requests.Session, *, timeout_s: float) -> OrgSession:
        return OrgSession(self.access_token, self.instance_url.rstrip("/"))


def _token_request(
    http: requests.Session, login_url: str, form: dict[str, str], *, timeout_s: float
) -> OrgSession:
    url = f"{login_url.rstrip('/')}/services/oauth2/token"
    try:
        response = http.post(url, data=form, timeout=timeout_s)
    except requests.RequestException as error:
        raise RetryableSyncError(
            f"Cannot reach {login_url} to log in ({type(error).__name__}). Check the login "
            "URL and the network; contractsync will retry.",
            login_url=login_url,
        ) from None
    body = _json(response)
    if response.status_code != 200 or "access_token" not in body:
        code = body.get("error", f"HTTP {response.status_code}")
        description = body.get("error_description", "")
        failure = RetryableSyncError if response.status_code >= 500 else PermanentSyncError
        raise failure(
            f"Salesforce refused the login at {login_url}: {code}"
            + (f" ({description})" if description else "")
            + ". Check the org's client id, user and secret (contractsync orgs test).",
            login_url=login_url,
            salesforce_code=code,
        )
    return OrgSession(SecretStr(str(body["access_token"])), str(body["instance_url"]).rstrip("/"))


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        parsed = response.json()
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
