"""The briefing report: one self-contained HTML file of a night, for people not in the room.

Plotly's script is inlined (about 4.8 MB), so the file opens anywhere with nothing fetched;
the figures and the table come from the same functions as the live page.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import UTC, datetime

import orjson
from plotly.offline import get_plotlyjs

from backend.domain.regions import REGIONS
from dashboard.counters import counters
from dashboard.figures import INK, LAND, MUTED, PAPER, map_figure, night_label, timeline_figure
from dashboard.interceptions import COLUMNS, table_source, tally_rows
from dashboard.layout import ATTRIBUTION
from dashboard.state import DashboardState


def _figure(element: str, figure: dict[str, object], height: int) -> str:
    spec = orjson.dumps(figure).decode().replace("</", "<\\/")
    return (
        f'<div id="{element}" style="height:{height}px"></div>'
        f"<script>Plotly.newPlot({orjson.dumps(element).decode()}, {spec}.data, "
        f"{spec}.layout, {{displayModeBar: false, responsive: true}});</script>"
    )


def _table(state: DashboardState) -> str:
    head = "".join(f"<th>{label}</th>" for _, label in COLUMNS)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(row[key]))}</td>" for key, _ in COLUMNS) + "</tr>"
        for row in tally_rows(state)
    )
    source = f'<p class="source">{html.escape(table_source(state))}</p>'
    return f"{source}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _sources(state: DashboardState) -> str:
    events = f"{state.tally.events} observed events"
    if state.official is None:
        return events
    return f"{events} and {len(state.official.figures['report_ids'])} official report(s)"


def _alert_minutes(minutes: Mapping[str, float] | None) -> str:
    """Minutes under any alert per oblast in the night's window, longest first."""
    if minutes is None:
        return ""
    shown = sorted(minutes.items(), key=lambda item: (-item[1], item[0]))
    rows = "".join(
        f"<tr><td>{html.escape(REGIONS[code].name_en if code in REGIONS else code)}</td>"
        f"<td>{value:,.1f}</td><td>{value / 60:,.1f}</td></tr>"
        for code, value in shown
    )
    if not rows:
        rows = '<tr><td colspan="3">No air-raid alert in the night\'s window</td></tr>'
    head = "<tr><th>Oblast</th><th>Minutes under alert</th><th>Hours</th></tr>"
    note = '<p class="source">12:00 to 12:00 Kyiv time, whole-oblast and local alerts</p>'
    return (
        f'<h2>Air-raid alert minutes per oblast</h2>{note}<table id="alert-minutes">'
        f"<thead>{head}</thead><tbody>{rows}</tbody></table>"
    )


def report_html(
    state: DashboardState,
    *,
    generated: datetime | None = None,
    alert_minutes: Mapping[str, float] | None = None,
) -> str:
    """The whole report page (`alert_minutes`: GET /nights/{night}/alerts' figures)."""
    when = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    cards = "".join(
        f'<div class="card"><div class="value">{html.escape(counter.value)}</div>'
        f"<div>{html.escape(counter.label)}</div>"
        f'<div class="source">{html.escape(counter.caption)}</div></div>'
        for counter in counters(state).values()
    )
    title = html.escape(night_label(state))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Skywatch: {title}</title>
<style>
body {{ background:{PAPER}; color:{INK}; font-family: system-ui, sans-serif; margin: 24px; }}
h1 {{ font-size: 1.6rem; }} h2 {{ color:{MUTED}; font-size: 1.1rem; }}
.cards {{ display:grid; grid-template-columns: repeat(6, 1fr); gap: 12px; }}
.card {{ background:{LAND}; border-radius: 8px; padding: 10px 14px; color:{MUTED}; }}
.value {{ color:{INK}; font-size: 2.4rem; font-weight: 700; font-variant-numeric: tabular-nums; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ padding: 4px 8px; border-bottom: 1px solid #30363d; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; white-space: pre; }}
footer {{ color:{MUTED}; font-size: 0.8rem; margin-top: 24px; }}
.source {{ color:{MUTED}; font-size: 0.85rem; margin: 2px 0 6px; }}
</style>
<script>{get_plotlyjs()}</script></head>
<body><h1>Skywatch: {title}</h1><div class="cards">{cards}</div>
<h2>Interceptions</h2>{_table(state)}
<h2>Air-raid alerts at the end of the night, and where things fell</h2>
{_figure("map", map_figure(state), 560)}
{_alert_minutes(alert_minutes)}
<h2>Launched and neutralized per 10 minutes (Kyiv time)</h2>
{_figure("timeline", timeline_figure(state), 320)}
<footer>Generated {when} from {_sources(state)}. {html.escape(ATTRIBUTION)}</footer>
</body></html>
"""
