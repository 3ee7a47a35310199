"""GET /trends: the nights' summaries added up per month, ISO week or night. Pure.

The rules (issue 16):

- **One source a night.** A night with a counted official national report counts its
  report's figures, else its observed events' (when they report any: a night of alert
  events alone reports no figure), never both. `sources` says how many nights took which;
  `nights` is their sum.
- **Null is not zero.** A figure of a weapon is the sum over the nights that state it, and
  null when none of the period's nights does. A report states the weapons it has lines for,
  the events the weapons they have a launch, shot_down or suppressed event of; an observed
  night's neutralized is its shot down plus suppressed.
- **Rates over nights that report both terms.** neutralized_rate is the sum of neutralized
  over the sum of launched over the (night, weapon) pairs that state both; shot_down_rate and
  suppressed_rate likewise. Null when no pair does (or their launched is 0). From 23 July
  2025 the Air Force stopped splitting shot down from suppressed: those nights enter
  neutralized_rate and suppressed_rate (when stated) but not shot_down_rate.
- **Alert hours** per region are the hours inside the period's nights' windows under any
  alert (from the night summaries; an alert on through a night with no record stays on).
  `region` limits them to some regions; the figures are national either way (reports state
  the whole country). `weapon` limits the figures and the rates to some weapons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from backend.domain.nights import night_window
from backend.domain.ranges import add_stated
from backend.domain.summaries import NightSummary, has_figures

By = Literal["month", "week", "night"]
BY: tuple[By, ...] = ("month", "week", "night")
FIGURES = ("launched", "shot_down", "suppressed", "neutralized")
_RATES = (("neutralized_rate", "neutralized"), ("shot_down_rate", "shot_down"))
_RATES_ALL = (*_RATES, ("suppressed_rate", "suppressed"))


def period_of(night: date, by: By) -> str:
    """The label of the period a night falls in: 2025-07, 2025-W27 or 2025-07-04."""
    if by == "month":
        return f"{night.year:04d}-{night.month:02d}"
    if by == "week":
        year, week, _day = night.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return night.isoformat()


@dataclass(frozen=True, slots=True)
class NightFigures:
    """What one night counts: its source and figures by weapon (None: not stated)."""

    source: Literal["official", "observed"]
    figures: dict[str, dict[str, int | None]]
    hit_locations: int | None
    debris_locations: int | None


def figures_of(summary: NightSummary) -> NightFigures | None:
    """The night's figures by the one-source rule; None when it states none."""
    if summary.official is not None:
        official = summary.official
        return NightFigures(
            "official",
            {figure: dict(official[figure]) for figure in FIGURES},
            official["hit_locations"],
            official["debris_locations"],
        )
    if not has_figures(summary):
        return None
    o = summary.observed
    figures: dict[str, dict[str, int | None]] = {figure: {} for figure in FIGURES}
    for weapon in o.weapons:
        figures["launched"][weapon] = o.launched[weapon]
        figures["shot_down"][weapon] = o.shot_down[weapon]
        figures["suppressed"][weapon] = o.suppressed[weapon]
        figures["neutralized"][weapon] = o.shot_down[weapon] + o.suppressed[weapon]
    return NightFigures("observed", figures, sum(o.impacts.values()), o.debris)


@dataclass(slots=True)
class _Period:
    label: str
    weapons: Sequence[str]
    figures: dict[str, dict[str, int | None]] = field(default_factory=dict)
    terms: dict[str, list[int]] = field(default_factory=dict)
    hits: int | None = None
    debris: int | None = None
    minutes: dict[str, float] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=lambda: {"official": 0, "observed": 0})

    def __post_init__(self) -> None:
        self.figures = {figure: dict.fromkeys(self.weapons) for figure in FIGURES}
        self.terms = {name: [0, 0] for name, _term in _RATES_ALL}

    def take(self, night: NightFigures) -> None:
        self.sources[night.source] += 1
        for figure in FIGURES:
            mine = self.figures[figure]
            for weapon in self.weapons:
                mine[weapon] = add_stated(mine[weapon], night.figures[figure].get(weapon))
        for name, term in _RATES_ALL:
            for weapon in self.weapons:
                launched = night.figures["launched"].get(weapon)
                part = night.figures[term].get(weapon)
                if launched is not None and part is not None:
                    self.terms[name][0] += part
                    self.terms[name][1] += launched
        self.hits = add_stated(self.hits, night.hit_locations)
        self.debris = add_stated(self.debris, night.debris_locations)

    def row(self) -> dict[str, Any]:
        rates = {
            name: (part / whole if whole else None) for name, (part, whole) in self.terms.items()
        }
        return {
            "period": self.label,
            "nights": self.sources["official"] + self.sources["observed"],
            **self.figures,
            **rates,
            "hit_locations": self.hits,
            "debris_locations": self.debris,
            "alert_hours": {
                code: round(self.minutes[code] / 60, 2) for code in sorted(self.minutes)
            },
            "sources": dict(self.sources),
        }


def _nights(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def trend_rows(
    summaries: Sequence[NightSummary],
    before: NightSummary | None,
    *,
    first: date,
    last: date,
    by: By,
    weapons: Sequence[str],
    regions: Sequence[str] | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """One row per period from first to last (nights), empty periods included.

    `summaries` are those of the nights in the range, in night order; `before` the last one
    before it (whose alerts still on carry into the range). A night with no summary keeps
    every alert on at the previous night's end on for its whole window (up to `now`).
    """
    by_night = {summary.night: summary for summary in summaries}
    still_on = {alert.region for alert in before.alerts.open_at_end} if before else set()
    wanted = None if regions is None else set(regions)
    periods: dict[str, _Period] = {}
    for night in _nights(first, last):
        label = period_of(night, by)
        period = periods.get(label)
        if period is None:
            period = periods[label] = _Period(label, weapons)
        summary = by_night.get(night)
        if summary is None:
            start, end = night_window(night)
            span = max(0.0, (min(end, now) - start).total_seconds() / 60)
            minutes = dict.fromkeys(still_on, span) if span else {}
        else:
            minutes = summary.alerts.minutes
            still_on = {alert.region for alert in summary.alerts.open_at_end}
            counted = figures_of(summary)
            if counted is not None:
                period.take(counted)
        for code, value in minutes.items():
            if wanted is None or code in wanted:
                period.minutes[code] = period.minutes.get(code, 0.0) + value
    return [period.row() for period in periods.values()]


def csv_columns(rows: Sequence[dict[str, Any]], weapons: Sequence[str]) -> list[str]:
    """The CSV header: figures by weapon, rates, locations, alert hours by region, sources."""
    regions = sorted({code for row in rows for code in row["alert_hours"]})
    return [
        "period",
        "nights",
        *(f"{figure}_{weapon}" for figure in FIGURES for weapon in weapons),
        *(name for name, _term in _RATES_ALL),
        "hit_locations",
        "debris_locations",
        *(f"alert_hours_{code}" for code in regions),
        "sources_official",
        "sources_observed",
    ]


def csv_record(row: dict[str, Any], columns: Sequence[str]) -> list[Any]:
    """One row's cells in the header's order; None (an empty cell) is not reported."""
    flat: dict[str, Any] = {
        "period": row["period"],
        "nights": row["nights"],
        "hit_locations": row["hit_locations"],
        "debris_locations": row["debris_locations"],
        "sources_official": row["sources"]["official"],
        "sources_observed": row["sources"]["observed"],
    }
    for figure in FIGURES:
        for weapon, value in row[figure].items():
            flat[f"{figure}_{weapon}"] = value
    for name, _term in _RATES_ALL:
        flat[name] = row[name]
    for code, hours in row["alert_hours"].items():
        flat[f"alert_hours_{code}"] = hours
    # A region without alert time in the period spent 0 hours under alert (not unknown).
    return [
        flat.get(column, 0 if column.startswith("alert_hours_") else None) for column in columns
    ]
