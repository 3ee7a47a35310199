"""The briefing report's tables and lists: the places hit, air-raid alert minutes per oblast,
and the sources (the counted official reports with issuer, time and link; the events'
sources). Plain HTML, every text escaped, every time in Kyiv time."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from backend.domain.alert_history import NOT_IN_RECORD, alert_time_unknown
from dashboard.i18n import Texts
from dashboard.official import ISSUER_NAMES
from dashboard.report_headline import kyiv_stamp
from dashboard.state import DashboardState


@dataclass(frozen=True)
class ReportSources:
    """What the report names as its sources: the counted official reports' contents (oldest
    issued first) and how many of the night's events each event source gave."""

    reports: tuple[Mapping[str, Any], ...] = ()
    events: Mapping[str | None, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls, reports: Iterable[Mapping[str, Any]], records: Iterable[Mapping[str, Any]]
    ) -> ReportSources:
        """From the counted reports and the night's records (retracted ones left out)."""
        counts: dict[str | None, int] = {}
        for record in records:
            if not record["retracted"]:
                counts[record.get("source")] = counts.get(record.get("source"), 0) + 1
        return cls(tuple(reports), counts)


def _table(element: str, head: list[str], rows: list[list[str]], empty: str) -> str:
    """A table; the first column is text, the others figures (already escaped)."""
    text = ' class="text"'
    cells = "".join(
        f'<th scope="col"{text if i == 0 else ""}>{name}</th>' for i, name in enumerate(head)
    )
    body = (
        "".join(
            "<tr>"
            + "".join(f"<td{text if i == 0 else ''}>{v}</td>" for i, v in enumerate(row))
            + "</tr>"
            for row in rows
        )
        or f'<tr><td class="text" colspan="{len(head)}">{empty}</td></tr>'
    )
    return f'<table id="{element}"><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>'


def places_table(state: DashboardState, t: Texts) -> str:
    """Every place with impacts or debris, most first: what fell where (observed events).
    Map positions of one place (districts of a city) are one row."""
    by_name: dict[tuple[str, str | None], list[int]] = {}
    for place in state.places.values():
        if place.impacts or place.debris:
            name = t.place(place.label, place.region) or place.label
            row = by_name.setdefault((name, place.region), [0, 0])
            row[0] += place.impacts
            row[1] += place.debris
    shown = sorted(by_name.items(), key=lambda item: (-sum(item[1]), item[0][0]))
    rows = [
        [
            html.escape(name),
            html.escape(t.region(region) if region else "—"),
            t.number(impacts),
            t.number(debris),
        ]
        for (name, region), (impacts, debris) in shown
    ]
    head = [t("Place"), t("Oblast"), t("Impacts"), t("Debris")]
    note = [t("observed events, by place")]
    official = state.official
    if official is not None:
        note.append(
            t(
                "{caption}: impacts at {hits} locations, debris at {debris} (places not named)",
                caption=official.caption_in(t),
                hits=t.number(official.figures["hit_locations"]),
                debris=t.number(official.figures["debris_locations"]),
            )
        )
    notes = "".join(f'<p class="source">{html.escape(line)}</p>' for line in note)
    return notes + _table("impact-places", head, rows, html.escape(t("No impact or debris")))


def alert_minutes_table(minutes: Mapping[str, float], t: Texts) -> str:
    """Minutes under any alert per oblast in the night's window, longest first."""
    shown = sorted(minutes.items(), key=lambda item: (-item[1], item[0]))
    rows = [
        [html.escape(t.region(code)), t.number(value, digits=1), t.number(value / 60, digits=1)]
        for code, value in shown
    ]
    head = [t("Oblast"), t("Minutes under alert"), t("Hours")]
    empty = html.escape(t("No air-raid alert in the night's window"))
    table = _table("alert-minutes", head, rows, empty)
    unknown = [
        t.region(code) for code in sorted(NOT_IN_RECORD) if alert_time_unknown(code, minutes)
    ]
    if not unknown:
        return table
    note = t("Not in the alert record, no alert time known: {regions}", regions=", ".join(unknown))
    return table + f'<p class="source" id="alert-minutes-unknown">{html.escape(note)}</p>'


def _report_item(content: Mapping[str, Any], t: Texts) -> str:
    issuer = t(ISSUER_NAMES.get(content["issuer"], content["issuer"]))
    issued = kyiv_stamp(t, datetime.fromisoformat(content["issued_at"]))
    text = html.escape(t("{issuer}, issued {issued}", issuer=issuer, issued=issued))
    url = content.get("url")
    if url and url.startswith(("https://", "http://")):
        link = html.escape(url, quote=True)
        text += f' · <a href="{link}" rel="noopener noreferrer">{html.escape(t("link"))}</a>'
    elif url:
        text += " · " + html.escape(url)
    return f"<li>{text}</li>"


def sources_section(sources: ReportSources, t: Texts) -> str:
    """The official reports counted, then the events' sources with how many events each."""
    reports = "".join(_report_item(content, t) for content in sources.reports) or (
        f"<li>{html.escape(t('No official report'))}</li>"
    )
    events = sorted(sources.events.items(), key=lambda item: (-item[1], item[0] or ""))
    listed = (
        "".join(
            "<li>"
            + html.escape(
                t(
                    "{source}: {count} events",
                    source=name or t("no source given"),
                    count=t.number(count),
                )
            )
            + "</li>"
            for name, count in events
        )
        or f"<li>{html.escape(t('No events'))}</li>"
    )
    return (
        f"<h3>{html.escape(t('Official reports'))}</h3>"
        f'<ul class="sources" id="report-sources">{reports}</ul>'
        f"<h3>{html.escape(t('Event sources'))}</h3>"
        f'<ul class="sources" id="event-sources">{listed}</ul>'
    )
