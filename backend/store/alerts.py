"""Alert state read across nights: the alerts on at an instant, and a night's alert intervals.

An alert can stay on for days (Luhansk's has been on since 2022), so no lookback window is
right: the state at T comes from every live alert event before T. The database does the
heavy part: a window function counts, for each alert event, the alert_ends of the same
(region, area) at or after it, and only the starts after a key's last end come back (a few
rows per key on, whatever the history). The rules are those of backend/domain/alerts.py; the
unit tests fold the same events both ways and compare.

The reads of alert history name the alerts as the partial index ix_events_alerts_occurred_at
does (migration 0004), literally, so that SQLite and PostgreSQL can prove the index applies;
the check of what is new since a kept answer (opened_on's cache) deliberately does not.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from backend.domain.alert_wire import interval_of, unmatched_of
from backend.domain.alerts import (
    ALERT_END,
    AlertEvent,
    AlertFold,
    Interval,
    OpenAlert,
    alert_minutes,
    fold_alerts,
)
from backend.domain.nights import night_of, night_window
from backend.domain.schemas import ALERT_KINDS
from backend.store.cursor import latest_cursor_on
from backend.store.models import events_table

_T = events_table
ALERTS_PREDICATE = "kind IN ('alert_start', 'alert_end')"
CACHED_INSTANTS = 16
# Per engine: (instant, inclusive) -> (the cursor it is known current to, the alerts on).
_CACHES: weakref.WeakKeyDictionary[
    Engine, OrderedDict[tuple[datetime, bool], tuple[int, tuple[OpenAlert, ...]]]
] = weakref.WeakKeyDictionary()


def _alerts() -> ColumnElement[bool]:
    return text(ALERTS_PREDICATE)  # type: ignore[return-value]


def _before(instant: datetime, *, inclusive: bool) -> ColumnElement[bool]:
    return _T.c.occurred_at <= instant if inclusive else _T.c.occurred_at < instant


def opened_query(instant: datetime, *, inclusive: bool = False) -> Select[Any]:
    """The starts that opened the alerts still on at `instant`, in (occurred_at, seq) order."""
    ends_after = (
        func.sum(case((_T.c.kind == ALERT_END, 1), else_=0))
        .over(
            partition_by=(_T.c.region, _T.c.area),
            order_by=(_T.c.occurred_at.desc(), _T.c.seq.desc()),
            rows=(None, 0),
        )
        .label("ends_after")
    )
    keyed = (
        select(_T.c.region, _T.c.area, _T.c.occurred_at, _T.c.seq, ends_after)
        .where(_alerts(), _T.c.retracted_seq.is_(None), _T.c.region.is_not(None))
        .where(_before(instant, inclusive=inclusive))
        .subquery()
    )
    # After a key's last end every event is a start: the first opened the alert, the rest
    # are duplicate starts.
    return (
        select(keyed.c.region, keyed.c.area, keyed.c.occurred_at, keyed.c.seq)
        .where(keyed.c.ends_after == 0)
        .order_by(keyed.c.occurred_at, keyed.c.seq)
    )


async def opened_on(
    conn: AsyncConnection, instant: datetime, *, inclusive: bool = False
) -> list[OpenAlert]:
    """The alerts on just before `instant` (with `inclusive`, just after it), by start.

    Kept per engine and instant (a night's stats, snapshots and views all ask for its window
    start): used again while no alert event before the instant was stored or retracted since.
    """
    cache = _CACHES.setdefault(conn.engine.sync_engine, OrderedDict())
    key = (instant, inclusive)
    cursor = await latest_cursor_on(conn)
    cached = cache.get(key)
    current = cached is not None and cached[0] <= cursor
    if current and cached is not None:
        fresh = cached[0] == cursor or not await _changed(conn, key, after=cached[0], upto=cursor)
        if fresh:
            cache[key] = (cursor, cached[1])
            cache.move_to_end(key)
            return list(cached[1])
    opened = await _read_opened(conn, instant, inclusive=inclusive)
    # Everything up to `cursor` is committed and was read; what came later is checked next time.
    if cached is None or current:
        cache[key] = (cursor, tuple(opened))
        while len(cache) > CACHED_INSTANTS:
            cache.popitem(last=False)
    return opened


async def _changed(
    conn: AsyncConnection, key: tuple[datetime, bool], *, after: int, upto: int
) -> bool:
    """Whether an alert event before the instant was stored or retracted in (after, upto]."""
    instant, inclusive = key
    # Bound parameters, not ALERTS_PREDICATE: the planner must take the seq ranges (what is
    # new), never the alert index (every alert before the instant).
    alerts = _T.c.kind.in_(sorted(ALERT_KINDS))
    for cursor in (_T.c.seq, _T.c.retracted_seq):
        query = (
            select(_T.c.seq)
            .where(cursor > after, cursor <= upto, alerts, _before(instant, inclusive=inclusive))
            .limit(1)
        )
        if (await conn.execute(query)).first() is not None:
            return True
    return False


async def _read_opened(
    conn: AsyncConnection, instant: datetime, *, inclusive: bool
) -> list[OpenAlert]:
    """opened_on without the cache: one query, whatever the history's length."""
    query = opened_query(instant, inclusive=inclusive)
    opened: dict[tuple[str, str | None], OpenAlert] = {}
    for region, area, occurred_at, seq in await conn.execute(query):
        opened.setdefault((region, area), OpenAlert(region, area, occurred_at, seq))
    return list(opened.values())


async def alert_events_on(
    conn: AsyncConnection, start: datetime, end: datetime, *, inclusive: bool = False
) -> list[AlertEvent]:
    """The live alert events from `start` to before `end` (with `inclusive`, to `end`), in
    (occurred_at, seq) order."""
    query = (
        select(_T.c.kind, _T.c.region, _T.c.area, _T.c.occurred_at, _T.c.seq, _T.c.id)
        .where(_alerts(), _T.c.retracted_seq.is_(None), _T.c.region.is_not(None))
        .where(_T.c.occurred_at >= start, _before(end, inclusive=inclusive))
        .order_by(_T.c.occurred_at, _T.c.seq)
    )
    return [AlertEvent(*row) for row in await conn.execute(query)]


async def alerts_at(engine: AsyncEngine, at: datetime) -> AlertFold:
    """The alert state at `at`: every alert event up to and including it, whatever night.

    Read as the alerts on when at's night began (kept, see opened_on) and that night's alert
    events up to `at`, so that asking for "now" again and again costs one night's events.
    """
    start = night_window(night_of(at))[0]
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            opened = await opened_on(conn, start)
            events = await alert_events_on(conn, start, at, inclusive=True)
    return fold_alerts(events, opened)


async def _first_ends(
    conn: AsyncConnection, keys: set[tuple[str, str | None]], start: datetime, end: datetime
) -> dict[tuple[str, str | None], datetime]:
    """The first alert_end in [start, end] of each key (all of them on at `start`)."""
    query = (
        select(_T.c.region, _T.c.area, func.min(_T.c.occurred_at))
        .where(_alerts(), _T.c.kind == ALERT_END, _T.c.retracted_seq.is_(None))
        .where(_T.c.occurred_at >= start, _T.c.occurred_at <= end)
        .group_by(_T.c.region, _T.c.area)
    )
    found = {(region, area): at for region, area, at in await conn.execute(query)}
    return {key: at for key, at in found.items() if key in keys}


async def night_alerts(engine: AsyncEngine, night: date, *, now: datetime) -> dict[str, Any]:
    """GET /nights/{night}/alerts: the alerts overlapping the window, as of `now`.

    Intervals carry their real start and end: one begun on an earlier night starts then, one
    still on at the window's end ends when its alert_end came (null if none has yet). The
    minutes count only what lies inside the window, and for tonight only up to now.
    """
    window_start, window_end = night_window(night)
    upto = min(window_end, now)
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            opened = await opened_on(conn, window_start)
            # For tonight, what is stored with a time still to come has not happened yet.
            events = await alert_events_on(conn, window_start, upto, inclusive=upto < window_end)
            fold = fold_alerts(events, opened)
            ends = (
                await _first_ends(conn, set(fold.open), window_end, now)
                if fold.open and window_end <= now
                else {}
            )
    intervals = [
        Interval(item.region, item.area, item.started_at, ends.get((item.region, item.area)))
        if item.ended_at is None
        else item
        for item in fold.intervals()
    ]
    return {
        "night": night,
        "window_start": window_start,
        "window_end": window_end,
        "intervals": [interval_of(item) for item in intervals],
        "alert_minutes": alert_minutes(intervals, window_start, upto),
        "unmatched_ends": [unmatched_of(event) for event in fold.unmatched],
    }
