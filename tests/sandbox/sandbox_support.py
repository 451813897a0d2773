"""Helpers shared by the sandbox tests: raw HTTP access and a hand-driven clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import requests

from contractsync.sandbox import SandboxInfo


@dataclass
class Api:
    """Raw HTTP access to a sandbox org, for asserting exact statuses and bodies."""

    info: SandboxInfo
    session: requests.Session
    version: str = "59.0"

    def url(self, path: str) -> str:
        if path.startswith("/"):
            return self.info.instance_url + path
        return f"{self.info.instance_url}/services/data/v{self.version}/{path}"

    def call(
        self, method: str, path: str, *, token: str | None = None, **kw: Any
    ) -> requests.Response:
        headers = kw.pop("headers", {})
        headers.setdefault("Authorization", f"Bearer {token or self.info.access_token}")
        kw.setdefault("timeout", 30)
        return self.session.request(method, self.url(path), headers=headers, **kw)


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2025, 6, 18, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def new_session(info: SandboxInfo) -> requests.Session:
    session = requests.Session()
    # requests lets REQUESTS_CA_BUNDLE override Session.verify; tests must not depend on env.
    session.trust_env = False
    session.verify = info.ca_bundle if info.ca_bundle else True
    return session
