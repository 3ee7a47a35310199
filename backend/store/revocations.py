"""Signed-out browser sessions: a session cookie is signed, not stored, so signing out records
its digest until the cookie would have expired, and every worker refuses a copy of it."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.store.models import revoked_sessions_table

_R = revoked_sessions_table


async def revoke_session(engine: AsyncEngine, digest: str, *, expires_at: int, now: int) -> None:
    """Refuse the session with this digest from now until `expires_at` (Unix seconds)."""
    try:
        async with engine.begin() as conn:
            # Expired entries are dropped here, so the table holds only live sign-outs (and a
            # sign-out needs a valid session: anonymous clients cannot add rows).
            await conn.execute(delete(_R).where(_R.c.expires_at <= now))
            known = await conn.scalar(select(_R.c.digest).where(_R.c.digest == digest))
            if known is None:
                await conn.execute(insert(_R).values(digest=digest, expires_at=expires_at))
    except IntegrityError:
        pass  # signed out on another worker at the same moment: revoked all the same


async def is_revoked(engine: AsyncEngine, digest: str) -> bool:
    """Whether the session with this digest was signed out."""
    async with engine.connect() as conn:
        found = await conn.scalar(select(_R.c.digest).where(_R.c.digest == digest))
    return found is not None
