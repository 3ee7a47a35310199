"""The latest committed cursor: the highest seq given to an event or to a retraction.

One statement for every store and driver. Two scalar subqueries, not max(a), max(b) in one
SELECT: SQLite answers a lone max() from the index, but scans the whole table for two
aggregates side by side.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from backend.store.models import events_table

_T = events_table
LATEST_CURSOR = select(
    select(func.max(_T.c.seq)).scalar_subquery(),
    select(func.max(_T.c.retracted_seq)).where(_T.c.retracted_seq.is_not(None)).scalar_subquery(),
)
# The same statement for the sqlite3 driver the SQLite writer uses directly.
LATEST_CURSOR_SQLITE = str(LATEST_CURSOR.compile(dialect=sqlite.dialect()))


def cursor_of(row: tuple[Any, ...] | Any) -> int:
    """The cursor from LATEST_CURSOR's one row (0 for an empty store)."""
    seq, retracted_seq = row
    return max(seq or 0, retracted_seq or 0)


def latest_cursor_sync(conn: Connection) -> int:
    """The highest cursor committed so far, on a synchronous connection."""
    return cursor_of(conn.execute(LATEST_CURSOR).one())


async def latest_cursor_on(conn: AsyncConnection) -> int:
    """The highest cursor committed so far (0 for an empty store)."""
    return cursor_of((await conn.execute(LATEST_CURSOR)).one())


async def latest_cursor(engine: AsyncEngine) -> int:
    """The highest cursor committed so far."""
    async with engine.connect() as conn:
        return await latest_cursor_on(conn)
