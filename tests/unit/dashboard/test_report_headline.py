# ruff: noqa: RUF001
"""The report's headline in the Air Force's manner, and its window in Kyiv time."""

from __future__ import annotations

from datetime import date
from typing import Any

from dashboard.i18n import texts
from dashboard.official import official_view
from dashboard.report_headline import headline, headline_source, report_window
from dashboard.state import DashboardState, fold_records
from tests.helpers.dashboard_records import NIGHT, RECORDS, record
from tests.helpers.report_records import stored_report

EN, UK = texts("en"), texts("uk")
AIR_FORCE_LINES = [
    {"weapon": "drone", "model": "Shahed-136/131", "launched": 539, "shot_down": 268,
     "suppressed": 208},
    {"weapon": "cruise_missile", "launched": 4, "shot_down": 2},
    {"weapon": "ballistic_missile", "launched": 7, "shot_down": 0},
]  # fmt: skip


def _official(**fields: Any) -> DashboardState:
    state = DashboardState(NIGHT)
    state.official = official_view(NIGHT, [stored_report(**fields)])
    return state


def test_the_headline_of_an_official_report_is_the_air_forces_sentence() -> None:
    state = _official(lines=AIR_FORCE_LINES, hit_locations=8, debris_locations=33)
    assert headline(state, EN) == (
        "550 means of air attack: 539 drones, 11 missiles; 476 neutralized; "
        "impacts at 8 locations; debris at 33 locations"
    )
    assert headline(state, UK) == (
        "550 засобів повітряного нападу: 539 дронів, 11 ракет; знешкоджено 476; "
        "влучання на 8 локаціях; падіння уламків на 33 локаціях"
    )
    assert headline_source(state, EN) == "Air Force report, 09:00"


def test_a_figure_the_report_does_not_state_reads_not_reported_never_zero() -> None:
    # Launched stated, nothing said about neutralized or places hit.
    state = _official(lines=[{"weapon": "drone", "launched": 40}])
    assert headline(state, EN) == (
        "40 means of air attack: 40 drones, — missiles (not reported); "
        "— neutralized (not reported); impacts at — locations (not reported)"
    )


def test_without_a_report_the_headline_is_observed_and_counts_places() -> None:
    state = fold_records(NIGHT, RECORDS)
    # 19 drones (the retracted missile left out), 6 + 3 neutralized, Kyiv the one place hit.
    assert headline(state, EN) == (
        "19 means of air attack: 19 drones, 0 missiles; 9 neutralized; "
        "impacts at 1 location; debris at 1 location"
    )
    assert headline_source(state, EN) == "observed events"
    two = fold_records(
        NIGHT,
        [
            record(1, "impact", city="Odesa", region="UA-51", lat=46.48, lon=30.72),
            record(2, "impact", city="Kyiv", region="UA-30", lat=50.45, lon=30.52),
        ],
    )
    assert "impacts at 2 locations" in headline(two, EN)


def test_the_window_is_noon_to_noon_kyiv_time_with_its_offset() -> None:
    assert report_window(DashboardState(NIGHT), EN) == (
        "3 July 2025, 12:00 to 4 July 2025, 12:00, Kyiv time (UTC+03:00)"
    )
    winter = DashboardState(date(2025, 1, 10))
    assert report_window(winter, UK) == (
        "9 січня 2025, 12:00 – 10 січня 2025, 12:00, за київським часом (UTC+02:00)"
    )
    # The night the clocks go forward (30 March 2025, 03:00): both offsets.
    spring = report_window(DashboardState(date(2025, 3, 30)), EN)
    assert spring.endswith("(UTC+02:00 / UTC+03:00)")
