"""alert area and the alert-state index

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ALERTS = "kind IN ('alert_start', 'alert_end')"


def upgrade() -> None:
    # Null is a whole-oblast alert: every alert stored before this revision was one.
    op.add_column("events", sa.Column("area", sa.String(length=100), nullable=True))
    # Alert state at an instant reads every alert event up to it, whatever its night.
    op.create_index(
        "ix_events_alerts_occurred_at",
        "events",
        ["occurred_at"],
        sqlite_where=sa.text(_ALERTS),
        postgresql_where=sa.text(_ALERTS),
    )


def downgrade() -> None:
    op.drop_index("ix_events_alerts_occurred_at", table_name="events")
    op.drop_column("events", "area")
