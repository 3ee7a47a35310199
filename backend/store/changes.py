"""The change feed: new events and retractions after a cursor, and consistent snapshots.

Every change carries a cursor from the one seq counter: an event its `seq`, a retraction its
`retracted_seq`. Because the writer allocates them under a lock in commit order, reading
"everything after N" never misses a change that commits later with a smaller cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.records import record_of
from backend.domain.tallies import stats_of
from backend.store.cursor import latest_cursor_on
from backend.store.models import events_table
from backend.store.queries import tally_on
from backend.store.reports import official_on

_T = events_table
RECENT_EVENTS = 100


@dataclass(frozen=True, slots=True)
class Change:
    """One committed change: a new event (record) or a retraction (retracted_id)."""

    cursor: int
    night: date
    record: dict[str, Any] | None = None
    retracted_id: str | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A night's stats and latest events, as of cursor `seq`."""

    seq: int
    night: date
    stats: dict[str, Any]
    recent: list[dict[str, Any]]


async def read_changes(engine: AsyncEngine, *, after: int, limit: int) -> list[Change]:
    """The changes after a cursor, in cursor order: at most `limit` events, and the
    retractions in the same range, so that together they cover one contiguous range."""
    async with engine.connect() as conn:
        # Everything up to the latest cursor is committed (cursors follow commits), so
        # bounding both reads by it keeps them consistent even without a snapshot.
        latest = await latest_cursor_on(conn)
        if latest <= after:
            return []
        query = select(_T).where(_T.c.seq > after, _T.c.seq <= latest)
        rows = (await conn.execute(query.order_by(_T.c.seq).limit(limit))).mappings().all()
        changes = [Change(row["seq"], row["night"], record=record_of(row)) for row in rows]
        upper = changes[-1].cursor if len(changes) == limit else latest
        retracted = (
            await conn.execute(
                select(_T.c.retracted_seq, _T.c.night, _T.c.id).where(
                    _T.c.retracted_seq > after, _T.c.retracted_seq <= upper
                )
            )
        ).all()
    changes += [
        Change(cursor, night, retracted_id=event_id) for cursor, night, event_id in retracted
    ]
    changes.sort(key=lambda change: change.cursor)
    return changes


async def read_snapshot(engine: AsyncEngine, *, night: date) -> Snapshot:
    """Stats and the latest events of a night, all read in one consistent transaction."""
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            seq = await latest_cursor_on(conn)
            stats = stats_of(await tally_on(conn, nights=(night, night)), night=night)
            # The snapshot's stats are the GET /stats body, official figures included.
            stats["official"] = await official_on(conn, nights=(night, night))
            rows = (
                (
                    await conn.execute(
                        select(_T)
                        .where(_T.c.night == night, _T.c.seq <= seq)
                        .order_by(_T.c.seq.desc())
                        .limit(RECENT_EVENTS)
                    )
                )
                .mappings()
                .all()
            )
    recent = [record_of(row) for row in reversed(rows)]
    return Snapshot(seq=seq, night=night, stats=stats, recent=recent)
