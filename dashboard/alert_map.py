"""How the map shows air-raid alerts: a whole-oblast alert fills its oblast red; local alerts
only (raions or hromadas, not the whole oblast) fill it a lighter red inside a dotted red
outline. The legend names both, and the hover text says since when and where."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backend.domain.alerts import RegionAlert
from backend.domain.nights import KYIV

ALERT = "#b62324"
PARTIAL = "rgba(182, 35, 36, 0.35)"
FULL_LABEL = "alert: whole oblast"
PARTIAL_LABEL = "alert: part of the oblast"


def fill_of(alert: RegionAlert | None, land: str) -> str:
    """The oblast's fill colour."""
    if alert is None:
        return land
    return ALERT if alert.state == "full" else PARTIAL


def outline_of(alert: RegionAlert | None, border: str) -> dict[str, Any]:
    """The oblast's outline: dotted red for local alerts only."""
    if alert is not None and alert.state == "partial":
        return {"color": ALERT, "width": 2, "dash": "dot"}
    return {"color": border, "width": 1}


def _since(instant: datetime) -> str:
    return instant.astimezone(KYIV).strftime("%d %b %H:%M")


def hover_of(alert: RegionAlert | None) -> str:
    """The alert line of the oblast's hover text."""
    if alert is None:
        return "<br>no alert"
    where = f"<br>local: {', '.join(alert.areas)}" if alert.areas else ""
    if alert.state == "full":
        return f"<br>air-raid alert, whole oblast, since {_since(alert.since)}{where}"
    return f"<br>air-raid alert in part of the oblast, since {_since(alert.since)}{where}"


def legend_traces() -> list[dict[str, Any]]:
    """Legend entries for the two alert states."""
    return [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {"symbol": "square", "size": 12, "color": fill, "line": line},
            "name": name,
            "hoverinfo": "skip",
        }
        for name, fill, line in (
            (FULL_LABEL, ALERT, {"width": 0}),
            (PARTIAL_LABEL, PARTIAL, {"color": ALERT, "width": 2}),
        )
    ]
