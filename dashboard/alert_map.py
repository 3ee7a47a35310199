"""How the map shows air-raid alerts: a whole-oblast alert fills its oblast with the alert
colour; local alerts only (raions or hromadas, not the whole oblast) hatch it in that colour
inside a dashed outline. Fill against hatching tells the two apart without colour; the
legend names both, and the hover text says since when and where."""

from __future__ import annotations

from typing import Any

from backend.domain.alerts import RegionAlert
from dashboard import palette
from dashboard.i18n import Texts

ALERT = palette.ALERT
FULL_LABEL = "alert: whole oblast"
PARTIAL_LABEL = "alert: part of the oblast"
# Plotly's fill pattern for part of an oblast under alert: diagonal hatching.
HATCH = {
    "shape": "/",
    "fgcolor": palette.ALERT,
    "bgcolor": palette.LAND,
    "size": 9,
    "solidity": 0.4,
}


def fill_of(alert: RegionAlert | None) -> str:
    """The oblast's fill colour (under its hatching, for part of an oblast)."""
    return palette.ALERT if alert is not None and alert.state == "full" else palette.LAND


def pattern_of(alert: RegionAlert | None) -> dict[str, Any] | None:
    """The oblast's fill pattern: hatching under local alerts only, else none."""
    return dict(HATCH) if alert is not None and alert.state == "partial" else None


def outline_of(alert: RegionAlert | None) -> dict[str, Any]:
    """The oblast's outline: dashed in the alert colour for local alerts only."""
    if alert is not None and alert.state == "partial":
        return {"color": palette.ALERT, "width": 2, "dash": "dash"}
    return {"color": palette.LAND_BORDER, "width": 1}


def hover_of(alert: RegionAlert | None, t: Texts) -> str:
    """The alert line of the oblast's hover text."""
    if alert is None:
        return "<br>" + t("no air-raid alert")
    since = t.moment(alert.since)
    where = "<br>" + t("local: {areas}", areas=", ".join(alert.areas)) if alert.areas else ""
    if alert.state == "full":
        return "<br>" + t("air-raid alert, whole oblast, since {since}", since=since) + where
    return "<br>" + t("air-raid alert in part of the oblast, since {since}", since=since) + where


def legend_traces(t: Texts) -> list[dict[str, Any]]:
    """Legend entries for the two alert states: a filled and a hatched square."""
    entries = []
    for name, pattern in ((FULL_LABEL, None), (PARTIAL_LABEL, dict(HATCH))):
        marker: dict[str, Any] = {
            "symbol": "square",
            "size": 16,
            "color": palette.ALERT if pattern is None else palette.LAND,
            "line": {"color": palette.ALERT, "width": 2},
        }
        entries.append(
            {
                "type": "scatter",
                "x": [None, None],
                "y": [None, None],
                "mode": "lines",
                "fill": "toself",
                "fillcolor": marker["color"],
                "line": {"color": palette.ALERT, "width": 2},
                **({"fillpattern": pattern} if pattern else {}),
                "name": t(name),
                "hoverinfo": "skip",
            }
        )
    return entries
