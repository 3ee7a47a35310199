"""per-night summaries, and the nights whose summary must be folded again

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # One row per night with events or reports: its tallies, official figures and alert
    # time folded once (backend/store/summaries.py), so a range reads these, not the events.
    op.create_table(
        "night_summaries",
        sa.Column("night", sa.Date(), primary_key=True),
        sa.Column("content", sa.Text(), nullable=False),
    )
    # A write marks its nights here in its own transaction; a read folds them again. The
    # token changes at every mark, so a fold that read older rows leaves the mark in place.
    op.create_table(
        "night_dirty",
        sa.Column("night", sa.Date(), primary_key=True),
        sa.Column("token", sa.String(length=32), nullable=False),
    )
    # Every night already stored is folded on the first read.
    op.execute(
        "INSERT INTO night_dirty (night, token) "
        "SELECT night, 'migrated' FROM events UNION SELECT night, 'migrated' FROM reports"
    )


def downgrade() -> None:
    op.drop_table("night_dirty")
    op.drop_table("night_summaries")
