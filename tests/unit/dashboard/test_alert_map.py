"""The map's alert states: whole oblast, part of it, and alerts carried over from last night."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.domain.alerts import OpenAlert
from dashboard.alert_map import ALERT, FULL_LABEL, PARTIAL_LABEL
from dashboard.figures import map_figure
from dashboard.geometry import outlines
from dashboard.state import fold_records
from tests.helpers.dashboard_records import NIGHT, record

# 11:30 Kyiv time on the evening's day: before the night began at noon.
LAST_NIGHT = datetime(2025, 7, 3, 8, 30, tzinfo=UTC)


def oblasts(figure: dict[str, object]) -> dict[str, dict[str, object]]:
    data = figure["data"]
    assert isinstance(data, list)
    return {trace["name"]: trace for trace in data[: len(outlines())]}


def test_whole_and_partial_alerts_are_told_apart_and_named_in_the_legend() -> None:
    state = fold_records(
        NIGHT,
        [
            record(1, "alert_start", region="UA-46"),
            record(2, "alert_start", region="UA-63", area="Kupiansk raion"),
        ],
    )
    figure = map_figure(state)
    shown = oblasts(figure)
    assert shown["UA-46"]["fillcolor"] == ALERT
    # Part of an oblast: hatched (a pattern, not another colour) inside a dashed outline.
    assert shown["UA-63"]["fillcolor"] != ALERT
    assert shown["UA-63"]["fillpattern"]["shape"] == "/"  # type: ignore[index]
    assert "fillpattern" not in shown["UA-46"]
    assert shown["UA-63"]["line"]["dash"] == "dash"  # type: ignore[index]
    assert "Kupiansk raion" in str(shown["UA-63"]["text"])
    assert shown["UA-32"]["fillcolor"] != ALERT
    assert "fillpattern" not in shown["UA-32"]
    names = {trace["name"] for trace in figure["data"]}
    assert {FULL_LABEL, PARTIAL_LABEL} <= names


def test_an_alert_from_last_night_is_on_until_its_end_tonight() -> None:
    opened = [OpenAlert("UA-63", None, LAST_NIGHT, 1)]
    state = fold_records(NIGHT, [], opened)
    assert oblasts(map_figure(state))["UA-63"]["fillcolor"] == ALERT
    assert "since 3 Jul, 11:30" in str(oblasts(map_figure(state))["UA-63"]["text"])
    state.apply(record(2, "alert_end", region="UA-63"))
    assert oblasts(map_figure(state))["UA-63"]["fillcolor"] != ALERT
