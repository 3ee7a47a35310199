"""The interception table: the report's lines where one exists, else the observed fold; a
cell nobody stated is "—", never 0."""

from __future__ import annotations

from dashboard.interceptions import table_source, tally_rows
from dashboard.official import official_view
from dashboard.state import DashboardState, fold_records
from tests.helpers.dashboard_records import NIGHT, RECORDS
from tests.helpers.report_records import stored_report


def test_observed_rows_by_class_then_model() -> None:
    state = fold_records(NIGHT, RECORDS)
    rows = tally_rows(state)
    assert [row["weapon"] for row in rows] == ["Attack drones", "  Gerbera", "  Shahed-136"]
    assert (rows[0]["neutralized"], rows[0]["not_neutralized"]) == (9, 10)
    # Nothing attributed to the model: its fate is not stated, not zero.
    assert (rows[1]["launched"], rows[1]["shot_down"], rows[1]["not_neutralized"]) == (5, "—", "—")
    assert rows[2]["shot_down"] == 6
    assert table_source(state) == "observed events"


def test_official_rows_are_the_reports_lines_under_their_class() -> None:
    morning = stored_report(
        lines=[
            {"weapon": "drone", "model": "Shahed-136", "launched": 330, "neutralized": 300},
            {"weapon": "drone", "model": "Gerbera", "launched": 209},
            {"weapon": "ballistic_missile", "model": "Iskander-M", "launched": 2, "shot_down": 1},
        ]
    )
    later = stored_report(
        id="af-0704-2",
        issued_at="2025-07-04T11:00:00+03:00",
        lines=[{"weapon": "drone", "model": "Shahed-136", "launched": 20, "neutralized": 20}],
    )
    state = fold_records(NIGHT, RECORDS)
    state.official = official_view(NIGHT, [morning, later])
    rows = {row["weapon"]: row for row in tally_rows(state)}
    assert list(rows) == [
        "Attack drones",
        "  Shahed-136",
        "  Gerbera",
        "Ballistic missiles",
        "  Iskander-M",
    ]
    assert rows["Attack drones"] == {
        "weapon": "Attack drones",
        "launched": 559,
        "shot_down": "—",
        "suppressed": "—",
        "neutralized": 320,
        "not_neutralized": 239,
    }
    assert (rows["  Shahed-136"]["launched"], rows["  Shahed-136"]["neutralized"]) == (350, 320)
    assert rows["  Gerbera"]["neutralized"] == "—"
    assert rows["Ballistic missiles"]["not_neutralized"] == "—"
    assert table_source(state) == "2 Air Force reports, latest 11:00"


def test_an_empty_night_has_no_rows() -> None:
    assert tally_rows(DashboardState(NIGHT)) == []
