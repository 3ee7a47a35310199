"""One screen following a replay session: the live stream's messages, on the replay clock.

The session row is the shared truth: each screen re-reads it a few times a second, so a
control used on any screen (on any worker) reaches all of them. Between reads the position
comes from the clock formula alone, so screens agree without talking to each other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from backend.domain.records import dumps
from backend.domain.tallies import stats_of
from backend.replay.sessions import NightTimeline, Session, utc_now
from backend.services import Services

FRAME_EVENTS = 250


def _text(message: dict[str, Any]) -> str:
    return dumps(message).decode()


class ReplayStreamSession:
    """Sends one client the replay's snapshot, clock changes and events."""

    def __init__(
        self,
        services: Services,
        session: Session,
        send: Callable[[str], Awaitable[None]],
        *,
        poll_seconds: float,
    ) -> None:
        self._services = services
        self._session = session
        self._send = send
        self._poll = poll_seconds
        self._sent_position: datetime | None = None

    async def run(self) -> None:
        """Serve until cancelled."""
        timeline = await self._services.timelines.get(self._session.night)
        await self._snapshot(timeline, utc_now())
        while True:
            await asyncio.sleep(self._poll)
            now = utc_now()
            latest = await self._services.replays.get(self._session.id)
            if latest is not None and latest.version != self._session.version:
                seeked = latest.clock.anchor_position != self._session.clock.position(
                    latest.clock.anchor_wall
                )
                self._session = latest
                timeline = await self._services.timelines.get(latest.night)
                if seeked:
                    await self._snapshot(timeline, now)
                    continue
                await self._send(_text(self._clock_message(now)))
            await self._advance(timeline, now)

    def _clock_message(self, now: datetime) -> dict[str, Any]:
        return {"type": "clock", **self._session.describe(now)}

    async def _snapshot(self, timeline: NightTimeline, now: datetime) -> None:
        position = self._session.clock.position(now)
        recent = timeline.recent_at(position)
        message = {
            "type": "snapshot",
            "seq": max((record["seq"] for record in recent), default=0),
            "night": self._session.night,
            "position": position,
            "clock": self._session.describe(now),
            "stats": stats_of(timeline.tally_at(position), night=self._session.night),
            "recent": recent,
        }
        await self._send(_text(message))
        self._sent_position = position

    async def _advance(self, timeline: NightTimeline, now: datetime) -> None:
        position = self._session.clock.position(now)
        assert self._sent_position is not None
        if position <= self._sent_position:
            return
        events = timeline.between(self._sent_position, position)
        for start in range(0, len(events), FRAME_EVENTS):
            chunk = events[start : start + FRAME_EVENTS]
            message = {
                "type": "events",
                "seq": chunk[-1]["seq"],
                "position": position,
                "events": chunk,
            }
            await self._send(_text(message))
        self._sent_position = position
