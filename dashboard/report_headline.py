"""The briefing report's headline and window, in the Air Force's manner: "550 means of air
attack: 539 drones, 11 missiles; 476 neutralized; impacts at 8 locations".

The figures are the official report's where the night has one (never added to the observed
ones), else the observed events'. A figure the report does not state reads "—" and says
"not reported", never 0.
"""

from __future__ import annotations

from datetime import datetime

from dashboard.counters import DRONES, MISSILES
from dashboard.i18n import Texts
from dashboard.official import Official, sum_stated
from dashboard.state import DashboardState


def _stated(official: Official, figure: str, weapons: tuple[str, ...] | None = None) -> int | None:
    by_weapon: dict[str, int | None] = official.figures[figure]
    chosen = by_weapon if weapons is None else {w: by_weapon.get(w) for w in weapons}
    return sum_stated(list(chosen.values()))


def _figure(t: Texts, value: int | None, singular: str, plural: str) -> str:
    """ "539 drones", or "— drones (not reported)" when the source does not state it."""
    if value is None:
        return t.plural(singular, plural, 0).replace(t.number(0), "—", 1) + (
            " (" + t("not reported") + ")"
        )
    return t.plural(singular, plural, value)


def _official_figures(official: Official) -> dict[str, int | None]:
    launched = _stated(official, "launched")
    return {
        "launched": launched,
        "drones": _stated(official, "launched", DRONES),
        "missiles": _stated(official, "launched", MISSILES),
        "neutralized": _stated(official, "neutralized"),
        "impacts": official.figures["hit_locations"],
        "debris": official.figures["debris_locations"],
    }


def _observed_figures(state: DashboardState) -> dict[str, int | None]:
    tally = state.tally
    drones = sum(tally.launched[weapon] for weapon in DRONES)
    missiles = sum(tally.launched[weapon] for weapon in MISSILES)
    places = state.places.values()
    return {
        "launched": sum(tally.launched.values()),
        "drones": drones,
        "missiles": missiles,
        "neutralized": sum(tally.shot_down.values()) + sum(tally.suppressed.values()),
        # Observed impacts are counted as places, like the report's "locations".
        "impacts": sum(1 for place in places if place.impacts),
        "debris": sum(1 for place in places if place.debris),
    }


def headline(state: DashboardState, t: Texts) -> str:
    """The night in one line; its source says whether it is the report's or observed."""
    official = state.official
    figures = _observed_figures(state) if official is None else _official_figures(official)
    parts = [
        _figure(t, figures["launched"], "{n} means of air attack", "{n} means of air attack")
        + ": "
        + ", ".join(
            (
                _figure(t, figures["drones"], "{n} drone", "{n} drones"),
                _figure(t, figures["missiles"], "{n} missile", "{n} missiles"),
            )
        ),
        _figure(t, figures["neutralized"], "{n} neutralized", "{n} neutralized"),
        _figure(t, figures["impacts"], "impacts at {n} location", "impacts at {n} locations"),
    ]
    if figures["debris"]:
        parts.append(
            _figure(t, figures["debris"], "debris at {n} location", "debris at {n} locations")
        )
    return "; ".join(parts)


def headline_source(state: DashboardState, t: Texts) -> str:
    """Whose figures the headline gives."""
    if state.official is None:
        return t("observed events")
    return state.official.caption_in(t)


def _stamp(t: Texts, moment: datetime) -> str:
    return t.moment(moment, form="d MMMM y, HH:mm")


def report_window(state: DashboardState, t: Texts) -> str:
    """The night's window in Kyiv time with its UTC offset (both when the clocks changed)."""
    start, end = state.window_start, state.window_end
    offsets = (t.offset(start), t.offset(end))
    offset = offsets[0] if offsets[0] == offsets[1] else " / ".join(offsets)
    return t(
        "{start} to {end}, Kyiv time ({offset})",
        start=_stamp(t, start),
        end=_stamp(t, end),
        offset=offset,
    )


def kyiv_stamp(t: Texts, moment: datetime) -> str:
    """A moment in Kyiv time with its offset: "4 July 2025, 06:00 (UTC+03:00)"."""
    return f"{_stamp(t, moment)} ({t.offset(moment)})"
