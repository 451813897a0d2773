"""The application context: settings and the store's parts, built once and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contractsync.audit import AuditLog
from contractsync.settings import Settings
from contractsync.store import (
    ContractRepository,
    Database,
    DeadLetterRepository,
    DocumentRepository,
    SyncRunRepository,
    SyncStateRepository,
)


@dataclass(slots=True)
class App:
    """Everything a command or workflow needs, with no module-level state of our own."""

    settings: Settings
    database: Database
    audit: AuditLog
    contracts: ContractRepository
    documents: DocumentRepository
    sync_state: SyncStateRepository
    dead_letters: DeadLetterRepository
    sync_runs: SyncRunRepository
    services: dict[str, Any] = field(default_factory=dict)
    """Process-wide services built on demand by higher layers (org clients ...); each is
    closed with the app when it has a ``close()``."""

    @classmethod
    def open(cls, settings: Settings, *, require_schema: bool = True) -> App:
        """Connect to the store; unless told otherwise, refuse one that is missing or old."""
        database = Database(settings.store_url)
        if require_schema:
            try:
                database.require_current_schema()
            except BaseException:
                database.dispose()
                raise
        audit = AuditLog(database)
        return cls(
            settings=settings,
            database=database,
            audit=audit,
            contracts=ContractRepository(database, audit),
            documents=DocumentRepository(database, audit),
            sync_state=SyncStateRepository(database, audit),
            dead_letters=DeadLetterRepository(database, audit),
            sync_runs=SyncRunRepository(database),
        )

    @property
    def actor(self) -> str:
        return self.settings.actor_name

    def close(self) -> None:
        for service in self.services.values():
            close = getattr(service, "close", None)
            if callable(close):
                close()
        self.services.clear()
        self.database.dispose()
