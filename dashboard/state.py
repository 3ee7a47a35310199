"""The dashboard's state of one night: a fold of event records, like the backend's tallies.

The counters come from the backend's own Tally (the very fold behind GET /api/v1/stats), so
the page cannot disagree with the API; the table, timeline, places and feed are further
folds over the same records.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from backend.domain.alerts import OpenAlert
from backend.domain.nights import night_window
from backend.domain.tallies import FoldRow, Tally
from dashboard.official import Official

BIN = timedelta(minutes=10)
FEED_LENGTH = 50
NEUTRALIZING = frozenset({"shot_down", "suppressed"})


@dataclass(slots=True)
class Interceptions:
    """Launched, shot down and suppressed for one weapon class or model."""

    launched: int = 0
    shot_down: int = 0
    suppressed: int = 0

    @property
    def not_neutralized(self) -> int:
        """Launched minus neutralized (never below zero: reports can disagree)."""
        return max(self.launched - self.shot_down - self.suppressed, 0)


@dataclass(slots=True)
class PlaceTally:
    """What happened at one map position."""

    label: str
    region: str | None
    lat: float
    lon: float
    impacts: int = 0
    shot_down: int = 0
    debris: int = 0

    @property
    def total(self) -> int:
        """Everything counted here."""
        return self.impacts + self.shot_down + self.debris


@dataclass(slots=True)
class DashboardState:
    """Everything the page shows for one night, folded from its records."""

    night: date
    cursor: int = 0
    tally: Tally = field(default_factory=Tally)
    models: dict[tuple[str, str], Interceptions] = field(default_factory=dict)
    timeline: dict[int, list[int]] = field(default_factory=dict)
    places: dict[tuple[float, float], PlaceTally] = field(default_factory=dict)
    feed: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=FEED_LENGTH))
    # The night's official reports, read beside the records and never folded into them.
    official: Official | None = None
    # When the latest event happened: the page says "last event 03:41 (4 min ago)".
    last_at: datetime | None = None

    @property
    def window_start(self) -> datetime:
        """Start of the night's 12:00-12:00 Kyiv window (UTC)."""
        return night_window(self.night)[0]

    @property
    def window_end(self) -> datetime:
        """End of the night's window (UTC): a past night is read as it stood then."""
        return night_window(self.night)[1]

    def apply(self, record: Mapping[str, Any]) -> None:
        """Fold one record of this night in (records must come in seq order)."""
        if record["retracted"]:
            return
        self.cursor = max(self.cursor, record["seq"])
        if self.last_at is None or record["occurred_at"] > self.last_at:
            self.last_at = record["occurred_at"]
        self.tally.apply(FoldRow.of(record))
        kind, count = record["kind"], record["count"]
        if kind in ("launch", "shot_down", "suppressed"):
            self._interception(record, kind, count)
        if kind == "launch" or kind in NEUTRALIZING:
            index = int((record["occurred_at"] - self.window_start) // BIN)
            row = self.timeline.setdefault(index, [0, 0])
            row[0 if kind == "launch" else 1] += count
        if kind in ("impact", "shot_down", "debris") and record["lat"] is not None:
            self._place(record, kind, count)
        self.feed.appendleft(dict(record))

    def _interception(self, record: Mapping[str, Any], kind: str, count: int) -> None:
        key = (record["weapon"] or "unknown", record["model"] or "")
        row = self.models.get(key)
        if row is None:
            row = self.models[key] = Interceptions()
        if kind == "launch":
            row.launched += count
        elif kind == "shot_down":
            row.shot_down += count
        else:
            row.suppressed += count

    def _place(self, record: Mapping[str, Any], kind: str, count: int) -> None:
        key = (round(record["lat"], 3), round(record["lon"], 3))
        place = self.places.get(key)
        if place is None:
            label = record["city"] or record["region"] or f"{key[0]}, {key[1]}"
            place = self.places[key] = PlaceTally(label, record["region"], key[0], key[1])
        if kind == "impact":
            place.impacts += count
        elif kind == "shot_down":
            place.shot_down += count
        else:
            place.debris += count


def fold_records(
    night: date, records: Iterable[Mapping[str, Any]], opened: Iterable[OpenAlert] = ()
) -> DashboardState:
    """The state of a night from its records in seq order, and the alerts on before it (begun
    on earlier nights: an alert does not end at noon)."""
    state = DashboardState(night, tally=Tally.from_alerts(opened))
    for record in records:
        state.apply(record)
    return state
