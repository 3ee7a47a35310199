"""The report's map of air-raid alert time per oblast over the night's window.

Five classes (none, under 3 h, 3-6 h, 6-12 h, 12 h and more) in viridis steps, which stay in
order of lightness under every common colour-vision deficiency; every oblast also carries
its hours as text, so the figure reads without colour. The minutes are GET
/nights/{night}/alerts' (the report's table beside it shows the same figures).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from backend.domain.alert_history import alert_time_unknown
from backend.domain.regions import REGIONS
from dashboard import palette
from dashboard.geometry import outlines
from dashboard.i18n import Texts

CITY_CODES = frozenset({"UA-30", "UA-40"})
# (upper bound in hours, fill, label colour on it): the label colour keeps 4.5:1 on the fill.
CLASSES: tuple[tuple[float, str, str], ...] = (
    (3.0, "#31688e", "#ffffff"),
    (6.0, "#21918c", "#000000"),
    (12.0, "#5ec962", "#000000"),
    (math.inf, "#fde725", "#000000"),
)
CLASS_NAMES = ("under 3 h", "3 to 6 h", "6 to 12 h", "12 h or more")
_RATIO = 1 / math.cos(math.radians(48.5))
# Alert time not known (alert_history.alert_time_unknown): crossed out, never read as "no alert".
_UNKNOWN_PATTERN = {
    "shape": "x",
    "fgcolor": palette.LAND_BORDER,
    "bgcolor": palette.LAND,
    # Thin lines: the label on it keeps the contrast it has on plain land.
    "solidity": 0.12,
    "size": 12,
}


def class_of(minutes: float) -> tuple[str, str] | None:
    """The fill and label colour for this many minutes; None for no alert at all."""
    if minutes <= 0:
        return None
    hours = minutes / 60
    return next((fill, ink) for bound, fill, ink in CLASSES if hours < bound)


def _outline(
    code: str, lons: list[Any], lats: list[Any], minutes: Mapping[str, float], t: Texts
) -> Any:
    if alert_time_unknown(code, minutes):
        return {
            **_shape(code, lons, lats, palette.LAND),
            "fillpattern": _UNKNOWN_PATTERN,
            "text": f"<b>{t.region(code)}</b><br>" + t("not in the alert record"),
        }
    chosen = class_of(minutes.get(code, 0.0))
    return {
        **_shape(code, lons, lats, chosen[0] if chosen else palette.LAND),
        "text": f"<b>{t.region(code)}</b><br>"
        + t("{hours} h under alert", hours=t.number(minutes.get(code, 0.0) / 60, digits=1)),
    }


def _shape(code: str, lons: list[Any], lats: list[Any], fill: str) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": lons,
        "y": lats,
        "mode": "lines",
        "fill": "toself",
        "fillcolor": fill,
        "line": {"color": palette.LAND_BORDER, "width": 1},
        "hoveron": "fills",
        "hoverinfo": "text",
        "name": code,
        "showlegend": False,
    }


def _labels(minutes: Mapping[str, float], t: Texts, size: float) -> dict[str, Any]:
    codes = [code for code in REGIONS if code not in CITY_CODES]
    colours = []
    for code in codes:
        chosen = class_of(minutes.get(code, 0.0))
        colours.append(chosen[1] if chosen else palette.LABEL_ON_LAND)
    return {
        "type": "scatter",
        "x": [REGIONS[code].marker[1] for code in codes],
        "y": [REGIONS[code].marker[0] for code in codes],
        "mode": "text",
        "text": [f"{t.region(code, short=True)}<br>{_hours(code, minutes, t)}" for code in codes],
        "textfont": {"size": size, "color": colours},
        "hoverinfo": "skip",
        "name": "labels",
        "showlegend": False,
    }


def _hours(code: str, minutes: Mapping[str, float], t: Texts) -> str:
    if alert_time_unknown(code, minutes):
        return "—"
    return t.number(minutes.get(code, 0.0) / 60, digits=1)


def _legend(t: Texts) -> list[dict[str, Any]]:
    entries: list[tuple[str, dict[str, Any]]] = [
        (t("no alert"), {"symbol": "square", "color": palette.LAND})
    ]
    entries += [
        (t(name), {"symbol": "square", "color": fill})
        for name, (_, fill, _) in zip(CLASS_NAMES, CLASSES, strict=True)
    ]
    crossed = {"color": palette.LAND, "line": {"color": palette.LAND_BORDER, "width": 1}}
    entries.append((t("not in the alert record"), {"symbol": "square-x", **crossed}))
    return [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {"size": 16, **marker},
            "name": name,
            "hoverinfo": "skip",
        }
        for name, marker in entries
    ]


def alert_minutes_figure(
    minutes: Mapping[str, float], t: Texts, *, font_size: float = 13
) -> dict[str, Any]:
    """Hours under any alert per oblast in the night's window, as a map."""
    traces = []
    for outline in sorted(outlines(), key=lambda outline: outline.code in CITY_CODES):
        lons, lats = outline.path()
        traces.append(_outline(outline.code, lons, lats, minutes, t))
    traces.append(_labels(minutes, t, font_size * 0.85))
    traces += _legend(t)
    return {
        "data": traces,
        "layout": {
            "paper_bgcolor": palette.PAPER,
            "plot_bgcolor": palette.PAPER,
            "font": {"color": palette.INK, "size": font_size},
            # The legend goes under the map: any corner of the panel holds an oblast.
            "margin": {"l": 0, "r": 0, "t": 0, "b": 40},
            "xaxis": {"visible": False, "range": [22.1, 40.25], "fixedrange": True},
            "yaxis": {
                "visible": False,
                "range": [44.3, 52.45],
                "scaleanchor": "x",
                "scaleratio": _RATIO,
                "fixedrange": True,
            },
            "legend": {
                "orientation": "h",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "top",
                "title": {"text": t("hours under alert")},
                "bgcolor": palette.PAPER,
            },
            "dragmode": False,
        },
    }
