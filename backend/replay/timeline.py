"""A recorded night in time order: the state at replay time T, cheaply, for any T.

The state at T is the fold of the events with occurred_at <= T, from the alerts on when the
night began (an alert begun before the window is on from the start). A night is loaded once
(and again only when the store has changed), with a copy of the fold every CHECKPOINT
events, so a seek folds at most that many events after a bisect.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.alerts import OpenAlert
from backend.domain.nights import night_window
from backend.domain.schemas import ALERT_KINDS
from backend.domain.tallies import FoldRow, Tally
from backend.store.alerts import opened_on
from backend.store.changes import RECENT_EVENTS
from backend.store.cursor import latest_cursor
from backend.store.models import events_table
from backend.store.queries import EventFilter, iter_events

CHECKPOINT = 500
_E = events_table


@dataclass(frozen=True, slots=True)
class NightTimeline:
    """A night's live (not retracted) events sorted by occurred_at, with fold checkpoints."""

    night: date
    events: tuple[dict[str, Any], ...]
    times: tuple[datetime, ...]
    checkpoints: tuple[Tally, ...]
    cursor: int
    # The alerts on when the night's window began (begun on earlier nights).
    opened: tuple[OpenAlert, ...] = ()

    @classmethod
    def build(
        cls,
        night: date,
        records: list[dict[str, Any]],
        cursor: int,
        opened: tuple[OpenAlert, ...] = (),
    ) -> NightTimeline:
        """Sort the records and fold checkpoints."""
        ordered = sorted(
            (record for record in records if not record["retracted"]),
            key=lambda record: (record["occurred_at"], record["seq"]),
        )
        checkpoints = [Tally.from_alerts(opened)]
        running = Tally.from_alerts(opened)
        for index, record in enumerate(ordered, start=1):
            running.apply(FoldRow.of(record))
            if index % CHECKPOINT == 0:
                checkpoints.append(running.copy())
        times = tuple(record["occurred_at"] for record in ordered)
        return cls(night, tuple(ordered), times, tuple(checkpoints), cursor, opened)

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
        async with self._engine.connect() as conn:
            opened = tuple(await opened_on(conn, night_window(night)[0]))
        timeline = NightTimeline.build(night, records, cursor, opened)
        self._nights.pop(night, None)
        self._nights[night] = timeline
        self._checked[night] = cursor
        while len(self._nights) > self._keep:
            oldest = next(iter(self._nights))
            del self._nights[oldest], self._checked[oldest]
        return timeline

    async def _night_changed(self, night: date, *, after: int) -> bool:
        """Whether an event of the night, or an alert event of an earlier night (the alerts on
        when it began), was stored or retracted after the cursor."""
        # Every condition uses an index range over what is new (seq is the primary key).
        mine = _E.c.night == night
        # Bound parameters, not the alert index's predicate: what is new is a seq range.
        earlier_alert = (_E.c.night < night) & _E.c.kind.in_(sorted(ALERT_KINDS))
        async with self._engine.connect() as conn:
            for concerned in (mine, earlier_alert):
                new = select(_E.c.seq).where(_E.c.seq > after, concerned).limit(1)
                retracted = select(_E.c.seq).where(_E.c.retracted_seq > after, concerned).limit(1)
                for query in (new, retracted):
                    if (await conn.execute(query)).first() is not None:
                        return True
        return False
