"""A sandbox org that outlives the processes syncing to it (see ``sync_support``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_support import SyncHarness, org_client, org_env

from contractsync.context import App
from contractsync.mapping import default_mapping_path, load_mapping
from contractsync.package import install_in_sandbox
from contractsync.sandbox import SandboxOrg
from contractsync.settings import load_settings


@pytest.fixture
def harness(store_url: str, tmp_path: Path) -> Iterator[SyncHarness]:
    """A packaged sandbox org, the store at ``store_url``, and the environment with which
    ``contractsync`` subprocesses use both (nothing of this process's CONTRACTSYNC_*)."""
    mapping = load_mapping(default_mapping_path())
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACTSYNC_")}
    env |= {
        "CONTRACTSYNC_DATA_DIR": str(tmp_path / "data"),
        "CONTRACTSYNC_DATABASE_URL": store_url,
        "COLUMNS": "200",
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    with SandboxOrg(data=tmp_path / "org.sqlite") as org:
        install_in_sandbox(org, mapping)
        env |= org_env(org)
        app = App.open(load_settings(data_dir=tmp_path / "data", database_url=store_url))
        client = org_client(org)
        try:
            yield SyncHarness(org, app, env, mapping, logs, client, tmp_path / "org.sqlite")
        finally:
            client.close()
            app.close()
