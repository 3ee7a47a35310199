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

import heapq
import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.alerts import AlertEvent
from backend.domain.nights import night_window
from backend.domain.official import official_of
from backend.domain.reports import StoredReport
from backend.domain.summaries import GroupRow, NightSummary, night_alerts_of, observed_of
from backend.store.alerts import ALERTS_PREDICATE
from backend.store.db import SQLITE_IMMEDIATE, retrying_write
from backend.store.models import (
    events_table,
    night_dirty_table,
    night_summaries_table,
    reports_table,
)

_T = events_table
_S = night_summaries_table
_D = night_dirty_table
_R = reports_table
REFRESH_LOCK_KEY = 7_040_726
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
            _Refresh(conn, now, marks).run()


class _Refresh:
    """One refresh: the marked nights and those their alerts carry into, in night order."""

    def __init__(self, conn: Connection, now: datetime, marks: dict[date, str]) -> None:
        self.conn = conn
        self.now = now
        self.marks = marks
        marked = select(_D.c.night).scalar_subquery()
        self.groups = _groups(conn, _T.c.night.in_(marked))
        self.reports = _reports(conn, _R.c.night.in_(marked))
        self.alerts = _alert_events(conn, sorted(marks))

    def run(self) -> None:
        queue = sorted(self.marks)
        heapq.heapify(queue)
        done: set[date] = set()
        while queue:
            night = heapq.heappop(queue)
            if night in done:
                continue
            done.add(night)
            following = self._fold(night)
            if following is not None and following not in done:
                heapq.heappush(queue, following)
        closed = [
            {"n": night, "t": token}
            for night, token in self.marks.items()
            if night_window(night)[1] <= self.now
        ]
        if closed:
            self.conn.execute(
                delete(_D).where(
                    _D.c.night == bindparam("n", type_=_D.c.night.type),
                    _D.c.token == bindparam("t"),
                ),
                closed,
            )

    def _fold(self, night: date) -> date | None:
        """Fold one night again; the next summarized night when it began from other alerts."""
        stored = self.conn.execute(select(_S.c.content).where(_S.c.night == night)).scalar()
        old = None if stored is None else NightSummary.decode(night, stored)
        previous = self.conn.execute(
            select(_S.c.content).where(_S.c.night < night).order_by(_S.c.night.desc()).limit(1)
        ).scalar()
        opened = () if previous is None else _decoded(previous).alerts.open_at_end
        if night in self.marks:
            events = self.alerts.get(night, [])
        else:
            events = _alert_events(self.conn, [night]).get(night, [])
        alerts = night_alerts_of(events, opened, night_window(night), self.now)
        if night in self.marks or old is None:
            reports = self.reports.get(night, [])
            observed = observed_of(self.groups.get(night, []))
            summary = NightSummary(night, observed, official_of(reports), len(reports), alerts)
        else:
            summary = NightSummary(night, old.observed, old.official, old.reports, alerts)
        _store(self.conn, summary)
        following = self.conn.execute(
            select(_S.c.night, _S.c.content).where(_S.c.night > night).order_by(_S.c.night).limit(1)
        ).first()
        if following is None or following.night in self.marks:
            return None
        began = _decoded(following.content).alerts.open_at_start
        return None if set(began) == set(alerts.open_at_end) else following.night


def _decoded(content: str) -> NightSummary:
    return NightSummary.decode(date.min, content)


def _store(conn: Connection, summary: NightSummary) -> None:
    content = summary.encode().decode()
    updated = conn.execute(_S.update().where(_S.c.night == summary.night).values(content=content))
    if updated.rowcount == 0:
        conn.execute(_S.insert().values(night=summary.night, content=content))


def _groups(conn: Connection, where: Any) -> dict[date, list[GroupRow]]:
    query = (
        select(
            _T.c.night,
            _T.c.kind,
            _T.c.weapon,
            _T.c.region,
            func.sum(_T.c.count),
            func.count(),
            func.min(_T.c.occurred_at),
            func.max(_T.c.occurred_at),
        )
        .where(_T.c.retracted_seq.is_(None), where)
        .group_by(_T.c.night, _T.c.kind, _T.c.weapon, _T.c.region)
    )
    grouped: dict[date, list[GroupRow]] = defaultdict(list)
    for night, *row in conn.execute(query):
        grouped[night].append(GroupRow(row[0], row[1], row[2], int(row[3]), *row[4:]))
    return grouped


def _reports(conn: Connection, where: Any) -> dict[date, list[StoredReport]]:
    query = select(_R.c.night, _R.c.content, _R.c.retracted_at).where(where)
    grouped: dict[date, list[StoredReport]] = defaultdict(list)
    for night, content, retracted_at in conn.execute(query):
        grouped[night].append(StoredReport(orjson.loads(content), retracted_at is not None))
    return grouped


def _runs(nights: list[date]) -> list[tuple[date, date]]:
    """Consecutive nights joined into runs (one query each)."""
    runs: list[tuple[date, date]] = []
    for night in nights:
        if runs and (night - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], night)
        else:
            runs.append((night, night))
    return runs


def _alert_events(conn: Connection, nights: list[date]) -> dict[date, list[AlertEvent]]:
    """The live alert events of these nights by night, in (occurred_at, seq) order."""
    grouped: dict[date, list[AlertEvent]] = defaultdict(list)
    for first, last in _runs(nights):
        query = (
            select(_T.c.night, _T.c.kind, _T.c.region, _T.c.area, _T.c.occurred_at, _T.c.seq)
            .where(text(ALERTS_PREDICATE), _T.c.retracted_seq.is_(None), _T.c.region.is_not(None))
            .where(_T.c.occurred_at >= night_window(first)[0])
            .where(_T.c.occurred_at < night_window(last)[1])
            .order_by(_T.c.occurred_at, _T.c.seq)
        )
        for night, *row in conn.execute(query):
            grouped[night].append(AlertEvent(*row))
    return grouped


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
    before = None if previous is None else NightSummary.decode(*previous)
    return before, [NightSummary.decode(night, content) for night, content in rows]


async def all_summaries(engine: AsyncEngine) -> list[NightSummary]:
    """Every night's summary, oldest first."""
    _before, summaries = await summaries_in(engine, date.min, date.max)
    return summaries
