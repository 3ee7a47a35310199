"""Replay sessions: one shared clock per briefing, kept in the database.

Every screen on every worker and host reads the same row, so a control used anywhere moves
all of them; `version` grows at every control.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.nights import night_window
from backend.replay.clock import ReplayClock
from backend.store.models import replay_sessions_table

_S = replay_sessions_table


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
