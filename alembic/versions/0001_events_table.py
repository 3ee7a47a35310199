"""events table

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# SQLite keeps instants as integer microseconds since the epoch (see backend.store.models.UTCDateTime).
_instant = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("seq", _seq, autoincrement=False, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("weapon", sa.String(length=24), nullable=True),
        sa.Column("model", sa.String(length=64), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("occurred_at", _instant, nullable=False),
        sa.Column("region", sa.String(length=8), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("lat", sa.Float(precision=53), nullable=True),
        sa.Column("lon", sa.Float(precision=53), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("received_at", _instant, nullable=False),
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("retracted_seq", _seq, nullable=True),
        sa.Column("retracted_at", _instant, nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    op.create_index("ix_events_night_occurred_at", "events", ["night", "occurred_at"])
    op.create_index(
        "ux_events_retracted_seq",
        "events",
        ["retracted_seq"],
        unique=True,
        sqlite_where=sa.text("retracted_seq IS NOT NULL"),
        postgresql_where=sa.text("retracted_seq IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ux_events_retracted_seq", table_name="events")
    op.drop_index("ix_events_night_occurred_at", table_name="events")
    op.drop_table("events")
