"""Answers over a range of nights made of the nights' summaries, never of their events.

The same answers the fold of every event and report gives (the summaries tests compare
both): official figures add up by weapon with the null rule of backend.domain.official, and
the alert state at the end of a range is the last summarized night's alerts still on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from backend.domain.alerts import AlertFold
from backend.domain.official import totals_of
from backend.domain.reports import FIGURES
from backend.domain.schemas import WEAPONS
from backend.domain.summaries import REGION_FIELDS, NightSummary, Observed


def add_stated(a: int | None, b: int | None) -> int | None:
    """The sum of what is stated; None when neither is (null is not zero)."""
    if a is None:
        return b
    return a if b is None else a + b


def merged_official(officials: Iterable[dict[str, Any] | None]) -> dict[str, Any] | None:
    """Several nights' official figures added up, as official_of of all their reports."""
    counted = [item for item in officials if item is not None]
    if not counted:
        return None
    weapons = [w for w in WEAPONS if any(w in item["launched"] for item in counted)]
    figures: dict[str, dict[str, int | None]] = {}
    for figure in FIGURES:
        figures[figure] = {}
        for weapon in weapons:
            total: int | None = None
            for item in counted:
                total = add_stated(total, item[figure].get(weapon))
            figures[figure][weapon] = total
    both = [
        w
        for w in weapons
        if figures["launched"][w] is not None and figures["neutralized"][w] is not None
    ]
    launched = sum(figures["launched"][w] or 0 for w in both)
    neutralized = sum(figures["neutralized"][w] or 0 for w in both)
    hits: int | None = None
    debris: int | None = None
    for item in counted:
        hits = add_stated(hits, item["hit_locations"])
        debris = add_stated(debris, item["debris_locations"])
    return {
        "report_ids": [rid for item in counted for rid in item["report_ids"]],
        "issuers": list(dict.fromkeys(i for item in counted for i in item["issuers"])),
        "issued_at": max(item["issued_at"] for item in counted),
        **figures,
        "neutralized_rate": neutralized / launched if launched else None,
        "hit_locations": hits,
        "debris_locations": debris,
        "affected_regions": sorted({c for item in counted for c in item["affected_regions"]}),
    }


def range_stats(
    summaries: Sequence[NightSummary], before: NightSummary | None, *, night: date | None
) -> dict[str, Any]:
    """GET /stats of a night range: the summaries in it, in night order, added up.

    `before` is the last summarized night before the range: with no summary in the range,
    the alerts on are the ones still on after it.
    """
    observed = Observed()
    for summary in summaries:
        observed.add(summary.observed)
    last = summaries[-1] if summaries else before
    alerts = AlertFold.starting_with(last.alerts.open_at_end if last else ()).regions()
    launched = sum(observed.launched.values())
    neutralized = sum(observed.shot_down.values()) + sum(observed.suppressed.values())
    by_region = {}
    for code in sorted(observed.by_region.keys() | alerts.keys()):
        counts = observed.by_region.get(code) or [0] * len(REGION_FIELDS)
        alert = alerts.get(code)
        by_region[code] = {
            **dict(zip(REGION_FIELDS, counts, strict=True)),
            "alert_active": alert is not None,
            "alert_state": None if alert is None else alert.state,
        }
    return {
        "night": night,
        "launched": observed.launched,
        "shot_down": observed.shot_down,
        "suppressed": observed.suppressed,
        "impacts": observed.impacts,
        "debris": observed.debris,
        "neutralized_rate": neutralized / launched if launched else None,
        "active_alerts": list(alerts),
        "by_region": by_region,
        "events": observed.events,
        "official": merged_official(summary.official for summary in summaries),
    }


def listing_row(summary: NightSummary) -> dict[str, Any] | None:
    """GET /nights' entry of a night: observed totals, and official ones summed over weapons.

    None for a night with neither a live event nor a stored report (its events retracted).
    """
    o = summary.observed
    if o.events == 0 and summary.reports == 0:
        return None
    observed = {
        "events": o.events,
        "launched": sum(o.launched.values()),
        "shot_down": sum(o.shot_down.values()),
        "suppressed": sum(o.suppressed.values()),
        "impacts": sum(o.impacts.values()),
        "debris": o.debris,
    }
    return {
        "night": summary.night,
        **observed,
        "first_at": o.first_at,
        "last_at": o.last_at,
        "observed": observed,
        "official": totals_of(summary.official),
    }
