"""What each element shows for a state."""

from __future__ import annotations

from dashboard.figures import MARKER_MAX, feed_rows, map_figure, night_label, timeline_figure
from dashboard.geometry import outlines
from dashboard.state import DashboardState, fold_records
from tests.helpers.dashboard_records import NIGHT, RECORDS, record


def state() -> DashboardState:
    return fold_records(NIGHT, RECORDS)


def test_map_colours_alerts_and_caps_markers() -> None:
    figure = map_figure(state())
    oblasts = {trace["name"]: trace for trace in figure["data"][: len(outlines())]}
    assert oblasts["UA-30"]["fillcolor"] != oblasts["UA-32"]["fillcolor"]
    # Cities drawn after the oblasts they are holes in.
    assert [trace["name"] for trace in figure["data"]].index("UA-30") > 20
    huge = fold_records(
        NIGHT,
        [record(1, "impact", count=10_000, city="Kharkiv", region="UA-63", lat=50.0, lon=36.23)],
    )
    places = next(trace for trace in map_figure(huge)["data"] if trace["name"] == "impacts")
    assert places["marker"]["size"] == [MARKER_MAX]
    # Each kind its own shape, every marker outlined.
    assert places["marker"]["symbol"] == "diamond"
    assert places["marker"]["line"]["width"] > 0


def test_timeline_and_feed_and_label() -> None:
    timeline = timeline_figure(state())
    assert sum(timeline["data"][0]["y"]) == 19
    assert sum(timeline["data"][1]["y"]) == 9
    # Only bins with something in them go to the pages; each bar keeps half a bin's width.
    assert len(timeline["data"][0]["x"]) == 2
    assert {trace["width"] for trace in timeline["data"]} == {0.45 * 600_000}
    feed = feed_rows(state())
    assert feed[0]["event"] == "4 launched"
    assert feed[0]["time"] == "00:15"
    assert night_label(state()) == "Night of 3 to 4 July 2025"
