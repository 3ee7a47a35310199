"""Replay sessions: one shared clock per briefing, kept in the database.

Every screen on every worker and host reads the same row, so a control used anywhere moves
all of them; `version` grows at every control.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.nights import night_window
from backend.replay.clock import ReplayClock
from backend.replay.creations import CreationLimit
from backend.store.models import replay_sessions_table

_S = replay_sessions_table
# A session read or followed is touched at most this often: a stream reads it 4 times a second.
TOUCH_SECONDS = 60


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

    def __init__(
        self, engine: AsyncEngine, *, idle_seconds: float, creations: CreationLimit
    ) -> None:
        self._engine = engine
        self._idle = idle_seconds
        self.creations = creations

    async def create(
        self, *, night: date, speed: float, position: datetime | None, now: datetime
    ) -> Session:
        """A new session, playing from `position` (default: the night's first event)."""
        start, end = night_window(night)
        clock = ReplayClock(start, end, start, now, 1.0, False).with_speed(speed, now)
        clock = clock.seek(position or start, now)
        session = Session(str(uuid.uuid4()), night, clock, 1)
        used = int(now.timestamp())
        async with self._engine.begin() as conn:
            # Expired sessions go when new ones come: their number stays bounded by the
            # creation rate over the idle time.
            await conn.execute(delete(_S).where(_S.c.used_at < used - self._idle))
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
                    used_at=used,
                )
            )
        return session

    async def get(self, session_id: str) -> Session | None:
        """A session by id, unless it expired; a read counts as a use."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(_S).where(_S.c.id == session_id))).first()
        now = int(utc_now().timestamp())
        if row is None or row.used_at < now - self._idle:
            return None
        if row.used_at < now - TOUCH_SECONDS:
            async with self._engine.begin() as conn:
                await conn.execute(update(_S).where(_S.c.id == session_id).values(used_at=now))
        return Session(row.id, row.night, _clock(row.night, row), row.version)

    async def delete(self, session_id: str) -> bool:
        """Remove a session; whether there was one."""
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(_S).where(_S.c.id == session_id))
        return bool(result.rowcount)

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
                    used_at=int(utc_now().timestamp()),
                )
            )
        return Session(session.id, session.night, clock, session.version + 1)


def utc_now() -> datetime:
    """The wall clock the replay clocks are anchored to."""
    return datetime.now(UTC)
