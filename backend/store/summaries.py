"""Materialised per-night summaries: marked in the writes' transactions, folded on read.

Every write marks the nights it touches in `night_dirty` inside its own transaction (events
by a column operation over the seqs it just gave, retractions by the event's id, reports by
their nights), with a token new to that transaction. A read first folds the marked nights
again (`refresh`) and then reads `night_summaries` alone, so a range never reads every event.

Why a mark and not counters updated in place: a night's alert time depends on the alerts on
when it began, so an alert event stored late changes later nights too. The refresh folds
the marked nights in night order, each from the previous summary's alerts still on, and
goes on to the next night whenever a night's alerts on at its end changed.

Races. Refreshes take a lock of their own (SQLite's write lock; a PostgreSQL advisory lock),
so one runs at a time. A write committed while a refresh reads has changed the night's token:
the refresh deletes a mark only with the token it read, so that night stays marked and is
folded again next time. A night whose window is still open stays marked (its alert time
grows with the clock).
"""

from __future__ import annotations

import gc
import secrets
import weakref
from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from backend.domain.alerts import OpenAlert
from backend.domain.summaries import NightSummary
from backend.store.db import SQLITE_IMMEDIATE, retrying_write
from backend.store.models import events_table, night_dirty_table, night_summaries_table
from backend.store.summary_refresh import Refresh

_T = events_table
_S = night_summaries_table
_D = night_dirty_table
REFRESH_LOCK_KEY = 7_040_726
# Newly kept summaries after which what the process holds is frozen (see summaries_in).
FREEZE_AFTER = 256
# Per engine: night -> (the stored text, its decoded summary).
_DECODED: weakref.WeakKeyDictionary[Engine, dict[date, tuple[str, NightSummary]]] = (
    weakref.WeakKeyDictionary()
)
_UPSERT = " ON CONFLICT (night) DO UPDATE SET token = excluded.token"
# The events' nights of the seqs a write just gave (the seq primary key: a range scan).
MARK_INSERTED = (
    "INSERT INTO night_dirty (night, token) SELECT DISTINCT night, :token FROM events "
    "WHERE seq >= :first AND seq <= :last" + _UPSERT
)
MARK_EVENT = (
    "INSERT INTO night_dirty (night, token) SELECT night, :token FROM events WHERE id = :id"
    + _UPSERT
)
MARK_REPORT = (
    "INSERT INTO night_dirty (night, token) SELECT night, :token FROM reports WHERE id = :id"
    + _UPSERT
)
MARK_NIGHT = "INSERT INTO night_dirty (night, token) VALUES (:night, :token)" + _UPSERT
# The same for the sqlite3 driver the SQLite writer uses directly.
MARK_INSERTED_SQLITE = MARK_INSERTED.replace(":token", "?").replace(":first", "?")
MARK_INSERTED_SQLITE = MARK_INSERTED_SQLITE.replace(":last", "?")
MARK_EVENT_SQLITE = MARK_EVENT.replace(":token", "?").replace(":id", "?")


def new_token() -> str:
    """A mark's token: new to each write transaction."""
    return secrets.token_hex(8)


def mark_inserted(conn: Connection, first: int, last: int) -> None:
    """Mark the nights of the events with seqs first..last (in the inserting transaction)."""
    conn.execute(text(MARK_INSERTED), {"token": new_token(), "first": first, "last": last})


def mark_event(conn: Connection, event_id: str) -> None:
    """Mark the night of one event (a retraction, in its transaction)."""
    conn.execute(text(MARK_EVENT), {"token": new_token(), "id": event_id})


def mark_report(conn: Connection, report_id: str) -> None:
    """Mark the night of one report (a retraction, in its transaction)."""
    conn.execute(text(MARK_REPORT), {"token": new_token(), "id": report_id})


def mark_nights(conn: Connection, nights: Iterable[date]) -> None:
    """Mark these nights (reports stored or retracted, in their transaction)."""
    token = new_token()
    rows = [{"night": night, "token": token} for night in sorted(set(nights))]
    if rows:
        statement = text(MARK_NIGHT).bindparams(bindparam("night", type_=_D.c.night.type))
        conn.execute(statement, rows)


async def refresh(engine: AsyncEngine) -> None:
    """Fold again every marked night (nothing to do, one indexed read)."""
    async with engine.connect() as conn:
        if (await conn.execute(select(_D.c.night).limit(1))).first() is None:
            return
    await retrying_write(engine, lambda conn: _refresh(conn, datetime.now(UTC)))


def _refresh(conn: Connection, now: datetime) -> None:
    conn = conn.execution_options(**{SQLITE_IMMEDIATE: True})
    with conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REFRESH_LOCK_KEY})
        marks = dict(conn.execute(select(_D.c.night, _D.c.token).order_by(_D.c.night)).all())
        if marks:
            Refresh(conn, now, marks).run()


async def summaries_in(
    engine: AsyncEngine, first: date, last: date
) -> tuple[NightSummary | None, list[NightSummary]]:
    """The summary before the range (its alerts carry in) and those of the range, in order."""
    await refresh(engine)
    async with engine.connect() as conn:
        previous = (
            await conn.execute(
                select(_S.c.night, _S.c.content)
                .where(_S.c.night < first)
                .order_by(_S.c.night.desc())
                .limit(1)
            )
        ).first()
        rows = (
            await conn.execute(
                select(_S.c.night, _S.c.content)
                .where(_S.c.night.between(first, last))
                .order_by(_S.c.night)
            )
        ).all()
    kept = _DECODED.setdefault(engine.sync_engine, {})
    decoded = len(kept)
    before = None if previous is None else _decoded_kept(kept, *previous)
    summaries = [_decoded_kept(kept, night, content) for night, content in rows]
    if len(kept) - decoded >= FREEZE_AFTER:
        # What is kept lives as long as the process: left out of the collector's full passes,
        # which otherwise walk every kept summary (and the app) again and again, up to ~1 s
        # inside a request on this machine (GET /trends by night p95 571 ms, p50 155 ms).
        gc.freeze()
    return before, summaries


def _decoded_kept(
    kept: dict[date, tuple[str, NightSummary]], night: date, content: str
) -> NightSummary:
    """The decoded summary, decoded again only when its stored text changed.

    Compared by the text read, so a summary another worker folded again is never stale; the
    text compares in microseconds where decoding 1,550 of them cost ~200 ms per range read.
    Callers never change what they are given (ranges add into totals of their own).
    """
    found = kept.get(night)
    if found is not None and found[0] == content:
        return found[1]
    summary = NightSummary.decode(night, content)
    kept[night] = (content, summary)
    return summary


async def opened_from_summaries(conn: AsyncConnection, night: date) -> tuple[OpenAlert, ...] | None:
    """The alerts on when the night began, from the summaries (None: they may be stale).

    Current when no night up to this one is marked: the night's own summary began from them,
    or, for a night without one, the last summarized night before it ended with them. Spares
    /stats?night= the query over every alert event before the night (opened_on).
    """
    marked = select(_D.c.night).where(_D.c.night <= night).limit(1)
    if (await conn.execute(marked)).first() is not None:
        return None
    row = (
        await conn.execute(
            select(_S.c.night, _S.c.content)
            .where(_S.c.night <= night)
            .order_by(_S.c.night.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return ()
    kept = _DECODED.setdefault(conn.engine.sync_engine, {})
    summary = _decoded_kept(kept, row[0], row[1])
    return summary.alerts.open_at_start if row[0] == night else summary.alerts.open_at_end


async def all_summaries(engine: AsyncEngine) -> list[NightSummary]:
    """Every night's summary, oldest first."""
    _before, summaries = await summaries_in(engine, date.min, date.max)
    return summaries
