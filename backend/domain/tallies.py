"""The one fold from events to tallies, shared by stats, the live view, replay and reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Protocol

from backend.domain.alerts import AlertBook, AlertEvent, OpenAlert, RegionAlert
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
    def area(self) -> str | None: ...
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
    area: str | None = None

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
            record.get("area"),  # records made before the field have none
        )


def _by_weapon() -> dict[str, int]:
    return dict.fromkeys(WEAPONS, 0)


@dataclass(slots=True)
class RegionTally:
    """Counts of one region (its alert state is the Tally's `alerts`)."""

    launched: int = 0
    shot_down: int = 0
    suppressed: int = 0
    impacts: int = 0
    debris: int = 0


@dataclass(slots=True)
class Tally:
    """Running totals of a night; `apply` is order-insensitive.

    Alert state is not per night: `alerts` starts from the alerts on before the night (see
    backend/domain/alerts.py), so an alert begun before noon is still on after it.
    """

    launched: dict[str, int] = field(default_factory=_by_weapon)
    shot_down: dict[str, int] = field(default_factory=_by_weapon)
    suppressed: dict[str, int] = field(default_factory=_by_weapon)
    impacts: dict[str, int] = field(default_factory=_by_weapon)
    debris: int = 0
    events: int = 0
    by_region: dict[str, RegionTally] = field(default_factory=dict)
    alerts: AlertBook = field(default_factory=AlertBook)

    @classmethod
    def from_alerts(cls, opened: Iterable[OpenAlert]) -> Tally:
        """An empty tally with these alerts on (begun before the events it will fold)."""
        return cls(alerts=AlertBook(opened))

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
            alerts=self.alerts.copy(),
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
        if event.region is None:
            return
        self.alerts.apply(AlertEvent.of(event))

    def alert_states(self) -> dict[str, RegionAlert]:
        """Each region with an alert on (from earlier nights too), by code."""
        return self.alerts.fold.regions()

    @property
    def active_alerts(self) -> list[str]:
        """Regions with an alert on (full or partial), in code order."""
        return list(self.alert_states())

    @property
    def neutralized_rate(self) -> float | None:
        """(shot down + suppressed) / launched, or None before any launch."""
        launched = sum(self.launched.values())
        if launched == 0:
            return None
        return (sum(self.shot_down.values()) + sum(self.suppressed.values())) / launched


def fold(events: Iterable[FoldableEvent], opened: Iterable[OpenAlert] = ()) -> Tally:
    """Tally of the given events, with the alerts `opened` on before them."""
    tally = Tally.from_alerts(opened)
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
        "by_region": _by_region(tally),
        "events": tally.events,
    }


def _by_region(tally: Tally) -> dict[str, dict[str, Any]]:
    alerts = tally.alert_states()
    # A region under an alert begun on an earlier night has no events tonight, yet is listed.
    codes = sorted(tally.by_region.keys() | alerts.keys())
    by_region = {}
    for code in codes:
        region = tally.by_region.get(code) or RegionTally()
        alert = alerts.get(code)
        by_region[code] = {
            "launched": region.launched,
            "shot_down": region.shot_down,
            "suppressed": region.suppressed,
            "impacts": region.impacts,
            "debris": region.debris,
            "alert_active": alert is not None,
            "alert_state": None if alert is None else alert.state,
        }
    return by_region
