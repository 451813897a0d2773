"""pytest fixtures for testing integrations against the sandbox org.

Registered as the ``contractsync_sandbox`` pytest11 entry point, so any project that installs
contractsync can write::

    def test_push(sandbox_org):
        sf = Salesforce(instance_url=sandbox_org.instance_url, session_id=sandbox_org.access_token,
                        session=sandbox_session)

``sandbox_org`` is one org per test session (fast); ``fresh_sandbox_org`` is a new, empty org
per test (isolated).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ._requests_session import sandbox_requests_session
from ._server import SandboxInfo, SandboxOrg

if TYPE_CHECKING:
    import requests

__all__ = ["fresh_sandbox_org", "sandbox_org", "sandbox_server", "sandbox_session"]


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxOrg]:
    """The running ``SandboxOrg`` shared by the test session (for its control methods)."""
    with SandboxOrg() as org:
        yield org


@pytest.fixture(scope="session")
def sandbox_org(sandbox_server: SandboxOrg) -> SandboxInfo:
    """Connection details of the session's sandbox org."""
    return sandbox_server.info


@pytest.fixture
def fresh_sandbox_org() -> Iterator[SandboxInfo]:
    """A new, empty sandbox org for one test."""
    with SandboxOrg() as org:
        yield org.info


@pytest.fixture
def sandbox_session(sandbox_org: SandboxInfo) -> Iterator[requests.Session]:
    """A ``requests.Session`` trusting the org's CA that routes logins to it."""
    session = sandbox_requests_session(sandbox_org)
    yield session
    session.close()
