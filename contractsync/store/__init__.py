"""The store: canonical contract records with their versions, documents, and the tables the
audit log lives in. SQLite by default, PostgreSQL by URL; schema managed by Alembic."""

from . import _tables as tables
from ._contracts import ContractRepository, ContractVersion, StoredContract, WriteResult
from ._database import Database, parse_database_url
from ._dead_letters import DELIVERED, DISCARDED, OPEN, DeadLetter, DeadLetterRepository
from ._documents import DocumentRepository, StoredDocument
from ._inbound import APPLIED, DISMISSED, InboundRepository, PendingChange, Watermark
from ._journal import Clock, Journal, JournalEntry, utc_now
from ._json import canonical_json
from ._sync_state import ConfirmedRecord, SyncRunRepository, SyncStateRepository

__all__ = [
    "APPLIED",
    "DELIVERED",
    "DISCARDED",
    "DISMISSED",
    "OPEN",
    "Clock",
    "ConfirmedRecord",
    "ContractRepository",
    "ContractVersion",
    "Database",
    "DeadLetter",
    "DeadLetterRepository",
    "DocumentRepository",
    "InboundRepository",
    "Journal",
    "JournalEntry",
    "PendingChange",
    "StoredContract",
    "StoredDocument",
    "SyncRunRepository",
    "SyncStateRepository",
    "Watermark",
    "WriteResult",
    "canonical_json",
    "parse_database_url",
    "tables",
    "utc_now",
]
