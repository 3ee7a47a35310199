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
from backend.replay.follow import ReplayFollower, Step
from backend.replay.sessions import Session, utc_now
from backend.replay.timeline import NightTimeline
from backend.services import Services
from backend.stream.hub import FRAME_CHANGES


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

    async def run(self) -> None:
        """Serve until cancelled."""
        follower = ReplayFollower()
        session = self._session
        while True:
            timeline = await self._services.timelines.get(session.night)
            now = utc_now()
            step = follower.step(session, timeline, now)
            if step.restart:
                await self._snapshot(session, timeline, step, now)
            else:
                if step.controlled:
                    await self._send(_text({"type": "clock", **session.describe(now)}))
                await self._events(timeline, step)
            await asyncio.sleep(self._poll)
            # A deleted session keeps playing here on the clock it last had.
            session = await self._services.replays.get(session.id) or session

    async def _snapshot(
        self, session: Session, timeline: NightTimeline, step: Step, now: datetime
    ) -> None:
        recent = timeline.recent_at(step.position)
        message = {
            "type": "snapshot",
            "seq": max((record["seq"] for record in recent), default=0),
            "night": session.night,
            "position": step.position,
            "clock": session.describe(now),
            "stats": stats_of(timeline.tally_at(step.position), night=session.night),
            "recent": recent,
        }
        await self._send(_text(message))

    async def _events(self, timeline: NightTimeline, step: Step) -> None:
        for start in range(step.start, step.end, FRAME_CHANGES):
            chunk = timeline.events[start : min(start + FRAME_CHANGES, step.end)]
            message = {
                "type": "events",
                "seq": chunk[-1]["seq"],
                "position": step.position,
                "events": chunk,
            }
            await self._send(_text(message))
