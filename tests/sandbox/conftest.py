"""Shared sandbox orgs for the sandbox tests: one per session, plus helpers to call it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sandbox_support import Api, FakeClock, new_session

from contractsync.sandbox import SandboxOrg

EXT_ID = {
    "name": "Ext_Id__c",
    "label": "External Id",
    "type": "string",
    "length": 40,
    "externalId": True,
    "unique": True,
}


@pytest.fixture(scope="session")
def org() -> Iterator[SandboxOrg]:
    with SandboxOrg() as running:
        running.add_custom_field("Account", EXT_ID)
        running.add_custom_field("Contract", EXT_ID)
        running.add_custom_field(
            "Contact", {"name": "Code__c", "type": "string", "length": 10, "externalId": True}
        )
        yield running


@pytest.fixture(scope="session")
def api(org: SandboxOrg) -> Iterator[Api]:
    session = new_session(org.info)
    yield Api(org.info, session)
    session.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clocked(clock: FakeClock) -> Iterator[tuple[SandboxOrg, Api]]:
    """A fresh org on a hand-driven clock, 2-minute sessions and a 5-call daily allocation."""
    with SandboxOrg(
        clock=clock, session_timeout=dt.timedelta(minutes=2), daily_api_limit=5
    ) as running:
        session = new_session(running.info)
        yield running, Api(running.info, session)
        session.close()
