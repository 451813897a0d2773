"""The store's tables (SQLAlchemy Core). Alembic migrations under ``migrations/`` create them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC instants on every backend (SQLite keeps no zone of its own)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONDocument: sa.types.TypeEngine[Any] = sa.JSON().with_variant(JSONB(), "postgresql")

contracts = sa.Table(
    "contracts",
    metadata,
    sa.Column("contract_key", sa.String(80), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("title", sa.String(255), nullable=False),
    sa.Column("status", sa.String(32), nullable=False, index=True),
    sa.Column("contract_type", sa.String(64), nullable=False),
    sa.Column("account_key", sa.String(80), nullable=True, index=True),
    sa.Column("record", JSONDocument, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("updated_by", sa.String(255), nullable=False),
)
"""The current version of each contract, for listing and lookups."""

contract_versions = sa.Table(
    "contract_versions",
    metadata,
    sa.Column("contract_key", sa.String(80), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("record", JSONDocument, nullable=False),
    sa.Column("record_sha256", sa.String(64), nullable=False),
    sa.Column("changed_fields", JSONDocument, nullable=False),
    sa.Column("actor", sa.String(255), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("idempotency_key", sa.String(255), nullable=True, unique=True),
)
"""Every version of every contract; never updated, only appended."""

document_blobs = sa.Table(
    "document_blobs",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("media_type", sa.String(127), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)
"""Document bytes, content-addressed: the same bytes are stored once."""

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(255), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("entity_type", sa.String(64), nullable=False),
    sa.Column("entity_key", sa.String(255), nullable=False, index=True),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)
"""Append-only, hash-chained log of every change (see ``contractsync.audit``)."""

audit_head = sa.Table(
    "audit_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)
"""One row: the last entry's sequence number and hash. Writers lock it to append in order,
and verification compares it with the log so that removing the newest entries shows."""

sync_state = sa.Table(
    "sync_state",
    metadata,
    sa.Column("org", sa.String(64), primary_key=True),
    sa.Column("sobject", sa.String(80), primary_key=True),
    sa.Column("external_key", sa.String(255), primary_key=True),
    sa.Column("object_name", sa.String(64), nullable=False),
    sa.Column("contract_key", sa.String(80), nullable=False, index=True),
    sa.Column("sf_id", sa.String(18), nullable=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("snapshot", JSONDocument, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("confirmed_at", UTCDateTime, nullable=False),
)
"""What each org last confirmed for each record contractsync writes: the diff's baseline."""

dead_letters = sa.Table(
    "dead_letters",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("org", sa.String(64), nullable=False),
    sa.Column("sobject", sa.String(80), nullable=False),
    sa.Column("external_key", sa.String(255), nullable=False),
    sa.Column("object_name", sa.String(64), nullable=False),
    sa.Column("contract_key", sa.String(80), nullable=False, index=True),
    sa.Column("payload", JSONDocument, nullable=False),
    sa.Column("error_code", sa.String(80), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("error_fields", JSONDocument, nullable=False),
    sa.Column("errors", JSONDocument, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("resolved_by", sa.String(255), nullable=True),
)
"""Records an org refused for good, with the field-level reason, until replayed or discarded."""

sync_runs = sa.Table(
    "sync_runs",
    metadata,
    sa.Column("run_id", sa.String(255), primary_key=True),
    sa.Column("org", sa.String(64), nullable=False, index=True),
    sa.Column("started_at", UTCDateTime, nullable=False),
    sa.Column("finished_at", UTCDateTime, nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("summary", JSONDocument, nullable=False),
)
"""One row per sync run of one org: when, and what it did."""

sync_watermarks = sa.Table(
    "sync_watermarks",
    metadata,
    sa.Column("org", sa.String(64), primary_key=True),
    sa.Column("sobject", sa.String(80), primary_key=True),
    sa.Column("watermark", UTCDateTime, nullable=False),
    sa.Column("seen", JSONDocument, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
"""How far inbound sync has read each object of each org: the newest SystemModstamp seen,
and the ``Id@SystemModstamp`` changes already handled inside the overlap window."""

pending_changes = sa.Table(
    "pending_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("org", sa.String(64), nullable=False),
    sa.Column("sobject", sa.String(80), nullable=False),
    sa.Column("external_key", sa.String(255), nullable=False),
    sa.Column("contract_key", sa.String(80), nullable=False, index=True),
    sa.Column("field", sa.String(80), nullable=False),
    sa.Column("path", sa.String(120), nullable=True),
    sa.Column("sides", JSONDocument, nullable=False),
    sa.Column("changed_at", UTCDateTime, nullable=True),
    sa.Column("policy", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("resolved_at", UTCDateTime, nullable=True),
    sa.Column("resolved_by", sa.String(255), nullable=True),
)
"""Changes made in Salesforce that wait for a person: a ``manual`` field, or a change the
contract could not take (an illegal status move). ``sides`` holds both values."""
