"""official reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps instants as integer microseconds since the epoch (see backend.store.models.UTCDateTime).
_instant = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("issuer", sa.String(length=24), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("issued_at", _instant, nullable=False),
        sa.Column("supersedes", sa.String(length=64), nullable=True),
        sa.Column("retracted_at", _instant, nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("received_at", _instant, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reports_night", "reports", ["night"])


def downgrade() -> None:
    op.drop_index("ix_reports_night", table_name="reports")
    op.drop_table("reports")
