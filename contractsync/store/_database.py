"""Opening the store's database: URL checks, engine set-up per backend, schema migrations."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from contractsync.errors import ConfigurationError, StoreError

log = logging.getLogger(__name__)

_WRITE = "contractsync_write"
_MIGRATION_LOCK = 0x0C0A7_5C  # PostgreSQL advisory lock id: one migrator at a time


def parse_database_url(url: str) -> URL:
    """Parse and normalise a store URL (``postgresql://`` uses psycopg 3), or say what's wrong."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError(
            "The database URL is not valid. Use sqlite:///path/to/file.sqlite or "
            "postgresql://user@host:5432/dbname (CONTRACTSYNC_DATABASE_URL).",
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend not in {"sqlite", "postgresql"}:
        raise ConfigurationError(
            f"Database backend '{backend}' is not supported. Use sqlite:///path/to/file.sqlite "
            "or postgresql://user@host:5432/dbname (CONTRACTSYNC_DATABASE_URL)."
        )
    return parsed


class Database:
    """One store database: its engine, transactions, and schema version."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = parse_database_url(url)
        self.engine: Engine = self._create_engine(engine_options)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, for messages and logs."""
        return self.url.render_as_string(hide_password=True)

    def _create_engine(self, options: dict[str, Any]) -> Engine:
        if not self.is_sqlite:
            return sa.create_engine(self.url, pool_pre_ping=True, **options)
        database = self.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(self.url, **options)
        _configure_sqlite(engine)
        return engine

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on any error.

        On SQLite it starts with ``BEGIN IMMEDIATE`` so that concurrent writers queue on the
        busy timeout instead of failing half-way with "database is locked".
        """
        with self._connect() as plain:
            connection = plain.execution_options(**{_WRITE: True})
            with connection.begin():
                yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction."""
        with self._connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        try:
            connection = self.engine.connect()
        except OperationalError as error:
            raise StoreError(
                f"Cannot open the database {self.display_url}: {_first_line(error)}. "
                "Start the database server or fix CONTRACTSYNC_DATABASE_URL.",
                database=self.display_url,
            ) from None
        with connection:
            yield connection

    # ---- schema ----

    @cached_property
    def _alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", "contractsync.store:migrations")
        return config

    def head_revision(self) -> str:
        head = ScriptDirectory.from_config(self._alembic_config).get_current_head()
        if head is None:
            raise StoreError("contractsync was installed without its store migrations; reinstall")
        return head

    def current_revision(self) -> str | None:
        with self.read() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def upgrade(self) -> tuple[str | None, str]:
        """Bring the schema to the newest revision; returns (before, after)."""
        with self.write() as connection:
            if not self.is_sqlite:
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
            before = MigrationContext.configure(connection).get_current_revision()
            self._alembic_config.attributes["connection"] = connection
            try:
                command.upgrade(self._alembic_config, "head")
            finally:
                self._alembic_config.attributes.pop("connection", None)
        after = self.head_revision()
        if before != after:
            log.info("store schema upgraded from=%s to=%s db=%s", before, after, self.display_url)
        return before, after

    def require_current_schema(self) -> None:
        """Refuse to work on a store that was never created or is behind this version."""
        current, head = self.current_revision(), self.head_revision()
        if current == head:
            return
        if current is None:
            raise StoreError(
                f"No contractsync store in {self.display_url} yet. "
                "Create it with: contractsync init",
                database=self.display_url,
            )
        raise StoreError(
            f"The store in {self.display_url} is at schema revision {current}; this version "
            f"of contractsync needs {head}. Upgrade it with: contractsync init",
            database=self.display_url,
        )

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot do BEGIN IMMEDIATE; hand
    # transaction control to SQLAlchemy (documented recipe: "Serializable isolation /
    # Savepoints / Transactional DDL" in SQLAlchemy's SQLite dialect notes).
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _first_line(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).strip().splitlines()[0] if str(original).strip() else type(error).__name__
