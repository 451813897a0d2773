"""Sync state per org and record, dead letters, and sync runs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

from contractsync.store._tables import JSONDocument, UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("sobject", sa.String(80), nullable=False),
        sa.Column("external_key", sa.String(255), nullable=False),
        sa.Column("object_name", sa.String(64), nullable=False),
        sa.Column("contract_key", sa.String(80), nullable=False),
        sa.Column("sf_id", sa.String(18), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("snapshot", JSONDocument, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("confirmed_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("org", "sobject", "external_key", name="pk_sync_state"),
    )
    op.create_index("ix_sync_state_contract_key", "sync_state", ["contract_key"])
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("sobject", sa.String(80), nullable=False),
        sa.Column("external_key", sa.String(255), nullable=False),
        sa.Column("object_name", sa.String(64), nullable=False),
        sa.Column("contract_key", sa.String(80), nullable=False),
        sa.Column("payload", JSONDocument, nullable=False),
        sa.Column("error_code", sa.String(80), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("error_fields", JSONDocument, nullable=False),
        sa.Column("errors", JSONDocument, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("resolved_by", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_dead_letters"),
    )
    op.create_index("ix_dead_letters_contract_key", "dead_letters", ["contract_key"])
    op.create_index("ix_dead_letters_status", "dead_letters", ["status"])
    op.create_table(
        "sync_runs",
        sa.Column("run_id", sa.String(255), nullable=False),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("summary", JSONDocument, nullable=False),
        sa.PrimaryKeyConstraint("run_id", name="pk_sync_runs"),
    )
    op.create_index("ix_sync_runs_org", "sync_runs", ["org"])


def downgrade() -> None:
    for table in ("sync_runs", "dead_letters", "sync_state"):
        op.drop_table(table)
