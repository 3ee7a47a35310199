# Ukrainian expectations are Cyrillic on purpose.
# ruff: noqa: RUF001
"""The report's map of alert hours per oblast: classes, readable labels, hours as text."""

from __future__ import annotations

import pytest

from backend.domain.alert_history import NOT_IN_RECORD
from dashboard import palette
from dashboard.alert_minutes_map import CLASSES, alert_minutes_figure, class_of
from dashboard.i18n import texts


@pytest.mark.parametrize("fill_and_ink", [(fill, ink) for _, fill, ink in CLASSES])
def test_every_class_label_is_readable_on_its_fill(fill_and_ink: tuple[str, str]) -> None:
    fill, ink = fill_and_ink
    assert palette.contrast(ink, fill) >= 4.5
    # Filled oblasts stand out from the oblast borders drawn over them.
    assert palette.contrast(fill, palette.PAPER) >= 3


def test_the_classes_by_hours() -> None:
    assert class_of(0) is None
    assert class_of(179) == CLASSES[0][1:]
    assert class_of(180) == CLASSES[1][1:]
    assert class_of(11 * 60) == CLASSES[2][1:]
    assert class_of(1440) == CLASSES[3][1:]


def test_each_oblast_is_filled_by_its_class_and_labelled_with_its_hours() -> None:
    figure = alert_minutes_figure({"UA-63": 1440.0, "UA-51": 90.0}, texts("uk"))
    fills = {trace["name"]: trace["fillcolor"] for trace in figure["data"] if "fillcolor" in trace}
    assert fills["UA-63"] == CLASSES[3][1]
    assert fills["UA-51"] == CLASSES[0][1]
    assert fills["UA-46"] == palette.LAND
    [labels] = [trace for trace in figure["data"] if trace["name"] == "labels"]
    assert "Харківська<br>24,0" in labels["text"]
    assert "Одеська<br>1,5" in labels["text"]
    legend = [trace["name"] for trace in figure["data"] if trace.get("mode") == "markers"]
    assert legend == [
        "без тривоги",
        "менше 3 год",
        "3–6 год",
        "6–12 год",
        "12 год і більше",
        "немає в реєстрі тривог",
    ]


def test_regions_outside_the_alert_record_read_unknown_not_zero() -> None:
    figure = alert_minutes_figure({"UA-63": 60.0}, texts("en"))
    outlines = {trace["name"]: trace for trace in figure["data"] if "fillcolor" in trace}
    for code in NOT_IN_RECORD:
        assert "fillpattern" in outlines[code]
        assert "not in the alert record" in outlines[code]["text"]
    assert "fillpattern" not in outlines["UA-46"]  # no alert stored: no alert, 0.0 h
    [labels] = [trace for trace in figure["data"] if trace["name"] == "labels"]
    assert "Luhansk<br>—" in labels["text"]
    assert "Crimea<br>—" in labels["text"]
    assert "Lviv<br>0.0" in labels["text"]


def test_a_stored_permanent_alert_shows_its_hours() -> None:
    figure = alert_minutes_figure({"UA-09": 1440.0}, texts("en"))
    outlines = {trace["name"]: trace for trace in figure["data"] if "fillcolor" in trace}
    assert "fillpattern" not in outlines["UA-09"]
    assert outlines["UA-09"]["fillcolor"] == CLASSES[3][1]
