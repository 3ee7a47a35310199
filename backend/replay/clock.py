"""The replay clock: a virtual time that never drifts, re-anchored at every control.

position(now) = anchor_position + (now - anchor_wall) * speed, clamped to the night's end;
paused, it stays at anchor_position. Nothing sleeps from event to event, so however long a
briefing runs, every screen computing the position from the same anchor agrees.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from backend.domain.schemas import MAX_SPEED, MIN_SPEED


@dataclass(frozen=True, slots=True)
class ReplayClock:
    """Anchor, speed and pause state, with the night's span."""

    start: datetime
    end: datetime
    anchor_position: datetime
    anchor_wall: datetime
    speed: float
    paused: bool

    def position(self, now: datetime) -> datetime:
        """The replay time at wall time `now`."""
        if self.paused:
            return self.anchor_position
        moved = self.anchor_position + (now - self.anchor_wall) * self.speed
        return min(moved, self.end)

    def finished(self, now: datetime) -> bool:
        """Whether the replay has reached the end of the night."""
        return self.position(now) >= self.end

    def play(self, now: datetime) -> ReplayClock:
        """Run from where it is; from the start again when it had finished."""
        position = self.position(now)
        if position >= self.end:
            position = self.start
        return replace(self, anchor_position=position, anchor_wall=now, paused=False)

    def pause(self, now: datetime) -> ReplayClock:
        """Hold the current position."""
        return replace(self, anchor_position=self.position(now), anchor_wall=now, paused=True)

    def seek(self, position: datetime, now: datetime) -> ReplayClock:
        """Jump to a position (clamped to the night)."""
        clamped = min(max(position, self.start), self.end)
        return replace(self, anchor_position=clamped, anchor_wall=now)

    def with_speed(self, speed: float, now: datetime) -> ReplayClock:
        """Change speed without a jump in position."""
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(f"speed must be between {MIN_SPEED:g} and {MAX_SPEED:g}")
        return replace(self, anchor_position=self.position(now), anchor_wall=now, speed=speed)
