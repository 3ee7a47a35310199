"""replay sessions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps instants as integer microseconds since the epoch (see backend.store.models.UTCDateTime).
_instant = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "replay_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("anchor_position", _instant, nullable=False),
        sa.Column("anchor_wall", _instant, nullable=False),
        sa.Column("speed", sa.Float(precision=53), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _instant, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("replay_sessions")
