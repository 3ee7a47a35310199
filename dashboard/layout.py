"""The page: a dark wall-screen layout whose live elements the stream fills in."""

from __future__ import annotations

from typing import Any

from dash import dash_table, dcc, html

from dashboard import ids
from dashboard.counters import LABELS
from dashboard.figures import BORDER, INK, LAND, MUTED, PAPER
from dashboard.interceptions import COLUMNS

# Presets from real time to an hour a second: a night plays in 24 h, 24 min or 24 s.
REPLAY_SPEEDS = (1, 10, 60, 300, 600, 1800, 3600)
ATTRIBUTION = "Boundaries: geoBoundaries (www.geoboundaries.org), Runfola et al. 2020, CC BY 4.0."
_TABLE_STYLE: dict[str, Any] = {
    "style_as_list_view": True,
    "style_header": {
        "backgroundColor": LAND,
        "color": MUTED,
        "fontWeight": "600",
        "border": "none",
        "borderBottom": f"1px solid {BORDER}",
        # Six figure columns fit a third of a screen only with their headers wrapped.
        "whiteSpace": "normal",
        "height": "auto",
    },
    "style_cell": {
        "backgroundColor": PAPER,
        "color": INK,
        "border": "none",
        "borderBottom": f"1px solid {BORDER}",
        "fontFamily": "inherit",
        "fontSize": "0.95rem",
        "padding": "3px 6px",
        "textAlign": "right",
        "whiteSpace": "pre",
    },
    "style_cell_conditional": [
        {"if": {"column_id": column}, "textAlign": "left"}
        for column in ("weapon", "event", "where", "time")
    ],
    "style_table": {"overflowX": "auto"},
}


def _counter(element: str) -> html.Div:
    return html.Div(
        [
            html.Div("—", id=element, className="counter-value"),
            html.Div(LABELS[element], id=ids.counter_label(element), className="counter-label"),
            html.Div("", id=ids.counter_source(element), className="counter-source"),
        ],
        className="counter",
    )


def _panel(title: str, body: Any, class_name: str) -> html.Section:
    return html.Section([html.H2(title), body], className=f"panel {class_name}")


def _graph(element: str) -> dcc.Graph:
    return dcc.Graph(
        id=element,
        config={"displayModeBar": False, "responsive": True},
        style={"height": "100%"},
        figure={"data": [], "layout": {"paper_bgcolor": PAPER, "plot_bgcolor": PAPER}},
    )


def _replay_bar() -> html.Section:
    """Replay controls; shown only on /replay/<id> (the page script sets the mode)."""
    return html.Section(
        [
            html.Div("REPLAY · not live", id=ids.REPLAY_BANNER, className="replay-banner"),
            html.Button("Pause", id=ids.REPLAY_PLAY, className="replay-button", type="button"),
            html.Select(
                [html.Option(f"{speed}\u00d7", value=str(speed)) for speed in REPLAY_SPEEDS],
                id=ids.REPLAY_SPEED,
                className="replay-speed",
                title="Replay speed",
            ),
            dcc.Input(
                id=ids.REPLAY_SLIDER,
                type="range",
                min=0,
                max=86_400,
                step=60,
                value=0,
                className="replay-slider",
            ),
            html.Div("", id=ids.REPLAY_POSITION, className="replay-position", role="timer"),
            html.A("Back to live", id=ids.REPLAY_EXIT, href="/", className="replay-exit"),
        ],
        id=ids.REPLAY_BAR,
        className="replay-bar",
        role="region",
        title="Replay controls",
    )


def layout() -> html.Div:
    """The whole page; values arrive over the dashboard stream."""
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=True),
            html.Header(
                [
                    html.H1("Skywatch"),
                    html.Div("", id=ids.NIGHT_LABEL, className="night-label"),
                    html.Div("", id=ids.KYIV_TIME, className="kyiv-time"),
                    dcc.Dropdown(
                        id=ids.NIGHT_PICKER,
                        options=[],
                        clearable=False,
                        searchable=False,
                        placeholder="Night",
                        className="night-picker",
                    ),
                    html.Button(
                        "Replay night",
                        id=ids.REPLAY_START,
                        className="replay-start",
                        type="button",
                        title="Brief this night again: a replay every screen can follow",
                    ),
                    html.Div(
                        "connecting",
                        id=ids.CONNECTION_STATUS,
                        className="status status-reconnecting",
                        role="status",
                    ),
                ],
                className="header",
            ),
            _replay_bar(),
            html.Div([_counter(element) for element in ids.COUNTERS], className="counters"),
            html.Div(
                [
                    _panel(
                        "Air-raid alerts (red) and where things fell", _graph(ids.MAP), "map-panel"
                    ),
                    _panel(
                        "Interceptions",
                        html.Div(
                            [
                                html.Div("", id=ids.TALLIES_SOURCE, className="panel-source"),
                                dash_table.DataTable(
                                    id=ids.TALLIES,
                                    columns=[{"name": name, "id": key} for key, name in COLUMNS],
                                    data=[],
                                    **_TABLE_STYLE,
                                ),
                            ]
                        ),
                        "tally-panel",
                    ),
                    _panel("Per 10 minutes (Kyiv time)", _graph(ids.TIMELINE), "timeline-panel"),
                    _panel(
                        "Latest events",
                        dash_table.DataTable(
                            id=ids.FEED,
                            columns=[
                                {"name": "Kyiv", "id": "time"},
                                {"name": "Event", "id": "event"},
                                {"name": "Weapon", "id": "weapon"},
                                {"name": "Where", "id": "where"},
                            ],
                            data=[],
                            page_size=50,
                            **_TABLE_STYLE,
                        ),
                        "feed-panel",
                    ),
                ],
                className="grid",
            ),
            html.Footer(ATTRIBUTION, className="footer"),
        ],
        className="page",
    )
