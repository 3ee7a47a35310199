"""The page: one responsive layout (phone, laptop, wall screen) whose live elements the stream
fills in, in the request's language (dashboard/i18n.py)."""

from __future__ import annotations

import json
from typing import Any

from dash import dcc, html

from dashboard import ids, palette
from dashboard.counters import LABELS
from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, Lang, Texts, texts
from dashboard.interceptions import columns
from dashboard.page_language import request_language

# Presets from real time to an hour a second: a night plays in 24 h, 24 min or 24 s.
REPLAY_SPEEDS = (1, 10, 60, 300, 600, 1800, 3600)
ATTRIBUTION = "Boundaries: geoBoundaries (www.geoboundaries.org), Runfola et al. 2020, CC BY 4.0."
# What the page scripts say themselves (status pill, clock, replay controls).
SCRIPT_TEXTS = (
    "live",
    "reconnecting",
    "offline",
    "archive",
    "replay",
    "Kyiv",
    "Pause",
    "Play",
    "Play again",
    "PAUSED",
    "paused",
    "finished",
    "Replay night",
    "No replay: {error}",
    "this session no longer exists",
    "REPLAY · not live",
    "{minutes} min ago",
    "just now",
    "Pick a night: type a date to search",
)
# Columns of text, aligned left; the others are figures, aligned right.
TEXT_COLUMNS = frozenset({"weapon", "event", "where", "time"})


def rows_table(element: str, columns: list[dict[str, str]], label: str) -> html.Table:
    """A table whose rows the page writes itself (assets/live.js `renderRows`).

    Not a DataTable: React re-rendering one, and the DataTable re-measuring its cells, cost
    each page about 20 ms of main-thread time per update for the two tables (measured in
    headless Chromium), a third of its work per event. Rows are read, never edited, sorted
    or paged, so the page writes them as plain rows, as text.
    """
    return html.Table(
        [
            html.Caption(label, className="visually-hidden"),
            html.Thead(
                html.Tr(
                    [
                        html.Th(
                            column["name"],
                            scope="col",
                            className="text" if column["id"] in TEXT_COLUMNS else "figure",
                        )
                        for column in columns
                    ]
                )
            ),
            html.Tbody(),
        ],
        id=element,
        className="rows-table",
        **{"data-columns": ",".join(column["id"] for column in columns)},
    )


def _counter(element: str, t: Texts) -> html.Div:
    return html.Div(
        [
            html.Div("—", id=element, className="counter-value"),
            html.Div(t(LABELS[element]), id=ids.counter_label(element), className="counter-label"),
            html.Div("", id=ids.counter_source(element), className="counter-source"),
        ],
        className="counter",
    )


def _panel(title: str, body: Any, class_name: str) -> html.Section:
    return html.Section(
        [html.H2(title), body], className=f"panel {class_name}", **{"aria-label": title}
    )


def _graph(element: str, label: str) -> html.Div:
    # The figure's text is in the SVG; the wrapper says what it is.
    return html.Div(
        dcc.Graph(
            id=element,
            config={"displayModeBar": False, "responsive": True},
            style={"height": "100%", "width": "100%"},
            # A blank of the page's colour, drawn only when a graph mounts before the night's
            # figure has arrived (usually it has, and this is never drawn). Without axes:
            # Plotly's default ones (ticks and grid for nothing) cost 10-60 ms more a graph.
            figure={
                "data": [],
                "layout": {
                    "paper_bgcolor": palette.PAPER,
                    "plot_bgcolor": palette.PAPER,
                    "xaxis": {"visible": False},
                    "yaxis": {"visible": False},
                },
            },
        ),
        className="graph",
        role="figure",
        **{"aria-label": label},
    )


def _replay_bar(t: Texts) -> html.Section:
    """Replay controls; shown only on /replay/<id> (the page script sets the mode)."""
    return html.Section(
        [
            html.Div(t("REPLAY · not live"), id=ids.REPLAY_BANNER, className="replay-banner"),
            html.Button(t("Pause"), id=ids.REPLAY_PLAY, className="replay-button", type="button"),
            html.Select(
                [html.Option(f"{speed}\u00d7", value=str(speed)) for speed in REPLAY_SPEEDS],
                id=ids.REPLAY_SPEED,
                className="replay-speed",
                title=t("Replay speed"),
                **{"aria-label": t("Replay speed")},
            ),
            html.Label(
                [
                    html.Span(t("Replay position"), className="visually-hidden"),
                    dcc.Input(
                        id=ids.REPLAY_SLIDER,
                        type="range",
                        min=0,
                        max=86_400,
                        step=60,
                        value=0,
                        className="replay-slider",
                        list="replay-hours",
                    ),
                    html.Datalist([], id="replay-hours"),
                    html.Div(
                        [], id="replay-ticks", className="replay-ticks", **{"aria-hidden": "true"}
                    ),
                ],
                className="replay-track",
            ),
            html.Div("", id=ids.REPLAY_POSITION, className="replay-position", role="timer"),
            html.A(t("Back to live"), id=ids.REPLAY_EXIT, href="/", className="replay-exit"),
        ],
        id=ids.REPLAY_BAR,
        className="replay-bar",
        role="region",
        title=t("Replay controls"),
        **{"aria-label": t("Replay controls")},
    )


def _toggle(lang: Lang) -> html.Nav:
    links = [
        html.A(
            LANGUAGE_NAMES[other],
            href=f"?lang={other}",
            lang=other,
            className="language-link" + (" current" if other == lang else ""),
            **({"aria-current": "true"} if other == lang else {}),
        )
        for other in LANGUAGES
    ]
    return html.Nav(
        links, id=ids.LANGUAGE, className="language-toggle", **{"aria-label": "Language / Мова"}
    )


def _header(t: Texts, lang: Lang) -> html.Header:
    return html.Header(
        [
            html.H1("Skywatch"),
            html.Div("", id=ids.NIGHT_LABEL, className="night-label"),
            html.Div(
                [
                    html.Span("", id=ids.LAST_EVENT, className="last-event", **{"data-at": ""}),
                    html.Span("", id=ids.LAST_EVENT_AGO, className="last-event-ago"),
                ],
                className="freshness",
            ),
            html.Div("", id=ids.KYIV_TIME, className="kyiv-time"),
            html.Div(
                dcc.Dropdown(
                    id=ids.NIGHT_PICKER,
                    options=[],
                    clearable=False,
                    searchable=True,
                    placeholder=t("Night: type a date"),
                    className="night-picker",
                    maxHeight=400,
                ),
                className="night-picker-wrap",
                title=t("Pick a night: type a date to search"),
            ),
            html.Button(
                t("Replay night"),
                id=ids.REPLAY_START,
                className="replay-start",
                type="button",
                title=t("Brief this night again: a replay every screen can follow"),
            ),
            html.A(
                t("Trends"), id="trends-link", href=f"/trends?lang={lang}", className="trends-link"
            ),
            _toggle(lang),
            html.Div(
                "…",
                id=ids.CONNECTION_STATUS,
                className="status status-reconnecting",
                role="status",
            ),
        ],
        className="header",
    )


def layout() -> html.Div:
    """The whole page in the request's language; values arrive over the dashboard stream."""
    lang = request_language()
    t = texts(lang)
    script_texts = {text: t(text) for text in SCRIPT_TEXTS}
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=True),
            html.Div(
                id=ids.PAGE_TEXTS,
                hidden=True,
                **{"data-texts": json.dumps(script_texts), "data-lang": lang},
            ),
            _header(t, lang),
            _replay_bar(t),
            html.Main(
                [
                    html.Div(
                        [_counter(element, t) for element in ids.COUNTERS],
                        className="counters",
                        role="group",
                        # A keyboard stop of its own: Tab goes header, counters, map, tables,
                        # feed (issue 14), and a screen reader hears the figures as one group.
                        tabIndex="0",
                        **{"aria-label": t("Tonight's figures")},
                    ),
                    html.Div("", id=ids.EMPTY_STATE, className="empty-state hidden", role="status"),
                    html.Div(
                        [
                            _panel(
                                t("Air-raid alerts and where things fell"),
                                html.Div(
                                    [
                                        _graph(ids.MAP, t("Map of Ukraine's oblasts")),
                                        html.Div(
                                            [
                                                html.Div(
                                                    "", id=ids.ALERT_COUNT, className="alert-count"
                                                ),
                                                html.Ul(
                                                    [], id=ids.ALERT_LIST, className="alert-list"
                                                ),
                                            ],
                                            className="alert-side",
                                        ),
                                    ],
                                    className="map-body",
                                    # The map and its list of alerts: the next Tab stop.
                                    tabIndex="0",
                                    role="group",
                                    **{"aria-label": t("Air-raid alerts and where things fell")},
                                ),
                                "map-panel",
                            ),
                            _panel(
                                t("Interceptions"),
                                html.Div(
                                    [
                                        html.Div(
                                            "", id=ids.TALLIES_SOURCE, className="panel-source"
                                        ),
                                        rows_table(ids.TALLIES, columns(t), t("Interceptions")),
                                    ],
                                    # A scrolling region the keyboard can reach and scroll.
                                    tabIndex="0",
                                ),
                                "tally-panel",
                            ),
                            _panel(
                                t("Launched and neutralized per 10 minutes (Kyiv time)"),
                                html.Div(_graph(ids.TIMELINE, t("Timeline of the night"))),
                                "timeline-panel",
                            ),
                            _panel(
                                t("Latest events"),
                                html.Div(
                                    rows_table(
                                        ids.FEED,
                                        [
                                            {"name": t("Kyiv"), "id": "time"},
                                            {"name": t("Event"), "id": "event"},
                                            {"name": t("Weapon"), "id": "weapon"},
                                            {"name": t("Where"), "id": "where"},
                                        ],
                                        t("Latest events"),
                                    ),
                                    tabIndex="0",
                                ),
                                "feed-panel",
                            ),
                        ],
                        className="grid",
                    ),
                ]
            ),
            html.Footer(t(ATTRIBUTION), className="footer"),
        ],
        className="page",
    )
