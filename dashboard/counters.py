"""The six big numbers: the official figure where a report exists, the observed one otherwise.

Never the two added. Each counter has a caption saying which it is ("Air Force report, 09:15
· observed 539" or "observed events"), and a figure the report does not state is "—" with
"not reported", never 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dashboard import ids
from dashboard.i18n import Texts, texts
from dashboard.official import Official, sum_stated
from dashboard.state import DashboardState

DRONES = ("drone", "decoy")
MISSILES = ("cruise_missile", "ballistic_missile")
NOT_REPORTED = "—"
OBSERVED = "observed events"
LABELS = {
    ids.DRONES_LAUNCHED: "Drones launched",
    ids.MISSILES_LAUNCHED: "Missiles launched",
    ids.SHOT_DOWN: "Shot down",
    ids.SUPPRESSED: "Lost to EW",
    ids.NEUTRALIZED_RATE: "Neutralized",
    ids.IMPACTS: "Impacts",
}
# A report counts the places hit, not the impacts: the counter says so when it shows them.
OFFICIAL_IMPACTS_LABEL = "Places hit"


@dataclass(frozen=True, slots=True)
class Counter:
    """One counter as shown: the number, what it counts, and where the number comes from."""

    value: str
    label: str
    caption: str


def number(value: int | None) -> str:
    """A count as the wall reads it (thin-space thousands); "—" when not reported."""
    if value is None:
        return NOT_REPORTED
    return f"{value:,}".replace(",", "\u2009")


def percent(rate: float | None) -> str:
    """A rate as a percentage, "—" when there is none."""
    return NOT_REPORTED if rate is None else f"{rate * 100:.1f}%"


def _observed(state: DashboardState) -> dict[str, int]:
    tally = state.tally
    return {
        ids.DRONES_LAUNCHED: sum(tally.launched[weapon] for weapon in DRONES),
        ids.MISSILES_LAUNCHED: sum(tally.launched[weapon] for weapon in MISSILES),
        ids.SHOT_DOWN: sum(tally.shot_down.values()),
        ids.SUPPRESSED: sum(tally.suppressed.values()),
        ids.IMPACTS: sum(tally.impacts.values()),
    }


def _stated(official: Official, figure: str, weapons: Iterable[str] | None = None) -> int | None:
    by_weapon: dict[str, int | None] = official.figures[figure]
    chosen = by_weapon if weapons is None else {w: by_weapon.get(w) for w in weapons}
    return sum_stated(list(chosen.values()))


def _official(official: Official) -> dict[str, int | None]:
    return {
        ids.DRONES_LAUNCHED: _stated(official, "launched", DRONES),
        ids.MISSILES_LAUNCHED: _stated(official, "launched", MISSILES),
        ids.SHOT_DOWN: _stated(official, "shot_down"),
        ids.SUPPRESSED: _stated(official, "suppressed"),
        ids.IMPACTS: official.figures["hit_locations"],
    }


def _caption(
    official: Official, t: Texts, *, stated: bool, observed: int | None, split: bool
) -> str:
    caption = official.caption_in(t)
    if not stated:
        # Since July 2025 the Air Force gives one "shot down or suppressed" figure.
        said = t("not reported separately") if split else t("not reported")
        return f"{said} · {caption}"
    if observed:
        return f"{caption} · " + t("observed {count}", count=number(observed))
    return caption


def _observed_counters(state: DashboardState, t: Texts, *, in_progress: bool) -> dict[str, Counter]:
    observed = t(OBSERVED)
    shown = {
        element: Counter(number(value), t(LABELS[element]), observed)
        for element, value in _observed(state).items()
    }
    rate = state.tally.neutralized_rate
    # While drones are in the air and none is reported down yet, 0 % says more than is known.
    if in_progress and not (
        sum(state.tally.shot_down.values()) + sum(state.tally.suppressed.values())
    ):
        rate = None
    label = t(LABELS[ids.NEUTRALIZED_RATE])
    shown[ids.NEUTRALIZED_RATE] = Counter(t.percent(rate), label, observed)
    return shown


def _official_counters(state: DashboardState, official: Official, t: Texts) -> dict[str, Counter]:
    observed = _observed(state)
    neutralized_stated = _stated(official, "neutralized") is not None
    shown: dict[str, Counter] = {}
    for element, value in _official(official).items():
        split = element in (ids.SHOT_DOWN, ids.SUPPRESSED) and neutralized_stated
        label = OFFICIAL_IMPACTS_LABEL if element == ids.IMPACTS else LABELS[element]
        # Impacts and places hit are different counts: no "observed" beside places hit.
        seen = None if element == ids.IMPACTS else observed[element]
        caption = _caption(official, t, stated=value is not None, observed=seen, split=split)
        shown[element] = Counter(number(value), t(label), caption)
    rate = official.figures["neutralized_rate"]
    caption = _caption(official, t, stated=rate is not None, observed=None, split=False)
    label = t(LABELS[ids.NEUTRALIZED_RATE])
    shown[ids.NEUTRALIZED_RATE] = Counter(t.percent(rate), label, caption)
    return shown


def counters(
    state: DashboardState, t: Texts | None = None, *, in_progress: bool = False
) -> dict[str, Counter]:
    """Every counter by element id, in the page's order; `in_progress` while the night's
    attack may still be in the air (the live night, a replay before its end)."""
    t = t or texts("en")
    official = state.official
    if official is None:
        shown = _observed_counters(state, t, in_progress=in_progress)
    else:
        shown = _official_counters(state, official, t)
    return {element: shown[element] for element in ids.COUNTERS}
