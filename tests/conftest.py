"""Shared fixtures: a hermetic environment, and the store on SQLite and on PostgreSQL.

PostgreSQL comes from ``CONTRACTSYNC_TEST_POSTGRES_URL`` (default: postgres on 127.0.0.1:5432
with trust auth). Each test gets its own throwaway database, cloned from a migrated template
made once per run. Without a reachable server the PostgreSQL variants are skipped, loudly,
except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import SecretStr
from sqlalchemy.engine import Connection

from contractsync.context import App
from contractsync.mapping import Mapping, default_mapping_path, load_mapping
from contractsync.model import Contract
from contractsync.package import install_in_sandbox
from contractsync.salesforce import OrgClient, PasswordAuth, RetryPolicy
from contractsync.sandbox import SandboxOrg
from contractsync.settings import Settings, load_settings
from contractsync.store import DELIVERED, OPEN, Database, tables

POSTGRES_ADMIN_URL = os.environ.get(
    "CONTRACTSYNC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = REPO_ROOT / "examples" / "contracts"


@pytest.fixture(autouse=True)
def _hermetic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("CONTRACTSYNC_") and name != "CONTRACTSYNC_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)


@dataclass(frozen=True)
class PostgresServer:
    admin_url: sa.URL
    template: str

    def url_for(self, database: str) -> str:
        return self.admin_url.set(database=database).render_as_string(hide_password=False)

    def create_database(self) -> str:
        name = f"cs_test_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(statement)
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    admin_url = sa.make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql+psycopg")
    probe = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with probe.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except sa.exc.OperationalError as error:
        message = (
            f"PostgreSQL is not reachable at {admin_url.render_as_string(hide_password=True)} "
            f"({str(error.orig).strip().splitlines()[0]}); start it or set "
            "CONTRACTSYNC_TEST_POSTGRES_URL"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    finally:
        probe.dispose()
    server = PostgresServer(admin_url, f"cs_template_{uuid.uuid4().hex[:12]}")
    server._admin(f'CREATE DATABASE "{server.template}"')
    template_db = Database(server.url_for(server.template))
    try:
        template_db.upgrade()
    finally:
        template_db.dispose()
    yield server
    server.drop_database(server.template)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    name = postgres_server.create_database()
    yield postgres_server.url_for(name)
    postgres_server.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty store: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite'}"
        database = Database(url)
        database.upgrade()
        database.dispose()
        return url
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def settings(store_url: str, tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path / "data", database_url=store_url)


@pytest.fixture
def app(settings: Settings) -> Iterator[App]:
    application = App.open(settings)
    yield application
    application.close()


def build_contract(key: str = "C-1", **changes: object) -> Contract:
    """A small valid contract; keyword arguments replace fields (JSON form accepted)."""
    data: dict[str, object] = {
        "contract_key": key,
        "title": f"Contract {key}",
        "contract_type": "subscription",
        "status": "draft",
        "effective_date": {"value": "2025-01-01", "review": {"state": "auto_approved"}},
        "initial_term": {"value": {"months": 12}},
        "auto_renew": {"value": True},
        "renewal_notice_period": {"value": {"days": 30}},
    }
    data.update(changes)
    return Contract.model_validate(data)


@pytest.fixture
def make_contract() -> Callable[..., Contract]:
    return build_contract


def install_package(org: SandboxOrg, mapping: Mapping) -> None:
    """Give a sandbox org the custom objects and fields ``mapping`` needs."""
    install_in_sandbox(org, mapping)


def sandbox_client(org: SandboxOrg, *, name: str = "sandbox", attempts: int = 8) -> OrgClient:
    """An org client for a sandbox org that retries without really sleeping."""
    info = org.info
    auth = PasswordAuth(
        login_url=info.login_url,
        client_id=info.client_id,
        client_secret=SecretStr(info.client_secret),
        username=info.username,
        password=SecretStr(info.password),
    )
    retry = RetryPolicy(attempts=attempts, base_s=0.0, cap_s=0.0, sleep=lambda _: None)
    return OrgClient(name, auth, ca_bundle=info.ca_bundle, retry=retry)


@pytest.fixture
def packaged_org() -> Iterator[SandboxOrg]:
    """A fresh sandbox org with the default mapping's package installed."""
    with SandboxOrg() as org:
        install_package(org, load_mapping(default_mapping_path()))
        yield org


@pytest.fixture
def org_client(packaged_org: SandboxOrg) -> Iterator[OrgClient]:
    client = sandbox_client(packaged_org)
    yield client
    client.close()


@pytest.fixture(scope="session")
def document_builders() -> ModuleType:
    """The documents tests' file builders (encrypted and bomb PDFs, scans), for any test.

    They sit beside the documents tests, whose folder is on sys.path only when those tests
    are collected too.
    """
    loaded = sys.modules.get("document_builders")
    if loaded is not None:
        return loaded
    path = Path(__file__).parent / "documents" / "document_builders.py"
    spec = importlib.util.spec_from_file_location("document_builders", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def record_calls(monkeypatch: pytest.MonkeyPatch) -> Callable[[OrgClient], list[str]]:
    """Start recording an org client's calls: the returned list gets the ``what`` of every
    call the client makes from then on."""

    def start(client: OrgClient) -> list[str]:
        seen: list[str] = []
        original = client._call

        def record(what: str, call: Callable[[Any], Any], **kwargs: Any) -> Any:
            seen.append(what)
            return original(what, call, **kwargs)

        monkeypatch.setattr(client, "_call", record)
        return seen

    return start


def _park_letter(
    app: App, org: str, key: str, *, message: str = "Name: data value too large"
) -> int:
    """Park a refused Contract record of ``org`` straight in the store; returns its id."""
    app.dead_letters.park(
        org,
        [
            {
                "sobject": "Contract",
                "external_key": key,
                "object_name": "contract",
                "contract_key": key,
                "payload": {"Name": "x" * 120},
                "error_code": "STRING_TOO_LONG",
                "message": message,
                "error_fields": ["Name"],
                "errors": [{"code": "STRING_TOO_LONG", "message": message, "fields": ["Name"]}],
            }
        ],
        actor="tester",
        run_id=f"run-{key}",
    )
    [letter] = [found for found in app.dead_letters.list(org=org) if found.external_key == key]
    return letter.id


@pytest.fixture
def park_letter() -> Callable[..., int]:
    """``park_letter(app, org, key, message=...)``: a refused record parked as a dead letter."""
    return _park_letter


@pytest.fixture
def delivered_before_next_write(monkeypatch: pytest.MonkeyPatch) -> Callable[[App, int], None]:
    """``delivered_before_next_write(app, letter_id)``: the store's next write transaction
    starts only after a replay has delivered the letter and committed, as when a replay
    wins the race against a discard that has already read the letter as open."""

    def arrange(app: App, letter_id: int) -> None:
        database = app.dead_letters.database
        write = database.write
        letters = tables.dead_letters

        raced: list[bool] = []

        @contextmanager
        def delivered_first() -> Iterator[Connection]:
            if not raced:  # only the next write loses the race; later ones run as usual
                raced.append(True)
                with write() as replay:
                    replay.execute(
                        letters.update()
                        .where(letters.c.id == letter_id, letters.c.status == OPEN)
                        .values(status=DELIVERED, resolved_by="sync")
                    )
            with write() as connection:
                yield connection

        monkeypatch.setattr(database, "write", delivered_first)

    return arrange
