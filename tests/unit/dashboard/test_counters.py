"""The six counters: official where a report exists, observed otherwise, never added; "—"
with "not reported" for what a report does not state."""

from __future__ import annotations

from typing import Any

from dashboard import ids
from dashboard.counters import counters
from dashboard.official import official_view
from dashboard.state import DashboardState, fold_records
from tests.helpers.dashboard_records import NIGHT, RECORDS, record
from tests.helpers.report_records import stored_report


def _with_report(state: DashboardState, **fields: Any) -> DashboardState:
    state.official = official_view(NIGHT, [stored_report(**fields)])
    return state


def test_observed_counters_say_they_are_observed() -> None:
    shown = counters(fold_records(NIGHT, RECORDS))
    values = {element: counter.value for element, counter in shown.items()}
    assert values == {
        ids.DRONES_LAUNCHED: "19",
        ids.MISSILES_LAUNCHED: "0",
        ids.SHOT_DOWN: "6",
        ids.SUPPRESSED: "3",
        ids.NEUTRALIZED_RATE: "47.4%",
        ids.IMPACTS: "2",
    }
    assert {counter.caption for counter in shown.values()} == {"observed events"}
    assert counters(DashboardState(NIGHT))[ids.NEUTRALIZED_RATE].value == "—"


def test_big_numbers_use_thin_space_groups() -> None:
    big = fold_records(NIGHT, [record(1, "launch", weapon="drone", count=1234)])
    assert counters(big)[ids.DRONES_LAUNCHED].value == "1\u2009234"


def test_a_report_replaces_the_observed_figures_never_adds_to_them() -> None:
    lines = [
        {"weapon": "drone", "launched": 539, "shot_down": 270, "suppressed": 208},
        {"weapon": "cruise_missile", "launched": 11, "shot_down": 8, "suppressed": 0},
    ]
    state = _with_report(fold_records(NIGHT, RECORDS), lines=lines, hit_locations=8)
    shown = counters(state)
    assert shown[ids.DRONES_LAUNCHED].value == "539"
    assert shown[ids.DRONES_LAUNCHED].caption == "Air Force report, 09:00 · observed 19"
    assert shown[ids.MISSILES_LAUNCHED].value == "11"
    assert shown[ids.SHOT_DOWN].value == "278"
    assert shown[ids.SUPPRESSED].value == "208"
    assert shown[ids.NEUTRALIZED_RATE].value == f"{486 / 550 * 100:.1f}%"
    assert (shown[ids.IMPACTS].label, shown[ids.IMPACTS].value) == ("Places hit", "8")
    assert "observed" not in shown[ids.IMPACTS].caption


def test_what_a_report_does_not_state_is_a_dash_not_zero() -> None:
    # Since July 2025: one combined figure, no split, no hit locations given.
    lines = [{"weapon": "drone", "launched": 810, "neutralized": 751}]
    shown = counters(_with_report(DashboardState(NIGHT), lines=lines))
    assert shown[ids.SHOT_DOWN].value == "—"
    assert shown[ids.SHOT_DOWN].caption == "not reported separately · Air Force report, 09:00"
    assert shown[ids.SUPPRESSED].value == "—"
    assert shown[ids.MISSILES_LAUNCHED].value == "—"
    assert shown[ids.MISSILES_LAUNCHED].caption == "not reported · Air Force report, 09:00"
    assert shown[ids.IMPACTS].value == "—"
    assert shown[ids.NEUTRALIZED_RATE].value == f"{751 / 810 * 100:.1f}%"
    assert shown[ids.DRONES_LAUNCHED].caption == "Air Force report, 09:00"
