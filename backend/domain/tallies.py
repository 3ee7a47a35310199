"""The one fold from events to tallies, shared by stats, the live view, replay and reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Protocol

from backend.domain.schemas import WEAPONS


class FoldableEvent(Protocol):
    """What the fold reads of an event (a row, a record object, a replay event)."""

    @property
    def kind(self) -> str: ...
    @property
    def weapon(self) -> str | None: ...
    @property
    def count(self) -> int: ...
    @property
    def region(self) -> str | None: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def seq(self) -> int: ...


@dataclass(frozen=True, slots=True)
class FoldRow:
    """An event reduced to what the fold reads."""

    kind: str
    weapon: str | None
    count: int
    region: str | None
    occurred_at: datetime
    seq: int

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> FoldRow:
        """The fold's view of a wire record (or a row mapping)."""
        return cls(
            record["kind"],
            record["weapon"],
            record["count"],
            record["region"],
            record["occurred_at"],
            record["seq"],
        )


def _by_weapon() -> dict[str, int]:
    return dict.fromkeys(WEAPONS, 0)


@dataclass(slots=True)
class RegionTally:
    """Counts and alert state of one region."""

    launched: int = 0
    shot_down: int = 0
    suppressed: int = 0
    impacts: int = 0
    debris: int = 0
    alert_active: bool = False


@dataclass(slots=True)
class Tally:
    """Running totals of a night. `apply` is order-insensitive except for same-time alerts."""

    launched: dict[str, int] = field(default_factory=_by_weapon)
    shot_down: dict[str, int] = field(default_factory=_by_weapon)
    suppressed: dict[str, int] = field(default_factory=_by_weapon)
    impacts: dict[str, int] = field(default_factory=_by_weapon)
    debris: int = 0
    events: int = 0
    by_region: dict[str, RegionTally] = field(default_factory=dict)
    # Latest alert event per region as (occurred_at, seq, active): a late-arriving older
    # alert_start must not reopen an alert that a newer alert_end closed.
    _alerts: dict[str, tuple[datetime, int, bool]] = field(default_factory=dict)

    def copy(self) -> Tally:
        """An independent copy (replay keeps checkpoints of the fold)."""
        return Tally(
            launched=dict(self.launched),
            shot_down=dict(self.shot_down),
            suppressed=dict(self.suppressed),
            impacts=dict(self.impacts),
            debris=self.debris,
            events=self.events,
            by_region={code: replace(region) for code, region in self.by_region.items()},
            _alerts=dict(self._alerts),
        )

    def apply(self, event: FoldableEvent) -> None:
        """Add one event to the totals."""
        self.events += 1
        kind, count = event.kind, event.count
        region = self._region(event.region) if event.region else None
        if kind == "alert_start" or kind == "alert_end":
            self._apply_alert(event)
            return
        weapon = event.weapon or "unknown"
        if kind == "launch":
            self.launched[weapon] += count
            if region:
                region.launched += count
        elif kind == "shot_down":
            self.shot_down[weapon] += count
            if region:
                region.shot_down += count
        elif kind == "suppressed":
            self.suppressed[weapon] += count
            if region:
                region.suppressed += count
        elif kind == "impact":
            self.impacts[weapon] += count
            if region:
                region.impacts += count
        elif kind == "debris":
            self.debris += count
            if region:
                region.debris += count

    def _region(self, code: str) -> RegionTally:
        tally = self.by_region.get(code)
        if tally is None:
            tally = self.by_region[code] = RegionTally()
        return tally

    def _apply_alert(self, event: FoldableEvent) -> None:
        code = event.region
        if code is None:
            return
        key = (event.occurred_at, event.seq)
        latest = self._alerts.get(code)
        if latest is not None and (latest[0], latest[1]) > key:
            return
        active = event.kind == "alert_start"
        self._alerts[code] = (event.occurred_at, event.seq, active)
        self._region(code).alert_active = active

    @property
    def active_alerts(self) -> list[str]:
        """Regions whose latest alert event is a start, in code order."""
        return sorted(code for code, (_, _, active) in self._alerts.items() if active)

    @property
    def neutralized_rate(self) -> float | None:
        """(shot down + suppressed) / launched, or None before any launch."""
        launched = sum(self.launched.values())
        if launched == 0:
            return None
        return (sum(self.shot_down.values()) + sum(self.suppressed.values())) / launched


def fold(events: Iterable[FoldableEvent]) -> Tally:
    """Tally of the given events."""
    tally = Tally()
    for event in events:
        tally.apply(event)
    return tally


def stats_of(tally: Tally, *, night: date | None) -> dict[str, Any]:
    """The GET /stats body for a tally."""
    return {
        "night": night,
        "launched": dict(tally.launched),
        "shot_down": dict(tally.shot_down),
        "suppressed": dict(tally.suppressed),
        "impacts": dict(tally.impacts),
        "debris": tally.debris,
        "neutralized_rate": tally.neutralized_rate,
        "active_alerts": tally.active_alerts,
        "by_region": {
            code: {
                "launched": region.launched,
                "shot_down": region.shot_down,
                "suppressed": region.suppressed,
                "impacts": region.impacts,
                "debris": region.debris,
                "alert_active": region.alert_active,
            }
            for code, region in sorted(tally.by_region.items())
        },
        "events": tally.events,
    }
