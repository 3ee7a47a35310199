"""Pure functions from a night's state to what each element on the page shows."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from backend.domain.nights import KYIV
from backend.domain.regions import REGIONS
from dashboard.alert_map import ALERT, fill_of, hover_of, legend_traces, outline_of
from dashboard.geometry import outlines
from dashboard.interceptions import WEAPON_LABELS
from dashboard.state import BIN, DashboardState

KIND_LABELS = {
    "launch": "launched",
    "shot_down": "shot down",
    "suppressed": "lost to EW",
    "impact": "impact",
    "debris": "debris",
    "alert_start": "air-raid alert",
    "alert_end": "alert over",
}
INK = "#e6edf3"
MUTED = "#8b949e"
PAPER = "#0d1117"
LAND = "#161b22"
BORDER = "#30363d"
LAUNCH = "#f0883e"
NEUTRALIZED = "#3fb950"
IMPACT = "#ff4d4f"
DEBRIS = "#d29922"
CITY_CODES = frozenset({"UA-30", "UA-40"})
MARKER_MIN = 6.0
# Markers grow with the square root of the count up to this size, so one big city cannot
# cover its neighbours.
MARKER_MAX = 30.0


def feed_rows(state: DashboardState) -> list[dict[str, Any]]:
    """The latest events, newest first, in Kyiv time."""
    rows = []
    for record in state.feed:
        what = KIND_LABELS.get(record["kind"], record["kind"])
        weapon = record["model"] or WEAPON_LABELS.get(record["weapon"] or "", "")
        where = record["city"] or (REGIONS[record["region"]].name_en if record["region"] else "")
        rows.append(
            {
                "time": record["occurred_at"].astimezone(KYIV).strftime("%H:%M"),
                "event": f"{record['count']} {what}" if record["count"] > 1 else what,
                "weapon": weapon,
                "where": where,
            }
        )
    return rows


def _axis(**extra: Any) -> dict[str, Any]:
    return {"showgrid": False, "zeroline": False, "color": MUTED, **extra}


def map_figure(state: DashboardState) -> dict[str, Any]:
    """Oblasts (red under a whole-oblast alert, lighter under local ones) and sized markers
    where things happened."""
    states = state.tally.alert_states()
    alerts = set(states)
    traces: list[dict[str, Any]] = []
    # Kyiv and Sevastopol are holes in their oblasts: draw the cities last, on top.
    ordered = sorted(outlines(), key=lambda outline: outline.code in CITY_CODES)
    for outline in ordered:
        lons, lats = outline.path()
        alert = states.get(outline.code)
        region = state.tally.by_region.get(outline.code)
        hover = f"<b>{REGIONS[outline.code].name_en}</b>" + hover_of(alert)
        if region is not None:
            hover += (
                f"<br>impacts {region.impacts} · debris {region.debris}"
                f" · shot down {region.shot_down}"
            )
        traces.append(
            {
                "type": "scatter",
                "x": lons,
                "y": lats,
                "mode": "lines",
                "fill": "toself",
                "fillcolor": fill_of(alert, LAND),
                "line": outline_of(alert, BORDER),
                "hoveron": "fills",
                "hoverinfo": "text",
                "text": hover,
                "name": outline.code,
                "showlegend": False,
            }
        )
    places = sorted(state.places.values(), key=lambda place: -place.total)
    if places:
        traces.append(
            {
                "type": "scatter",
                "x": [place.lon for place in places],
                "y": [place.lat for place in places],
                "mode": "markers",
                "marker": {
                    "size": [
                        min(MARKER_MAX, MARKER_MIN + 4 * math.sqrt(place.total)) for place in places
                    ],
                    "color": [
                        IMPACT if place.impacts else DEBRIS if place.debris else NEUTRALIZED
                        for place in places
                    ],
                    "line": {"color": PAPER, "width": 1},
                    "opacity": 0.8,
                },
                "hoverinfo": "text",
                "text": [
                    f"<b>{place.label}</b><br>impacts {place.impacts}<br>"
                    f"shot down {place.shot_down}<br>debris {place.debris}"
                    for place in places
                ],
                "name": "places",
                "showlegend": False,
            }
        )
    alerted_cities = sorted(alerts & CITY_CODES)
    if alerted_cities:
        # Kyiv and Sevastopol are a few pixels wide and markers sit on them: ring them.
        traces.append(
            {
                "type": "scatter",
                "x": [REGIONS[code].marker[1] for code in alerted_cities],
                "y": [REGIONS[code].marker[0] for code in alerted_cities],
                "mode": "markers",
                "marker": {
                    "symbol": "circle-open",
                    "size": MARKER_MAX + 14,
                    "color": ALERT,
                    "line": {"width": 4, "color": ALERT},
                },
                "hoverinfo": "text",
                "text": [
                    f"<b>{REGIONS[code].name_en}</b><br>air-raid alert" for code in alerted_cities
                ],
                "name": "city alerts",
                "showlegend": False,
            }
        )
    traces += [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {"size": 10, "color": color},
            "name": name,
            "hoverinfo": "skip",
        }
        for name, color in (("impact", IMPACT), ("debris", DEBRIS), ("shot down", NEUTRALIZED))
    ]
    traces += legend_traces()
    # Longitude degrees shrink with latitude: keep the country's shape at 48.5° N.
    ratio = 1 / math.cos(math.radians(48.5))
    return {
        "data": traces,
        "layout": {
            "paper_bgcolor": PAPER,
            "plot_bgcolor": PAPER,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "xaxis": _axis(visible=False, range=[22.0, 40.4], fixedrange=True),
            "yaxis": _axis(
                visible=False,
                range=[44.2, 52.5],
                scaleanchor="x",
                scaleratio=ratio,
                fixedrange=True,
            ),
            "hoverlabel": {"bgcolor": LAND, "font": {"color": INK}},
            "legend": {"x": 0, "y": 0, "font": {"color": INK}, "bgcolor": "rgba(0,0,0,0)"},
            "dragmode": False,
            "uirevision": "map",
        },
    }


def timeline_figure(state: DashboardState) -> dict[str, Any]:
    """Launched and neutralized per 10 minutes across the night, in Kyiv time."""
    start = state.window_start
    indices = sorted(state.timeline)
    times = [(start + BIN * index).astimezone(KYIV).replace(tzinfo=None) for index in indices]
    launched = [state.timeline[index][0] for index in indices]
    neutralized = [state.timeline[index][1] for index in indices]
    first = start.astimezone(KYIV).replace(tzinfo=None) + timedelta(hours=6)
    last = first + timedelta(hours=18)
    return {
        "data": [
            {
                "type": "bar",
                "x": times,
                "y": launched,
                "name": "launched",
                "marker": {"color": LAUNCH},
            },
            {
                "type": "bar",
                "x": times,
                "y": neutralized,
                "name": "shot down or lost to EW",
                "marker": {"color": NEUTRALIZED},
            },
        ],
        "layout": {
            "barmode": "group",
            "bargap": 0.1,
            "paper_bgcolor": PAPER,
            "plot_bgcolor": PAPER,
            "font": {"color": INK},
            "margin": {"l": 40, "r": 10, "t": 10, "b": 30},
            "legend": {"orientation": "h", "y": 1.1, "x": 0},
            "xaxis": _axis(range=[first, last], tickformat="%H:%M", type="date"),
            "yaxis": _axis(gridcolor=BORDER, showgrid=True),
            "uirevision": "timeline",
        },
    }


def night_label(state: DashboardState) -> str:
    """The night as people say it: the evening and the morning."""
    evening = state.night - timedelta(days=1)
    return f"Night of {evening:%-d} to {state.night:%-d %B %Y}"
