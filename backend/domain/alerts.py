"""Air-raid alert state: a state of a region in time, folded across nights, never cut at noon.

The rules (issue 11, part 2), the same for GET /alerts, /stats, the stream, replays and the page:

- An alert is one (region, area): `area` None is a whole-oblast alert, a raion or hromada a
  local one. An oblast can have several local alerts on at once, and a whole-oblast one too.
- Events count in (occurred_at, seq) order, whatever order they arrived in; at the same
  instant the one stored first comes first. Retracted events are left out by the caller.
- An alert_start of an alert already on is a duplicate start: the alert keeps its first start.
- An alert_end of an alert that is not on is an unmatched end: kept and reported, no effect.
- A whole-oblast alert_end ends the whole-oblast alert only. The official record keeps oblast
  and local alerts as separate alerts, each with its own end, so local ones stay on until
  their own alert_end (with the same area).
- A region's state: `full` while a whole-oblast alert is on, else `partial` while a local one
  is on, else off. `since` is the start of the alert that makes the state: the whole-oblast
  alert's for full, the earliest open local alert's for partial. `areas` lists the open local
  areas (under full too).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

ALERT_START = "alert_start"
ALERT_END = "alert_end"
State = Literal["full", "partial"]
Key = tuple[str, str | None]


class AlertLike(Protocol):
    """What the alert fold reads of an event (a row, a record, a fold row)."""

    @property
    def kind(self) -> str: ...
    @property
    def region(self) -> str | None: ...
    @property
    def area(self) -> str | None: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def seq(self) -> int: ...


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """An alert event reduced to what the fold reads (id only to name unmatched ends)."""

    kind: str
    region: str
    area: str | None
    occurred_at: datetime
    seq: int
    id: str | None = None

    @classmethod
    def of(cls, event: AlertLike) -> AlertEvent:
        """The fold's view of an event that has a region."""
        assert event.region is not None
        return cls(event.kind, event.region, event.area, event.occurred_at, event.seq)

    @classmethod
    def of_record(cls, record: Mapping[str, Any]) -> AlertEvent:
        """The fold's view of a wire record or row mapping."""
        return cls(
            record["kind"],
            record["region"],
            record.get("area"),  # records made before the field have none
            record["occurred_at"],
            record["seq"],
            record.get("id"),
        )

    @property
    def order(self) -> tuple[datetime, int]:
        """Where the event counts: time, then seq."""
        return (self.occurred_at, self.seq)


@dataclass(frozen=True, slots=True)
class OpenAlert:
    """An alert that is on: where, and the start it counts from."""

    region: str
    area: str | None
    started_at: datetime
    seq: int


@dataclass(frozen=True, slots=True)
class Interval:
    """One alert from its start to its end (None: still on)."""

    region: str
    area: str | None
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True, slots=True)
class RegionAlert:
    """A region's alert state at an instant."""

    region: str
    state: State
    since: datetime
    areas: tuple[str, ...]


@dataclass(slots=True)
class AlertFold:
    """The fold of alert events taken in (occurred_at, seq) order, from alerts already on."""

    open: dict[Key, OpenAlert] = field(default_factory=dict)
    closed: list[Interval] = field(default_factory=list)
    unmatched: list[AlertEvent] = field(default_factory=list)
    duplicates: int = 0

    @classmethod
    def starting_with(cls, opened: Iterable[OpenAlert]) -> AlertFold:
        """A fold whose alerts `opened` are on before its first event."""
        return cls(open={(alert.region, alert.area): alert for alert in opened})

    def step(self, event: AlertEvent) -> None:
        """Take the next event in order."""
        key = (event.region, event.area)
        current = self.open.get(key)
        if event.kind == ALERT_START:
            if current is None:
                self.open[key] = OpenAlert(event.region, event.area, event.occurred_at, event.seq)
            else:
                self.duplicates += 1
        elif current is None:
            self.unmatched.append(event)
        else:
            del self.open[key]
            self.closed.append(
                Interval(event.region, event.area, current.started_at, event.occurred_at)
            )

    def copy(self) -> AlertFold:
        """An independent copy."""
        return AlertFold(dict(self.open), list(self.closed), list(self.unmatched), self.duplicates)

    def regions(self) -> dict[str, RegionAlert]:
        """The state of every region with an alert on, by code (in code order)."""
        by_region: dict[str, list[OpenAlert]] = {}
        for alert in self.open.values():
            by_region.setdefault(alert.region, []).append(alert)
        states = {}
        for code in sorted(by_region):
            alerts = by_region[code]
            whole = [alert for alert in alerts if alert.area is None]
            local = [alert for alert in alerts if alert.area is not None]
            state: State = "full" if whole else "partial"
            since = min(alert.started_at for alert in (whole or local))
            areas = tuple(sorted(alert.area for alert in local if alert.area is not None))
            states[code] = RegionAlert(code, state, since, areas)
        return states

    def intervals(self) -> list[Interval]:
        """Every alert, ended or on, by start (then region, area)."""
        ongoing = [Interval(a.region, a.area, a.started_at, None) for a in self.open.values()]
        return sorted(
            [*self.closed, *ongoing],
            key=lambda item: (item.started_at, item.region, item.area or ""),
        )


def fold_alerts(events: Iterable[AlertEvent], opened: Iterable[OpenAlert] = ()) -> AlertFold:
    """The fold of events already in (occurred_at, seq) order, from the alerts `opened`."""
    fold = AlertFold.starting_with(opened)
    for event in events:
        fold.step(event)
    return fold


class AlertBook:
    """An alert fold fed in any order (the page gets events in commit order, not in time).

    Events arriving in time order are folded on the spot; an older one is put in its place
    and the fold is done again on the next read, so a late-reported start cannot reopen an
    alert a newer end closed.
    """

    __slots__ = ("_events", "_fold", "_opened")

    def __init__(self, opened: Iterable[OpenAlert] = ()) -> None:
        self._opened = tuple(opened)
        self._events: list[AlertEvent] = []
        self._fold: AlertFold | None = AlertFold.starting_with(self._opened)

    @property
    def opened(self) -> tuple[OpenAlert, ...]:
        """The alerts on before the first event (from earlier nights)."""
        return self._opened

    def apply(self, event: AlertEvent) -> None:
        """Add one alert event."""
        if self._events and event.order < self._events[-1].order:
            bisect.insort(self._events, event, key=lambda item: item.order)
            self._fold = None
            return
        self._events.append(event)
        if self._fold is not None:
            self._fold.step(event)

    @property
    def fold(self) -> AlertFold:
        """The fold of every event given, in time order."""
        if self._fold is None:
            self._fold = fold_alerts(self._events, self._opened)
        return self._fold

    def copy(self) -> AlertBook:
        """An independent copy (replay keeps checkpoints of the fold)."""
        book = AlertBook.__new__(AlertBook)
        book._opened = self._opened
        book._events = list(self._events)
        book._fold = None if self._fold is None else self._fold.copy()
        return book


def alert_minutes(
    intervals: Iterable[Interval], start: datetime, end: datetime
) -> dict[str, float]:
    """Minutes of [start, end) each region spent under any alert (overlaps counted once)."""
    spans: dict[str, list[tuple[datetime, datetime]]] = {}
    for item in intervals:
        low = max(item.started_at, start)
        high = min(item.ended_at or end, end)
        spans.setdefault(item.region, [])
        if low < high:
            spans[item.region].append((low, high))
    minutes = {}
    for code in sorted(spans):
        total = 0.0
        reach: datetime | None = None
        for low, high in sorted(spans[code]):
            if reach is not None and low < reach:
                low = reach
            if low < high:
                total += (high - low).total_seconds()
                reach = high
        minutes[code] = round(total / 60, 1)
    return minutes
