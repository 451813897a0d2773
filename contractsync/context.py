"""The application context: settings and the store's parts, built once and passed down."""

from __future__ import annotations

from dataclasses import dataclass

from contractsync.audit import AuditLog
from contractsync.settings import Settings
from contractsync.store import ContractRepository, Database, DocumentRepository


@dataclass(slots=True)
class App:
    """Everything a command or workflow needs, with no module-level state of our own."""

    settings: Settings
    database: Database
    audit: AuditLog
    contracts: ContractRepository
    documents: DocumentRepository

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
        )

    @property
    def actor(self) -> str:
        return self.settings.actor_name

    def close(self) -> None:
        self.database.dispose()
