"""Inbound sync: per-object watermarks, and Salesforce changes parked for a person.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

from contractsync.store._tables import JSONDocument, UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_watermarks",
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("sobject", sa.String(80), nullable=False),
        sa.Column("watermark", UTCDateTime, nullable=False),
        sa.Column("seen", JSONDocument, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("org", "sobject", name="pk_sync_watermarks"),
    )
    op.create_table(
        "pending_changes",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("org", sa.String(64), nullable=False),
        sa.Column("sobject", sa.String(80), nullable=False),
        sa.Column("external_key", sa.String(255), nullable=False),
        sa.Column("contract_key", sa.String(80), nullable=False),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("path", sa.String(120), nullable=True),
        sa.Column("sides", JSONDocument, nullable=False),
        sa.Column("changed_at", UTCDateTime, nullable=True),
        sa.Column("policy", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("resolved_at", UTCDateTime, nullable=True),
        sa.Column("resolved_by", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_pending_changes"),
    )
    op.create_index("ix_pending_changes_contract_key", "pending_changes", ["contract_key"])
    op.create_index("ix_pending_changes_status", "pending_changes", ["status"])


def downgrade() -> None:
    for table in ("pending_changes", "sync_watermarks"):
        op.drop_table(table)
