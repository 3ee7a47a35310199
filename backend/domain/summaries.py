"""A night's summary: its observed tallies, official figures and alert time, folded once.

Pure: backend/store/summaries.py keeps one per night (table night_summaries) and folds a
night again when a write marks it; ranges (GET /stats?from=&to=, /nights, /trends) add
summaries instead of folding events. The summary holds what those answers need and no more:

- `observed`: sums of `count` by kind and weapon over the night's live events (every kind
  counts in `events`), by region too, and the first and last event time. `weapons` lists the
  weapons with a launch, shot_down or suppressed event: the weapons the events report on.
- `official`: official_of of the night's reports (None without a counted one); `reports` is
  how many reports are stored at all (GET /nights lists a night with any).
- `alerts`: minutes per region under any alert inside the window (up to `upto` for a night
  still running) and the alerts still on at its end, the start of the next night's fold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson

from backend.domain.alerts import AlertEvent, OpenAlert, alert_minutes, fold_alerts
from backend.domain.schemas import WEAPONS

COUNTED = ("launch", "shot_down", "suppressed", "impact", "debris")
FIGURE_KINDS = {"launch": "launched", "shot_down": "shot_down", "suppressed": "suppressed"}
REGION_FIELDS = ("launched", "shot_down", "suppressed", "impacts", "debris")
_REGION_INDEX = {"launch": 0, "shot_down": 1, "suppressed": 2, "impact": 3, "debris": 4}


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One (kind, weapon, region) group of a night's live events, as the store sums them."""

    kind: str
    weapon: str | None
    region: str | None
    count: int
    events: int
    first_at: datetime
    last_at: datetime


def _zeros() -> dict[str, int]:
    return dict.fromkeys(WEAPONS, 0)


@dataclass(slots=True)
class Observed:
    """A night's (or a range's) observed tallies."""

    events: int = 0
    launched: dict[str, int] = field(default_factory=_zeros)
    shot_down: dict[str, int] = field(default_factory=_zeros)
    suppressed: dict[str, int] = field(default_factory=_zeros)
    impacts: dict[str, int] = field(default_factory=_zeros)
    debris: int = 0
    weapons: list[str] = field(default_factory=list)
    by_region: dict[str, list[int]] = field(default_factory=dict)
    first_at: datetime | None = None
    last_at: datetime | None = None

    def add(self, other: Observed) -> None:
        """Add another night's tallies to these."""
        self.events += other.events
        for mine, theirs in (
            (self.launched, other.launched),
            (self.shot_down, other.shot_down),
            (self.suppressed, other.suppressed),
            (self.impacts, other.impacts),
        ):
            for weapon, count in theirs.items():
                mine[weapon] = mine.get(weapon, 0) + count
        self.debris += other.debris
        self.weapons = [w for w in WEAPONS if w in self.weapons or w in other.weapons]
        for code, counts in other.by_region.items():
            mine_counts = self.by_region.setdefault(code, [0] * len(REGION_FIELDS))
            for index, count in enumerate(counts):
                mine_counts[index] += count
        self.first_at = _min(self.first_at, other.first_at)
        self.last_at = _max(self.last_at, other.last_at)


def _min(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def observed_of(groups: Iterable[GroupRow]) -> Observed:
    """The tallies of a night's event groups (alert events count in `events` only)."""
    observed = Observed()
    weapons: set[str] = set()
    for group in groups:
        observed.events += group.events
        observed.first_at = _min(observed.first_at, group.first_at)
        observed.last_at = _max(observed.last_at, group.last_at)
        # Any event with a region lists it (an alert's too), as the events' fold does.
        counts = None
        if group.region is not None:
            counts = observed.by_region.setdefault(group.region, [0] * len(REGION_FIELDS))
        if group.kind not in _REGION_INDEX:
            continue
        weapon = group.weapon or "unknown"
        if group.kind == "debris":
            observed.debris += group.count
        elif group.kind == "impact":
            observed.impacts[weapon] += group.count
        else:
            getattr(observed, FIGURE_KINDS[group.kind])[weapon] += group.count
            weapons.add(weapon)
        if counts is not None:
            counts[_REGION_INDEX[group.kind]] += group.count
    observed.weapons = [weapon for weapon in WEAPONS if weapon in weapons]
    return observed


@dataclass(frozen=True, slots=True)
class NightAlerts:
    """A night's alert time by region (minutes) and the alerts on at its start and end."""

    minutes: dict[str, float]
    open_at_end: tuple[OpenAlert, ...]
    open_at_start: tuple[OpenAlert, ...] = ()


def night_alerts_of(
    events: Sequence[AlertEvent],
    opened: Iterable[OpenAlert],
    window: tuple[datetime, datetime],
    upto: datetime,
) -> NightAlerts:
    """The fold of a night's alert events (time order) from the alerts on at its start."""
    start = _ordered(opened)
    fold = fold_alerts(events, start)
    minutes = alert_minutes(fold.intervals(), window[0], min(window[1], upto))
    ended = _ordered(fold.open.values())
    return NightAlerts({k: v for k, v in minutes.items() if v > 0}, ended, start)


def _ordered(alerts: Iterable[OpenAlert]) -> tuple[OpenAlert, ...]:
    return tuple(sorted(alerts, key=lambda alert: (alert.started_at, alert.seq)))


@dataclass(frozen=True, slots=True)
class NightSummary:
    """Everything a range answer reads of one night."""

    night: date
    observed: Observed
    official: dict[str, Any] | None
    reports: int
    alerts: NightAlerts

    def encode(self) -> bytes:
        """The stored form (JSON)."""
        o = self.observed
        return orjson.dumps(
            {
                "observed": {
                    "events": o.events,
                    "launched": o.launched,
                    "shot_down": o.shot_down,
                    "suppressed": o.suppressed,
                    "impacts": o.impacts,
                    "debris": o.debris,
                    "weapons": o.weapons,
                    "by_region": o.by_region,
                    "first_at": o.first_at,
                    "last_at": o.last_at,
                },
                "official": self.official,
                "reports": self.reports,
                "alerts": {
                    "minutes": self.alerts.minutes,
                    "open": [_wire(alert) for alert in self.alerts.open_at_end],
                    "opened": [_wire(alert) for alert in self.alerts.open_at_start],
                },
            }
        )

    @classmethod
    def decode(cls, night: date, stored: str | bytes) -> NightSummary:
        """The summary from its stored form."""
        data = orjson.loads(stored)
        o = data["observed"]
        observed = Observed(
            events=o["events"],
            launched=o["launched"],
            shot_down=o["shot_down"],
            suppressed=o["suppressed"],
            impacts=o["impacts"],
            debris=o["debris"],
            weapons=o["weapons"],
            by_region=o["by_region"],
            first_at=_instant(o["first_at"]),
            last_at=_instant(o["last_at"]),
        )
        official = data["official"]
        if official is not None:
            official["issued_at"] = datetime.fromisoformat(official["issued_at"])
        kept: dict[str, Any] = data["alerts"]
        alerts = NightAlerts(kept["minutes"], _alerts_of(kept["open"]), _alerts_of(kept["opened"]))
        return cls(night, observed, official, data["reports"], alerts)


def _wire(alert: OpenAlert) -> list[Any]:
    return [alert.region, alert.area, alert.started_at, alert.seq]


def _alerts_of(stored: list[list[Any]]) -> tuple[OpenAlert, ...]:
    return tuple(
        OpenAlert(region, area, datetime.fromisoformat(started), seq)
        for region, area, started, seq in stored
    )


def _instant(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def has_figures(summary: NightSummary) -> bool:
    """Whether the night's events report any figure (alert events alone report none)."""
    o = summary.observed
    return bool(o.weapons) or o.debris > 0 or any(o.impacts.values())
