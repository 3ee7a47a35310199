"""Replays of a recorded night: the night's events in time order, and shared sessions.

The state at replay time T is the fold of the events with occurred_at <= T. A night is
loaded once (and again only when the store has changed), with a copy of the fold every
CHECKPOINT events, so a seek folds at most that many events after a bisect.
"""

from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.nights import night_window
from backend.domain.tallies import FoldRow, Tally
from backend.replay.clock import ReplayClock
from backend.store.cursor import latest_cursor
from backend.store.models import events_table, replay_sessions_table
from backend.store.queries import EventFilter, iter_events

CHECKPOINT = 500
RECENT_EVENTS = 100
_S = replay_sessions_table
_E = events_table


@dataclass(frozen=True, slots=True)
class NightTimeline:
    """A night's live (not retracted) events sorted by occurred_at, with fold checkpoints."""

    night: date
    events: tuple[dict[str, Any], ...]
    times: tuple[datetime, ...]
    checkpoints: tuple[Tally, ...]
    cursor: int

    @classmethod
    def build(cls, night: date, records: list[dict[str, Any]], cursor: int) -> NightTimeline:
        """Sort the records and fold checkpoints."""
        ordered = sorted(
            (record for record in records if not record["retracted"]),
            key=lambda record: (record["occurred_at"], record["seq"]),
        )
        checkpoints = [Tally()]
        running = Tally()
        for index, record in enumerate(ordered, start=1):
            running.apply(FoldRow.of(record))
            if index % CHECKPOINT == 0:
                checkpoints.append(running.copy())
        times = tuple(record["occurred_at"] for record in ordered)
        return cls(night, tuple(ordered), times, tuple(checkpoints), cursor)

    def count_at(self, position: datetime) -> int:
        """How many events have occurred_at <= position."""
        return bisect.bisect_right(self.times, position)

    def tally_at(self, position: datetime) -> Tally:
        """The fold of the events up to position."""
        count = self.count_at(position)
        tally = self.checkpoints[count // CHECKPOINT].copy()
        for record in self.events[(count // CHECKPOINT) * CHECKPOINT : count]:
            tally.apply(FoldRow.of(record))
        return tally

    def recent_at(self, position: datetime) -> list[dict[str, Any]]:
        """The last RECENT_EVENTS events up to position, oldest first."""
        count = self.count_at(position)
        return list(self.events[max(0, count - RECENT_EVENTS) : count])

    def between(self, after: datetime, upto: datetime) -> list[dict[str, Any]]:
        """Events with after < occurred_at <= upto."""
        return list(self.events[self.count_at(after) : self.count_at(upto)])


class NightTimelines:
    """Loaded nights, reloaded only when the store has changed that night since.

    A briefing of last night runs while tonight's events pour in: a change elsewhere in the
    store must not reload (and refold on every screen) the night being replayed.
    """

    def __init__(self, engine: AsyncEngine, *, keep: int = 8) -> None:
        self._engine = engine
        self._keep = keep
        self._nights: dict[date, NightTimeline] = {}
        self._checked: dict[date, int] = {}  # cursor up to which each night is known current

    async def get(self, night: date) -> NightTimeline:
        """The night's timeline, current with the store (the same object while unchanged)."""
        cursor = await latest_cursor(self._engine)
        timeline = self._nights.get(night)
        checked = self._checked.get(night, -1)
        if timeline is not None and checked == cursor:
            return timeline
        if timeline is not None and not await self._night_changed(night, after=checked):
            self._checked[night] = cursor
            return timeline
        records = [r async for r in iter_events(self._engine, EventFilter(night=night))]
        timeline = NightTimeline.build(night, records, cursor)
        self._nights.pop(night, None)
        self._nights[night] = timeline
        self._checked[night] = cursor
        while len(self._nights) > self._keep:
            oldest = next(iter(self._nights))
            del self._nights[oldest], self._checked[oldest]
        return timeline

    async def _night_changed(self, night: date, *, after: int) -> bool:
        """Whether an event of the night was stored or retracted after the cursor."""
        # Both conditions use an index range over what is new (seq is the primary key).
        new = select(_E.c.seq).where(_E.c.seq > after, _E.c.night == night).limit(1)
        retracted = select(_E.c.seq).where(_E.c.retracted_seq > after, _E.c.night == night).limit(1)
        async with self._engine.connect() as conn:
            if (await conn.execute(new)).first() is not None:
                return True
            return (await conn.execute(retracted)).first() is not None


@dataclass(frozen=True, slots=True)
class Session:
    """A stored replay session."""

    id: str
    night: date
    clock: ReplayClock
    version: int

    def describe(self, now: datetime) -> dict[str, Any]:
        """The GET /replays/{id} body."""
        return {
            "id": self.id,
            "night": self.night,
            "position": self.clock.position(now),
            "speed": self.clock.speed,
            "paused": self.clock.paused,
            "finished": self.clock.finished(now),
            "start": self.clock.start,
            "end": self.clock.end,
            "version": self.version,
        }


def _clock(night: date, row: Any) -> ReplayClock:
    start, end = night_window(night)
    return ReplayClock(start, end, row.anchor_position, row.anchor_wall, row.speed, row.paused)


class ReplaySessions:
    """Sessions kept in the database, so every worker and host sees the same clock."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def create(
        self, *, night: date, speed: float, position: datetime | None, now: datetime
    ) -> Session:
        """A new session, playing from `position` (default: the night's first event)."""
        start, end = night_window(night)
        clock = ReplayClock(start, end, start, now, 1.0, False).with_speed(speed, now)
        clock = clock.seek(position or start, now)
        session = Session(str(uuid.uuid4()), night, clock, 1)
        async with self._engine.begin() as conn:
            await conn.execute(
                _S.insert().values(
                    id=session.id,
                    night=night,
                    anchor_position=clock.anchor_position,
                    anchor_wall=clock.anchor_wall,
                    speed=clock.speed,
                    paused=clock.paused,
                    version=1,
                    created_at=now,
                )
            )
        return session

    async def get(self, session_id: str) -> Session | None:
        """A session by id."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(_S).where(_S.c.id == session_id))).first()
        if row is None:
            return None
        return Session(row.id, row.night, _clock(row.night, row), row.version)

    async def save(self, session: Session, clock: ReplayClock) -> Session:
        """Store a new clock for the session (last control wins)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(_S)
                .where(_S.c.id == session.id)
                .values(
                    anchor_position=clock.anchor_position,
                    anchor_wall=clock.anchor_wall,
                    speed=clock.speed,
                    paused=clock.paused,
                    version=_S.c.version + 1,
                )
            )
        return Session(session.id, session.night, clock, session.version + 1)


def utc_now() -> datetime:
    """The wall clock the replay clocks are anchored to."""
    return datetime.now(UTC)
