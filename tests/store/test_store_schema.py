"""Migrations build exactly the tables the code declares, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from contractsync.errors import ConfigurationError, StoreError
from contractsync.store import Database, parse_database_url
from contractsync.store import tables as t


def test_the_migrated_schema_matches_the_declared_tables(store_url: str) -> None:
    database = Database(store_url)
    try:
        with database.read() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), t.metadata)
    finally:
        database.dispose()
    assert differences == []


def test_upgrade_is_idempotent_and_reports_the_revision(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'nested' / 'store.sqlite'}")
    try:
        assert database.upgrade() == (None, database.head_revision())
        assert database.upgrade() == (database.head_revision(), database.head_revision())
        database.require_current_schema()
    finally:
        database.dispose()


def test_a_store_that_was_never_created_says_to_run_init(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        with pytest.raises(StoreError, match="Create it with: contractsync init"):
            database.require_current_schema()
    finally:
        database.dispose()


def test_a_store_behind_this_version_says_to_upgrade(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        database.upgrade()
        with database.write() as connection:
            connection.execute(sa.text("UPDATE alembic_version SET version_num = 'old0'"))
        with pytest.raises(StoreError, match=r"at schema revision old0.*contractsync init"):
            database.require_current_schema()
    finally:
        database.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        pytest.param("nonsense", "not valid", id="malformed"),
        pytest.param("oracle://scott@db/x", "'oracle' is not supported", id="unsupported"),
    ],
)
def test_bad_store_urls_are_refused_with_the_fix(url: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as refused:
        parse_database_url(url)
    assert "sqlite:///" in refused.value.message


def test_postgresql_urls_use_psycopg_3() -> None:
    url = parse_database_url("postgresql://postgres@127.0.0.1:5432/cs")
    assert url.drivername == "postgresql+psycopg"
