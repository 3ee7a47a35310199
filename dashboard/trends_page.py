"""The Trends page (/trends): launched per period by weapon, the neutralization rate with the
shot-down and EW shares, and alert hours per oblast, from GET /trends' rows. A page of its
own, rendered on the server with Plotly inline (as the briefing report is), in the page's
palette, with a period picker and each figure's data as CSV.

Accessibility as on the night page: every figure has a heading and a caption, bars
carry a pattern besides their colour, lines a dash and a marker shape, the form's fields
have labels, and the page names its language.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from backend.domain.schemas import WEAPONS
from dashboard.figures import BORDER, INK, MUTED, PAPER
from dashboard.figures import LAND as PANEL
from dashboard.i18n import LANGUAGE_NAMES, Lang, Texts

# The page palette's alert fill (the map's whole-oblast alert): the heat map's top.
ALERT = "#f5b8c2"
TRENDS_LINK = "trends-link"  # the header's link to this page (element id)

FIGURES = ("launched", "rates", "alerts")
# Okabe-Ito hues, each with a bar pattern, in WEAPONS order.
WEAPON_STYLE = {
    "drone": ("#E69F00", ""),
    "decoy": ("#CC79A7", "/"),
    "cruise_missile": ("#56B4E9", "x"),
    "ballistic_missile": ("#D55E00", "."),
    "guided_bomb": ("#009E73", "+"),
    "unknown": ("#F0E442", "-"),
}
WEAPON_NAMES = {
    "drone": "Drones",
    "decoy": "Decoys",
    "cruise_missile": "Cruise missiles",
    "ballistic_missile": "Ballistic missiles",
    "guided_bomb": "Guided bombs",
    "unknown": "Unknown",
}
RATES = (
    ("neutralized_rate", "Neutralized (shot down or lost to EW)", "solid", "circle", "#E69F00"),
    ("shot_down_rate", "Shot down", "dash", "square", "#56B4E9"),
    ("suppressed_rate", "Lost to electronic warfare", "dot", "diamond", "#CC79A7"),
)


def _layout(t: Texts, height: int, **extra: Any) -> dict[str, Any]:
    return {
        "paper_bgcolor": PAPER,
        "plot_bgcolor": PANEL,
        "font": {"color": INK},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "legend": {"orientation": "h", "y": -0.15},
        "xaxis": {"gridcolor": BORDER, "type": "category"},
        "yaxis": {"gridcolor": BORDER},
        "separators": ", " if t.lang == "uk" else ".,",
        **extra,
    }


def launched_figure(rows: Sequence[dict[str, Any]], t: Texts) -> go.Figure:
    """Stacked bars: launched per period by weapon class (a gap: not reported)."""
    periods = [row["period"] for row in rows]
    figure = go.Figure(layout=_layout(t, 380, barmode="stack"))
    for weapon in WEAPONS:
        values = [row["launched"].get(weapon) for row in rows]
        if all(value is None for value in values):
            continue
        colour, pattern = WEAPON_STYLE[weapon]
        figure.add_bar(
            x=periods,
            y=values,
            name=t(WEAPON_NAMES[weapon]),
            marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": PAPER}},
            hovertemplate="%{x}: %{y:,}<extra>%{fullData.name}</extra>",
        )
    return figure


def rates_figure(rows: Sequence[dict[str, Any]], t: Texts) -> go.Figure:
    """The neutralization rate, and the shot-down and EW shares as separate lines."""
    periods = [row["period"] for row in rows]
    figure = go.Figure(layout=_layout(t, 340, yaxis={"gridcolor": BORDER, "tickformat": ".0%"}))
    for key, name, dash, symbol, colour in RATES:
        figure.add_scatter(
            x=periods,
            y=[row[key] for row in rows],
            name=t(name),
            mode="lines+markers",
            line={"dash": dash, "color": colour, "width": 2},
            marker={"symbol": symbol, "size": 7},
            hovertemplate="%{x}: %{y:.1%}<extra>%{fullData.name}</extra>",
        )
    return figure


def alerts_figure(rows: Sequence[dict[str, Any]], t: Texts) -> go.Figure:
    """Heat map: hours under alert per oblast (rows) and period (columns)."""
    periods = [row["period"] for row in rows]
    regions = sorted({code for row in rows for code in row["alert_hours"]})
    z = [[row["alert_hours"].get(code, 0) for row in rows] for code in regions]
    names = [t.region(code, short=True) for code in regions]
    figure = go.Figure(layout=_layout(t, max(320, 22 * len(regions) + 90)))
    figure.add_heatmap(
        x=periods,
        y=names,
        z=z,
        colorscale=[[0, PANEL], [1, ALERT]],
        colorbar={"title": {"text": t("hours")}},
        hovertemplate="%{y}, %{x}: %{z:,.1f} h<extra></extra>",
    )
    return figure


def figure_csv(rows: Sequence[dict[str, Any]], figure: str) -> str:
    """One figure's data as CSV (an empty cell: not reported)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if figure == "launched":
        writer.writerow(["period", *WEAPONS])
        cells = ([row["launched"].get(weapon) for weapon in WEAPONS] for row in rows)
    elif figure == "rates":
        writer.writerow(["period", *(key for key, *_rest in RATES)])
        cells = ([row[key] for key, *_rest in RATES] for row in rows)
    else:
        regions = sorted({code for row in rows for code in row["alert_hours"]})
        writer.writerow(["period", *regions])
        cells = ([row["alert_hours"].get(code, 0) for code in regions] for row in rows)
    for row, values in zip(rows, cells, strict=True):
        writer.writerow([row["period"], *("" if value is None else value for value in values)])
    return out.getvalue()


def _section(
    key: str, title: str, caption: str, figure: go.Figure, query: dict[str, str], download: str
) -> str:
    link = "/trends/csv?" + urlencode({**query, "figure": key})
    body = figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"trends-{key}",
        config={"displaylogo": False, "responsive": True},
    )
    return (
        f'<section aria-labelledby="h-{key}"><h2 id="h-{key}">{html.escape(title)}</h2>'
        f'<p class="caption" id="c-{key}">{html.escape(caption)}</p>'
        f'<figure aria-labelledby="h-{key}" aria-describedby="c-{key}">{body}</figure>'
        f'<p><a class="csv" id="csv-{key}" href="{html.escape(link)}" download>'
        f"{html.escape(download)}: {html.escape(title)}</a></p></section>"
    )


def _month_field(label: str, name: str, query: dict[str, str]) -> str:
    value = html.escape(query.get(name, ""))
    return f'<label>{html.escape(label)}<input type="month" name="{name}" value="{value}"></label>'


def trends_html(rows: Sequence[dict[str, Any]], t: Texts, lang: Lang, query: dict[str, str]) -> str:
    """The whole page for the rows of GET /trends and the picker's values in `query`."""
    other: Lang = "en" if lang == "uk" else "uk"
    picked = {**query, "lang": lang}
    by = query.get("by", "month")
    options = "".join(
        f'<option value="{value}"{" selected" if value == by else ""}>{t(label)}</option>'
        for value, label in (("month", "Month"), ("week", "Week"), ("night", "Night"))
    )
    sections = "".join(
        (
            _section(
                "launched",
                t("Launched per period by weapon"),
                t("Official report where a night has one, observed events otherwise."),
                launched_figure(rows, t),
                picked,
                t("Download CSV"),
            ),
            _section(
                "rates",
                t("Neutralization rate, shot down and lost to EW"),
                t("Shares of launched, over the nights that report both figures."),
                rates_figure(rows, t),
                picked,
                t("Download CSV"),
            ),
            _section(
                "alerts",
                t("Hours under air-raid alert per oblast"),
                t("Whole-oblast and local alerts, 12:00 to 12:00 Kyiv time."),
                alerts_figure(rows, t),
                picked,
                t("Download CSV"),
            ),
        )
    )
    toggle = urlencode({**query, "lang": other})
    title = html.escape(t("Trends"))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Skywatch: {title}</title>
<link rel="icon" href="data:,">
<style>
body {{ background:{PAPER}; color:{INK}; font-family: system-ui, sans-serif; margin: 24px; }}
a {{ color:#79c0ff; }} h2 {{ font-size: 1.15rem; margin-bottom: 2px; }}
.caption {{ color:{MUTED}; margin: 0 0 6px; }} figure {{ margin: 0; }}
header {{ display:flex; gap: 18px; align-items: baseline; }}
form {{ display:flex; gap: 12px; align-items: end; margin: 12px 0; }}
label {{ display:flex; flex-direction: column; color:{MUTED}; font-size: 0.9rem; }}
input, select, button {{ background:{PANEL}; color:{INK}; border: 1px solid {BORDER};
  padding: 4px 6px; font-size: 1rem; }}
</style>
<script>{get_plotlyjs()}</script></head>
<body><header><h1>Skywatch: {title}</h1>
<nav><a id="trends-live" href="/?lang={lang}">{html.escape(t("Live night"))}</a>
<a id="trends-language" href="/trends?{html.escape(toggle)}" lang="{other}">
{LANGUAGE_NAMES[other]}</a></nav>
</header><main>
<form id="trends-picker" method="get" action="/trends">
{_month_field(t("From"), "from", query)}
{_month_field(t("To"), "to", query)}
<label>{html.escape(t("Per"))}<select name="by">{options}</select></label>
<input type="hidden" name="lang" value="{lang}">
<button type="submit">{html.escape(t("Show"))}</button></form>
{sections}</main></body></html>
"""
