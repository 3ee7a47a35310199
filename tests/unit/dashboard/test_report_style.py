"""The report prints light: the figures' layouts get a light ground and dark text."""

from __future__ import annotations

from dashboard import palette
from dashboard.figures import map_figure, timeline_figure
from dashboard.report_style import CSS, print_layout
from dashboard.state import fold_records
from tests.helpers.dashboard_records import NIGHT, RECORDS


def _colours(value: object) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_colours(item) for item in value.values()), set())
    if isinstance(value, list):
        return set().union(*(_colours(item) for item in value), set())
    return {value} if isinstance(value, str) and value.startswith(("#", "rgba")) else set()


def test_print_layouts_have_no_dark_ground_or_light_text_left() -> None:
    state = fold_records(NIGHT, RECORDS)
    for figure in (map_figure(state), timeline_figure(state)):
        printed = print_layout(figure["layout"])
        left = _colours(printed) & {palette.PAPER, palette.PANEL, palette.INK, palette.MUTED}
        assert left == set()
        assert printed["paper_bgcolor"] == "#ffffff"
        assert printed["font"]["color"] == "#111111"
        # Every dark text colour printed is dark enough on white paper.
        assert palette.contrast(printed["font"]["color"], "#ffffff") >= 4.5


def test_the_print_stylesheet_makes_the_page_black_on_white() -> None:
    printed = CSS[CSS.index("@media print") :]
    assert "background: #ffffff" in printed
    assert "color: #111111" in printed
