"""Following a replay session: where the replay is now, and whether to start over.

The replay stream (one per client) and the dashboard's replay view (one per session and
process) both follow a session with this one rule, so they never disagree about when a
screen gets everything again: after a seek (the clock's new anchor is not where the old
clock had got to), after a jump back, or when the night changed in the store. Otherwise only
the events the clock passed since the last step are new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.replay.sessions import Session
from backend.replay.timeline import NightTimeline


@dataclass(frozen=True, slots=True)
class Step:
    """What changed for a follower since its last step."""

    position: datetime
    # Everything again: the state at `position` is the fold of timeline.events[:end].
    restart: bool
    # A control was used since the last step (play, pause, speed, seek).
    controlled: bool
    # When not restarting, timeline.events[start:end] are the events the clock passed.
    start: int
    end: int


class ReplayFollower:
    """One follower's place in a session."""

    def __init__(self) -> None:
        self._session: Session | None = None
        self._timeline: NightTimeline | None = None
        self._count = 0

    def step(self, session: Session, timeline: NightTimeline, now: datetime) -> Step:
        """Move to the session's position at `now` on the night's current timeline."""
        position = session.clock.position(now)
        end = timeline.count_at(position)
        previous = self._session
        controlled = previous is not None and session.version != previous.version
        seeked = previous is not None and (
            session.clock.anchor_position != previous.clock.position(session.clock.anchor_wall)
        )
        restart = previous is None or seeked or timeline is not self._timeline or end < self._count
        start = 0 if restart else self._count
        self._session, self._timeline, self._count = session, timeline, end
        return Step(position, restart, controlled, start, end)
