"""The briefing report: one self-contained HTML file of a night, for people not in the room.

Plotly's script is inlined (the page's own basic bundle, 1.2 MB: dashboard/plotly_bundle.py),
so the file opens anywhere with nothing fetched;
the figures and the table come from the same functions as the live page. It speaks the
page's languages (`?lang=`), gives every time in Kyiv time, and prints light
(dashboard/report_style.py).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

from backend.domain.night_context import NightContext
from dashboard.alert_minutes_map import alert_minutes_figure
from dashboard.counters import counters
from dashboard.figures import map_figure, night_label, timeline_figure
from dashboard.i18n import Lang, Texts, texts
from dashboard.interceptions import COLUMNS, table_source, tally_rows
from dashboard.layout import ATTRIBUTION
from dashboard.plotly_bundle import plotly_script
from dashboard.report_context import context_section
from dashboard.report_headline import headline, headline_source, kyiv_stamp, report_window
from dashboard.report_sections import (
    ReportSources,
    alert_minutes_table,
    places_table,
    sources_section,
)
from dashboard.report_style import CSS, PRINT_SCRIPT, print_layout
from dashboard.state import DashboardState


def _json(value: object) -> str:
    return orjson.dumps(value).decode().replace("</", "<\\/")


def _figure(element: str, figure: dict[str, Any], height: int, label: str) -> str:
    spec = _json(figure)
    layouts = _json([figure["layout"], print_layout(figure["layout"])])
    name = _json(element)
    return (
        f'<div id="{element}" class="figure" role="img" aria-label="{html.escape(label)}" '
        f'style="height:{height}px"></div>'
        f"<script>Plotly.newPlot({name}, {spec}.data, "
        f"{spec}.layout, {{displayModeBar: false, responsive: true}});"
        f"(window.skywatchFigures = window.skywatchFigures || {{}})[{name}] = {layouts};"
        "</script>"
    )


def _table(state: DashboardState, t: Texts) -> str:
    head = "".join(f'<th scope="col">{html.escape(t(label))}</th>' for _, label in COLUMNS)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(row[key]))}</td>" for key, _ in COLUMNS) + "</tr>"
        for row in tally_rows(state, t)
    )
    source = f'<p class="source">{html.escape(table_source(state, t))}</p>'
    return f"{source}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _alert_minutes(minutes: Mapping[str, float] | None, t: Texts) -> str:
    """Minutes under any alert per oblast in the night's window: a map and a table."""
    if minutes is None:
        return ""
    note = t("12:00 to 12:00 Kyiv time, whole-oblast and local alerts")
    figure = _figure("alert-minutes-map", alert_minutes_figure(minutes, t), 560, note)
    return (
        f"<h2>{html.escape(t('Air-raid alert minutes per oblast'))}</h2>"
        f'<p class="source">{html.escape(note)}</p>{figure}{alert_minutes_table(minutes, t)}'
    )


def report_html(
    state: DashboardState,
    *,
    generated: datetime | None = None,
    alert_minutes: Mapping[str, float] | None = None,
    lang: Lang = "en",
    context: NightContext | None = None,
    sources: ReportSources | None = None,
) -> str:
    """The whole report page (`alert_minutes`: GET /nights/{night}/alerts' figures)."""
    t = texts(lang)
    when = kyiv_stamp(t, generated or datetime.now(UTC))
    cards = "".join(
        f'<div class="card"><div class="value">{html.escape(counter.value)}</div>'
        f"<div>{html.escape(counter.label)}</div>"
        f'<div class="source">{html.escape(counter.caption)}</div></div>'
        for counter in counters(state, t).values()
    )
    title = html.escape(night_label(state, t))
    # The alert state when the window closed: a past night's noon, or now for tonight.
    end_map = t("Air-raid alerts at the end of the night (12:00 Kyiv time), and where things fell")
    timeline = t("Launched and neutralized per 10 minutes (Kyiv time)")
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Skywatch: {title}</title>
<style>{CSS}</style>
<script>{plotly_script()}</script><script>{PRINT_SCRIPT}</script></head>
<body><main><h1>Skywatch: {title}</h1>
<p class="headline" id="report-headline">{html.escape(headline(state, t))}</p>
<p class="source" id="report-headline-source">{html.escape(headline_source(state, t))}</p>
<p class="window" id="report-window">{html.escape(report_window(state, t))}</p>
<div class="cards">{cards}</div>
{context_section(context, t)}
<h2>{html.escape(t("Interceptions"))}</h2>{_table(state, t)}
<h2>{html.escape(end_map)}</h2>
{_figure("map", map_figure(state, t), 560, end_map)}
<h2>{html.escape(t("Impact and debris places"))}</h2>{places_table(state, t)}
{_alert_minutes(alert_minutes, t)}
<h2>{html.escape(timeline)}</h2>
{_figure("timeline", timeline_figure(state, t), 320, timeline)}
<h2>{html.escape(t("Sources"))}</h2>{sources_section(sources or ReportSources(), t)}
</main>
<footer>{html.escape(t("Generated {when} Kyiv time.", when=when))}
{html.escape(t(ATTRIBUTION))}</footer>
</body></html>
"""
