"""signed-out browser sessions, and when each replay session was last used

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A session cookie is signed, not stored: signing out records its digest here until it
    # would have expired, so every worker refuses a copy of it (backend/store/revocations.py).
    op.create_table(
        "revoked_sessions",
        sa.Column("digest", sa.String(length=64), primary_key=True),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
    )
    # Replay sessions expire after an idle time; Unix seconds of the last use, touched at most
    # once a minute. Sessions made before this get a whole idle time from the upgrade.
    op.add_column("replay_sessions", sa.Column("used_at", sa.BigInteger(), nullable=True))
    op.execute(f"UPDATE replay_sessions SET used_at = {int(time.time())}")
    op.create_index("ix_replay_sessions_used_at", "replay_sessions", ["used_at"])


def downgrade() -> None:
    op.drop_index("ix_replay_sessions_used_at", table_name="replay_sessions")
    op.drop_column("replay_sessions", "used_at")
    op.drop_table("revoked_sessions")
