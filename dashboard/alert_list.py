"""The regions under an air-raid alert, as a count and a list: each with the part of it on
alert and how long the alert has been on, longest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dashboard.i18n import Texts
from dashboard.state import DashboardState


def duration(t: Texts, seconds: float) -> str:
    """A span as the room says it: "2 h 05 min", "35 min"."""
    minutes = max(int(seconds // 60), 0)
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        days, hours = divmod(hours, 24)
        return t("{days} d {hours} h", days=days, hours=hours)
    if hours:
        return t("{hours} h {minutes} min", hours=hours, minutes=f"{minutes:02d}")
    return t("{minutes} min", minutes=minutes)


def alert_count(state: DashboardState, t: Texts) -> str:
    """ "7 regions under alert"."""
    count = len(state.tally.alert_states())
    if not count:
        return t("No region under alert")
    return t.plural("{n} region under alert", "{n} regions under alert", count)


def alert_items(state: DashboardState, t: Texts, as_of: datetime) -> list[dict[str, Any]]:
    """The list's items (Dash component JSON): region, whole or part, how long."""
    states = sorted(state.tally.alert_states().values(), key=lambda alert: alert.since)
    items = []
    for alert in states:
        extent = t("whole oblast") if alert.state == "full" else t("part of the oblast")
        span = duration(t, (as_of - alert.since).total_seconds())
        text = f"{t.region(alert.region, short=True)} · {extent} · {span}"
        items.append(
            {"type": "Li", "namespace": "dash_html_components", "props": {"children": text}}
        )
    return items
