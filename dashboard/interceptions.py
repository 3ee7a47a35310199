"""The interception table: the report's lines where a report exists, else the observed fold.

Rows are each weapon class, then its models. A cell the source does not state is "—", never
0: reports often give shoot-downs per class only, and since July 2025 the Air Force gives one
"shot down or suppressed" figure (the Neutralized column).
"""

from __future__ import annotations

from typing import Any

from backend.domain.schemas import WEAPONS
from dashboard.counters import NOT_REPORTED, OBSERVED
from dashboard.i18n import Texts, texts
from dashboard.official import Official, sum_stated
from dashboard.state import DashboardState

WEAPON_LABELS = {
    "drone": "Attack drones",
    "decoy": "Decoy drones",
    "cruise_missile": "Cruise missiles",
    "ballistic_missile": "Ballistic missiles",
    "guided_bomb": "Guided bombs",
    "unknown": "Unknown",
}
COLUMNS = (
    ("weapon", "Weapon"),
    ("launched", "Launched"),
    ("shot_down", "Shot down"),
    ("suppressed", "Lost to EW"),
    ("neutralized", "Neutralized"),
    ("not_neutralized", "Not stopped"),
)
_FIGURES = ("launched", "shot_down", "suppressed", "neutralized")
Cell = int | str


def _cell(value: int | None) -> Cell:
    return NOT_REPORTED if value is None else value


def _row(
    name: str,
    launched: int | None,
    shot_down: int | None,
    suppressed: int | None,
    neutralized: int | None,
) -> dict[str, Any]:
    # Reports can disagree with themselves by a few: never a negative "not stopped".
    stopped = None if launched is None or neutralized is None else max(launched - neutralized, 0)
    return {
        "weapon": name,
        "launched": _cell(launched),
        "shot_down": _cell(shot_down),
        "suppressed": _cell(suppressed),
        "neutralized": _cell(neutralized),
        "not_neutralized": _cell(stopped),
    }


def _observed_rows(state: DashboardState, t: Texts, *, in_progress: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    tally = state.tally
    for weapon in WEAPONS:
        launched = tally.launched[weapon]
        shot_down, suppressed = tally.shot_down[weapon], tally.suppressed[weapon]
        if launched == shot_down == suppressed == 0:
            continue
        rows.append(
            _row(t(WEAPON_LABELS[weapon]), launched, shot_down, suppressed, shot_down + suppressed)
        )
        models = sorted(
            (model, row) for (kind, model), row in state.models.items() if kind == weapon and model
        )
        for model, row in models:
            # Observers often see shoot-downs per class only: a model row with none attributed
            # shows its launches and leaves its fate unstated rather than claiming zero.
            if row.shot_down + row.suppressed > 0:
                neutralized: int | None = row.shot_down + row.suppressed
                rows.append(
                    _row(f"  {model}", row.launched, row.shot_down, row.suppressed, neutralized)
                )
            else:
                rows.append(_row(f"  {model}", row.launched, None, None, None))
    if in_progress:
        # Not stopped is known only once the attack is over: until then some are in the air.
        for shown in rows:
            shown["not_neutralized"] = NOT_REPORTED
    return rows


def _official_rows(official: Official, t: Texts) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    figures = official.figures
    for weapon in WEAPONS:
        if weapon not in figures["launched"]:
            continue
        rows.append(_row(t(WEAPON_LABELS[weapon]), *(figures[name][weapon] for name in _FIGURES)))
        # The reports' own lines under their class; lines of one model from several reports
        # (a morning post and a later one) add up as the class figures do.
        by_model: dict[str, list[dict[str, Any]]] = {}
        for line in official.lines:
            if line["weapon"] == weapon and line["model"]:
                by_model.setdefault(line["model"], []).append(line)
        for model, lines in by_model.items():
            stated = [sum_stated([line[name] for line in lines]) for name in _FIGURES]
            rows.append(_row(f"  {model}", *stated))
    return rows


def tally_rows(
    state: DashboardState, t: Texts | None = None, *, in_progress: bool = False
) -> list[dict[str, Any]]:
    """The table's rows for the night: official where a report exists, else observed."""
    t = t or texts("en")
    if state.official is not None:
        return _official_rows(state.official, t)
    return _observed_rows(state, t, in_progress=in_progress)


def columns(t: Texts) -> list[dict[str, str]]:
    """The table's columns, named in a language."""
    return [{"name": t(name), "id": key} for key, name in COLUMNS]


def table_source(state: DashboardState, t: Texts | None = None) -> str:
    """Where the table's figures come from, shown above it."""
    t = t or texts("en")
    return t(OBSERVED) if state.official is None else state.official.caption_in(t)
