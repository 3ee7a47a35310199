"""Pure functions from a night's state to what the timeline, the feed and the label show.

The timeline spans the night's whole 12:00-12:00 Kyiv window in fixed 10-minute bins, so
any night's chart reads the same; a night known only from a summary report has no times to
bin and shows its figures per weapon instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dashboard import palette
from dashboard.i18n import Texts, texts
from dashboard.interceptions import WEAPON_LABELS
from dashboard.map_figure import MARKER_MAX, map_figure
from dashboard.state import BIN, DashboardState

__all__ = ["MARKER_MAX", "feed_rows", "map_figure", "night_label", "timeline_figure"]

KIND_LABELS = {
    "launch": "launched",
    "shot_down": "shot down",
    "suppressed": "lost to EW",
    "impact": "impact",
    "debris": "debris",
    "alert_start": "air-raid alert",
    "alert_end": "alert over",
}
# Old names of the palette's colours, for the modules that import them from here.
INK, MUTED, PAPER, LAND, BORDER = (
    palette.INK,
    palette.MUTED,
    palette.PAPER,
    palette.PANEL,
    palette.BORDER,
)
BINS = int(timedelta(hours=24) / BIN)
_HALF_BIN = BIN.total_seconds() * 1000 * 0.45
NEUTRALIZED = palette.NEUTRALIZED


def feed_rows(state: DashboardState, t: Texts | None = None) -> list[dict[str, Any]]:
    """The latest events, newest first, in Kyiv time, places named in the page's language."""
    t = t or texts("en")
    rows = []
    for record in state.feed:
        what = t(KIND_LABELS.get(record["kind"], record["kind"]))
        weapon = record["model"] or t(WEAPON_LABELS.get(record["weapon"] or "", ""))
        region = record["region"]
        where = t.place(record["city"], region) or (t.region(region) if region else "")
        rows.append(
            {
                "time": t.time(record["occurred_at"]),
                "event": f"{record['count']} {what}" if record["count"] > 1 else what,
                "weapon": weapon,
                "where": where,
            }
        )
    return rows


def _axis(**extra: Any) -> dict[str, Any]:
    return {"showgrid": False, "zeroline": False, "color": palette.MUTED, **extra}


def _layout(t: Texts, font_size: float, **extra: Any) -> dict[str, Any]:
    return {
        "barmode": "group",
        "bargap": 0.15,
        "paper_bgcolor": palette.PAPER,
        "plot_bgcolor": palette.PAPER,
        "font": {"color": palette.INK, "size": font_size},
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "uirevision": "timeline",
        **extra,
    }


def _bars(name: str, x: list[Any], y: list[int], colour: str, hatched: bool) -> dict[str, Any]:
    marker: dict[str, Any] = {"color": colour, "line": {"color": palette.PAPER, "width": 0.5}}
    if hatched:
        # The second channel beside colour: the neutralized bars are hatched.
        marker["pattern"] = {
            "shape": "/",
            "fgcolor": palette.PAPER,
            "bgcolor": colour,
            "solidity": 0.3,
        }
    return {"type": "bar", "x": x, "y": y, "name": name, "marker": marker}


def _weapon_figure(state: DashboardState, t: Texts, font_size: float) -> dict[str, Any]:
    """Launched and neutralized per weapon class from the night's reports (no times)."""
    assert state.official is not None
    launched: dict[str, int | None] = state.official.figures["launched"]
    neutralized: dict[str, int | None] = state.official.figures["neutralized"]
    weapons = [weapon for weapon, value in launched.items() if value]
    names = [t(WEAPON_LABELS.get(weapon, weapon)) for weapon in weapons]
    return {
        "data": [
            _bars(t("launched"), names, [launched[w] or 0 for w in weapons], palette.LAUNCH, False),
            _bars(
                t("neutralized"),
                names,
                [neutralized.get(w) or 0 for w in weapons],
                palette.NEUTRALIZED,
                True,
            ),
        ],
        "layout": _layout(
            t,
            font_size,
            xaxis=_axis(automargin=True),
            yaxis=_axis(
                gridcolor=palette.BORDER, showgrid=True, automargin=True, rangemode="tozero"
            ),
            annotations=[_note(t("summary report: no times, figures per weapon"))],
        ),
    }


def _note(text: str) -> dict[str, Any]:
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 1,
        "y": 1.02,
        "xanchor": "right",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"color": palette.MUTED},
    }


def timeline_figure(
    state: DashboardState,
    t: Texts | None = None,
    *,
    now: datetime | None = None,
    font_size: float = 14,
) -> dict[str, Any]:
    """Launched and neutralized per 10 minutes over the whole night, in Kyiv time; `now`
    draws the "now" line (the live clock, or a replay's position)."""
    t = t or texts("en")
    if not state.timeline and state.official is not None:
        return _weapon_figure(state, t, font_size)
    start = state.window_start
    # Only the bins with something in them are sent: the axis spans the whole window anyway,
    # and every page redraws every bar on each update (144 empty ones cost each page time).
    filled = sorted(
        index for index, row in state.timeline.items() if 0 <= index < BINS and any(row)
    )
    # Bars sit at their bin's middle, so a bar never reaches into the next bin.
    times = [
        t.moment(start + BIN * index + BIN / 2, form="yyyy-MM-dd HH:mm:ss") for index in filled
    ]
    counts = [state.timeline[index] for index in filled]
    launched = [row[0] for row in counts]
    neutralized = [row[1] for row in counts]
    first = t.moment(start, form="yyyy-MM-dd HH:mm")
    last = t.moment(start + BIN * BINS, form="yyyy-MM-dd HH:mm")
    shapes = []
    if now is not None and start <= now <= start + BIN * BINS:
        at = t.moment(now, form="yyyy-MM-dd HH:mm:ss")
        shapes.append(
            {
                "type": "line",
                "x0": at,
                "x1": at,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": palette.INK, "width": 2, "dash": "dot"},
            }
        )
    empty = not any(launched) and not any(neutralized)
    return {
        "data": [
            # Each bar is half a bin wide, set in milliseconds: Plotly would otherwise size
            # bars by the closest two bins sent, hours apart on a sparse night.
            {**_bars(t("launched"), times, launched, palette.LAUNCH, False), "width": _HALF_BIN},
            {
                **_bars(t("shot down or lost to EW"), times, neutralized, NEUTRALIZED, True),
                "width": _HALF_BIN,
            },
        ],
        "layout": _layout(
            t,
            font_size,
            bargap=0.05,
            xaxis=_axis(
                range=[first, last],
                tickformat="%H:%M",
                type="date",
                dtick=3 * 3600 * 1000,
                automargin=True,
            ),
            # An empty night's axis starts at 0, not at -1.
            yaxis=_axis(
                gridcolor=palette.BORDER,
                showgrid=True,
                rangemode="tozero",
                automargin=True,
                **({"range": [0, 5]} if empty else {}),
            ),
            shapes=shapes,
            annotations=[_note(t("Kyiv time, per 10 minutes"))],
        ),
    }


def night_label(state: DashboardState, t: Texts | None = None) -> str:
    """The night as people say it: the evening and the morning."""
    t = t or texts("en")
    evening = state.night - timedelta(days=1)
    return t(
        "Night of {evening} to {morning}",
        evening=t.date(evening, form="d" if evening.month == state.night.month else "d MMMM"),
        morning=t.date(state.night, form="d MMMM y"),
    )
