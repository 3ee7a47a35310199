"""The map: oblasts with their short names, air-raid alerts (a light fill for a whole oblast,
hatching for part of it: told apart without colour), event markers with outlines and a shape
per kind, and a callout for Kyiv, a few pixels wide and under most of the night's markers.

Plain filled scatter traces in longitude/latitude: no tiles, no map styles, nothing fetched.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from backend.domain.alerts import RegionAlert
from backend.domain.regions import REGIONS
from dashboard import palette
from dashboard.alert_map import fill_of, hover_of, legend_traces, outline_of, pattern_of
from dashboard.geometry import outlines
from dashboard.i18n import Texts, texts
from dashboard.state import DashboardState, PlaceTally

CITY_CODES = frozenset({"UA-30", "UA-40"})
KYIV = "UA-30"
MARKER_MIN = 8.0
# Markers grow with the square root of the count up to this size, so one big city cannot
# cover its neighbours.
MARKER_MAX = 30.0
KINDS = ("impact", "debris", "shot_down")
_KIND_NAMES = {"impact": "impacts", "debris": "debris", "shot_down": "shot down"}
# Labels that would sit on a neighbour's: nudged (lon, lat) from the region's marker point.
_LABEL_NUDGE = {"UA-32": (0.0, 0.55), "UA-43": (0.3, 0.0), "UA-51": (0.0, -0.2)}
_EMPTY: list[float | None] = [None]
# Longitude degrees shrink with latitude: keep the country's shape at 48.5° N.
_RATIO = 1 / math.cos(math.radians(48.5))


def _count(place: PlaceTally, kind: str) -> int:
    counts = {"impact": place.impacts, "debris": place.debris, "shot_down": place.shot_down}
    return counts[kind]


def _outline_traces(
    states: Mapping[str, RegionAlert], t: Texts, state: DashboardState
) -> list[dict[str, Any]]:
    traces: list[dict[str, Any]] = []
    # Kyiv and Sevastopol are holes in their oblasts: draw the cities last, on top.
    for outline in sorted(outlines(), key=lambda outline: outline.code in CITY_CODES):
        lons, lats = outline.path()
        alert = states.get(outline.code)
        region = state.tally.by_region.get(outline.code)
        hover = f"<b>{t.region(outline.code)}</b>" + hover_of(alert, t)
        if region is not None:
            hover += "<br>" + t(
                "impacts {impacts} · debris {debris} · shot down {shot_down}",
                impacts=region.impacts,
                debris=region.debris,
                shot_down=region.shot_down,
            )
        trace: dict[str, Any] = {
            "type": "scatter",
            "x": lons,
            "y": lats,
            "mode": "lines",
            "fill": "toself",
            "fillcolor": fill_of(alert),
            "line": outline_of(alert),
            "hoveron": "fills",
            "hoverinfo": "text",
            "text": hover,
            "name": outline.code,
            "showlegend": False,
        }
        pattern = pattern_of(alert)
        if pattern is not None:
            trace["fillpattern"] = pattern
        traces.append(trace)
    return traces


def _labels(states: Mapping[str, RegionAlert], t: Texts, size: float) -> dict[str, Any]:
    codes = [code for code in REGIONS if code not in CITY_CODES]
    points = [REGIONS[code].marker for code in codes]
    nudges = [_LABEL_NUDGE.get(code, (0.0, 0.0)) for code in codes]
    on_fill = [code in states and states[code].state == "full" for code in codes]
    return {
        "type": "scatter",
        "x": [lon + dx for (_, lon), (dx, _) in zip(points, nudges, strict=True)],
        "y": [lat + dy for (lat, _), (_, dy) in zip(points, nudges, strict=True)],
        "mode": "text",
        "text": [t.region(code, short=True) for code in codes],
        "textfont": {
            "size": size,
            "color": [
                palette.LABEL_ON_ALERT if full else palette.LABEL_ON_LAND for full in on_fill
            ],
        },
        "hoverinfo": "skip",
        "name": "labels",
        "showlegend": False,
    }


def _markers(places: list[PlaceTally], t: Texts) -> list[dict[str, Any]]:
    """One trace per kind, each its colour and shape; Kyiv city's go into its callout."""
    shown = [place for place in places if place.region != KYIV]
    traces = []
    for kind in KINDS:
        chosen = sorted(
            (place for place in shown if _count(place, kind)), key=lambda p: -_count(p, kind)
        )
        traces.append(
            {
                "type": "scatter",
                # An empty trace keeps its legend entry: the legend always names every kind.
                "x": [place.lon for place in chosen] or _EMPTY,
                "y": [place.lat for place in chosen] or _EMPTY,
                "mode": "markers",
                "marker": {
                    "symbol": palette.SYMBOLS[kind],
                    "size": [
                        min(MARKER_MAX, MARKER_MIN + 4 * math.sqrt(_count(place, kind)))
                        for place in chosen
                    ]
                    or [12],
                    "color": getattr(palette, kind.upper()),
                    "line": {"color": palette.MARKER_OUTLINE, "width": 1.5},
                },
                "hoverinfo": "text",
                "text": [
                    f"<b>{t.place(place.label, place.region)}</b><br>"
                    f"{t(_KIND_NAMES[kind])}: {_count(place, kind)}"
                    for place in chosen
                ],
                "name": t(_KIND_NAMES[kind]),
                "showlegend": True,
            }
        )
    return traces


def _kyiv_callout(
    state: DashboardState, states: Mapping[str, RegionAlert], t: Texts
) -> dict[str, Any]:
    """An annotation beside the map pointing at Kyiv city: its alert and its figures."""
    kyiv = [place for place in state.places.values() if place.region == KYIV]
    figures = {kind: sum(_count(place, kind) for place in kyiv) for kind in KINDS}
    alert = states.get(KYIV)
    lines = [f"<b>{t.region(KYIV)}</b>"]
    lines.append(
        t("alert since {time}", time=t.time(alert.since)) if alert else t("no air-raid alert")
    )
    lines.append(
        t(
            "impacts {impacts} · debris {debris} · shot down {shot_down}",
            impacts=figures["impact"],
            debris=figures["debris"],
            shot_down=figures["shot_down"],
        )
    )
    lat, lon = REGIONS[KYIV].marker
    return {
        "x": lon,
        "y": lat,
        # Beside the country, in the empty north-west corner above Volyn.
        "ax": 22.3,
        "ay": 52.4,
        "yanchor": "top",
        "axref": "x",
        "ayref": "y",
        "text": "<br>".join(lines),
        "showarrow": True,
        "arrowcolor": palette.INK,
        "arrowwidth": 2,
        "align": "left",
        "xanchor": "left",
        "font": {"color": palette.INK},
        "bgcolor": palette.PANEL,
        "bordercolor": palette.ALERT if alert else palette.BORDER,
        "borderwidth": 3 if alert else 1,
        "borderpad": 4,
    }


def map_figure(
    state: DashboardState, t: Texts | None = None, *, font_size: float = 14
) -> dict[str, Any]:
    """The night's map: alerts now (as folded), markers, labels, Kyiv's callout and a legend."""
    t = t or texts("en")
    states = state.tally.alert_states()
    traces = _outline_traces(states, t, state)
    traces.append(_labels(states, t, font_size * 0.85))
    traces += _markers(sorted(state.places.values(), key=lambda p: -p.total), t)
    traces += legend_traces(t)
    return {
        "data": traces,
        "layout": {
            "paper_bgcolor": palette.PAPER,
            "plot_bgcolor": palette.PAPER,
            "font": {"color": palette.INK, "size": font_size},
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "xaxis": {"visible": False, "range": [22.1, 40.25], "fixedrange": True},
            "yaxis": {
                "visible": False,
                "range": [44.3, 52.45],
                "scaleanchor": "x",
                "scaleratio": _RATIO,
                "fixedrange": True,
            },
            "annotations": [_kyiv_callout(state, states, t)],
            "hoverlabel": {"bgcolor": palette.PANEL, "font": {"color": palette.INK}},
            "legend": {
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"color": palette.INK, "size": font_size},
                "bgcolor": "rgba(13,17,23,0.8)",
            },
            "dragmode": False,
            "uirevision": "map",
        },
    }
