"""Official figures: the one pure fold from a night's stored reports to what they state.

Kept apart from the observed events' fold (backend.domain.tallies): the two are shown side
by side, never added.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from backend.domain.reports import FIGURES, StoredReport
from backend.domain.schemas import WEAPONS


def superseded_ids(reports: Iterable[StoredReport]) -> set[str]:
    """Ids named in `supersedes` by a live (not retracted) report of the same night.

    A retracted correction supersedes nothing: the report it corrected counts again.
    """
    everything = list(reports)
    named = {
        (report.content["supersedes"], report.content["night"])
        for report in everything
        if not report.retracted and report.content["supersedes"] is not None
    }
    return {
        report.content["id"]
        for report in everything
        if (report.content["id"], report.content["night"]) in named
    }


def issued_by(reports: Iterable[StoredReport], instant: datetime) -> list[StoredReport]:
    """The reports issued at or before the instant: what a replay at that position may show."""
    return [
        report
        for report in reports
        if datetime.fromisoformat(report.content["issued_at"]) <= instant
    ]


def _sum(values: Sequence[int | None]) -> int | None:
    """The sum of the stated values; None when none is stated (null is not zero)."""
    stated = [value for value in values if value is not None]
    return sum(stated) if stated else None


def counted_reports(reports: Iterable[StoredReport]) -> list[dict[str, Any]]:
    """The contents that make the official figures, oldest issued first: national reports
    neither retracted nor superseded (regional ones never enter national figures)."""
    everything = list(reports)
    superseded = superseded_ids(everything)
    return sorted(
        (
            report.content
            for report in everything
            if not report.retracted
            and report.content["scope"] == "national"
            and report.content["id"] not in superseded
        ),
        key=lambda content: (datetime.fromisoformat(content["issued_at"]), content["id"]),
    )


def official_of(reports: Iterable[StoredReport]) -> dict[str, Any] | None:
    """The official figures of the given reports (one night, or several nights' worth).

    Counted (counted_reports): national reports neither retracted nor superseded. They ADD UP
    by weapon (a morning summary and a later one for the rest of the night); a correction
    names the one it replaces in `supersedes`.

    The null rule: a weapon key appears only when some counted report has a line for it; each
    figure is the sum over the lines that state it, and null when no line states it, so a
    figure never reads 0 for "not reported". `neutralized_rate` is the sum of neutralized over
    the sum of launched, over the weapons that have both figures (null when none has, or
    their launched sum is 0). None when no report is counted.
    """
    counted = counted_reports(reports)
    if not counted:
        return None
    lines = [line for content in counted for line in content["lines"]]
    weapons = [weapon for weapon in WEAPONS if any(line["weapon"] == weapon for line in lines)]
    figures = {
        figure: {
            weapon: _sum([line[figure] for line in lines if line["weapon"] == weapon])
            for weapon in weapons
        }
        for figure in FIGURES
    }
    both = [
        weapon
        for weapon in weapons
        if figures["launched"][weapon] is not None and figures["neutralized"][weapon] is not None
    ]
    launched = sum(figures["launched"][weapon] or 0 for weapon in both)
    neutralized = sum(figures["neutralized"][weapon] or 0 for weapon in both)
    regions = {code for content in counted for code in content["affected_regions"]}
    return {
        "report_ids": [content["id"] for content in counted],
        "issuers": list(dict.fromkeys(content["issuer"] for content in counted)),
        "issued_at": max(datetime.fromisoformat(content["issued_at"]) for content in counted),
        **figures,
        "neutralized_rate": neutralized / launched if launched else None,
        "hit_locations": _sum([content["hit_locations"] for content in counted]),
        "debris_locations": _sum([content["debris_locations"] for content in counted]),
        "affected_regions": sorted(regions),
    }


def totals_of(official: dict[str, Any] | None) -> dict[str, int | None] | None:
    """A night's official figures summed over weapons (GET /nights); null where none stated."""
    if official is None:
        return None
    return {figure: _sum(list(official[figure].values())) for figure in FIGURES}
