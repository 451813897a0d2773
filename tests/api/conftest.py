"""An App syncing to the session's sandbox org (as org ``test``), and the API over it.

The sandbox org is shared by the session, so each test gives its contracts keys of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from api_support import LOOPBACK, TOKEN, org_settings
from fastapi.testclient import TestClient

from contractsync.api import create_api
from contractsync.context import App
from contractsync.mapping import default_mapping_path, load_mapping
from contractsync.package import install_in_sandbox
from contractsync.sandbox import SandboxInfo, SandboxOrg
from contractsync.settings import OrgSettings, load_settings
from contractsync.store import Database


@pytest.fixture(scope="session")
def packaged_sandbox(sandbox_server: SandboxOrg, sandbox_org: SandboxInfo) -> SandboxInfo:
    """The session's sandbox org with the default mapping's package installed."""
    install_in_sandbox(sandbox_server, load_mapping(default_mapping_path()))
    return sandbox_org


@pytest.fixture
def org_overrides() -> dict[str, OrgSettings]:
    """More orgs next to ``test``; tests override this fixture to add some."""
    return {}


@pytest.fixture
def api_token() -> str | None:
    """The API token of the settings; tests override this fixture to set one."""
    return None


@pytest.fixture
def store(
    tmp_path: Path,
    packaged_sandbox: SandboxInfo,
    org_overrides: dict[str, OrgSettings],
    api_token: str | None,
) -> Iterator[App]:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    database = Database(url)
    database.upgrade()
    database.dispose()
    settings = load_settings(
        data_dir=tmp_path / "data",
        database_url=url,
        orgs={"test": org_settings(packaged_sandbox), **org_overrides},
        api={"token": api_token} if api_token else {},
    )
    app = App.open(settings)
    yield app
    app.close()


@pytest.fixture
def client(store: App) -> Iterator[TestClient]:
    """The API over ``store``, served (lifespan and durable engine included)."""
    headers = {"Authorization": f"Bearer {TOKEN}"} if store.settings.api.token else {}
    with TestClient(create_api(store), headers=headers, client=LOOPBACK) as served:
        yield served


@pytest.fixture
def key() -> Callable[[str], str]:
    """Contract keys unique to this test (the sandbox org outlives it)."""
    prefix = uuid.uuid4().hex[:6].upper()
    return lambda name: f"{name}-{prefix}"
