"""Which nights the store holds anything for: the page's night picker.

Only the labels, read from the indexes: the picker is filled on every page connect, and
the totals of GET /nights (a fold over every event and report) are not needed for it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.store.models import events_table, reports_table


async def recorded_nights(engine: AsyncEngine) -> list[date]:
    """Every night with a live event or a live (not retracted) report, newest first."""
    events = select(events_table.c.night).where(events_table.c.retracted_seq.is_(None))
    reports = select(reports_table.c.night).where(reports_table.c.retracted_at.is_(None))
    both = union(events, reports).subquery()
    query = select(both.c.night).order_by(both.c.night.desc())
    async with engine.connect() as conn:
        return list((await conn.scalars(query)).all())
