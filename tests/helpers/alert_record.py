"""The shipped official alert record read straight from its CSV, apart from the importer.

A test oracle: the csv module and the rules as seeds/data/SOURCES.md states them, written
again here (not backend/domain/alert_history.py) so that a mistake there shows as a
difference here. Oblast names go through the product's general resolver, not the import's
table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from backend.domain.regions import resolve_region

DATA = Path(__file__).parents[2] / "seeds" / "data"
RAW = DATA / "air_raid_sirens_official_2022-03-15_2024-04-23.csv"
MERGED = DATA / "air_raid_sirens_merged_2024-04-23_2026-06-20.csv"


@dataclass(frozen=True, slots=True)
class RecordAlert:
    """One row: region, area (None: whole oblast), [start, end)."""

    line: int
    region: str
    area: str | None
    start: datetime
    end: datetime


@cache
def record_alerts(path: Path) -> tuple[RecordAlert, ...]:
    """Every row of a shipped file."""
    alerts = []
    with path.open(newline="", encoding="utf-8") as stream:
        for line, row in enumerate(csv.DictReader(stream), start=2):
            oblast, raion = row["oblast"], row["raion"]
            if oblast.endswith(" raion"):
                oblast, raion = raion, oblast
            region = resolve_region(oblast)
            assert region is not None, (line, row)
            start = datetime.fromisoformat(row["started_at"])
            end = datetime.fromisoformat(row["finished_at"])
            area: str | None = None
            if row["level"] == "raion":
                area = raion
            elif row["level"] == "hromada":
                area = row["hromada"]
            elif "merged" in row["source"] and end - start > timedelta(hours=24):
                area = "part of the oblast"
            alerts.append(RecordAlert(line, region, area, start, end))
    return tuple(alerts)


def both_files() -> tuple[RecordAlert, ...]:
    """The two shipped files' rows."""
    return record_alerts(RAW) + record_alerts(MERGED)


def under_alert(alerts: tuple[RecordAlert, ...], at: datetime) -> dict[str, tuple[str, list[str]]]:
    """{region: (full|partial, sorted local areas)} of the alerts on at `at`."""
    on: dict[str, list[RecordAlert]] = {}
    for alert in alerts:
        if alert.start <= at < alert.end:
            on.setdefault(alert.region, []).append(alert)
    return {
        region: (
            "full" if any(alert.area is None for alert in items) else "partial",
            sorted(alert.area for alert in items if alert.area is not None),
        )
        for region, items in sorted(on.items())
    }


def overlapping(
    alerts: tuple[RecordAlert, ...], start: datetime, end: datetime
) -> list[RecordAlert]:
    """The alerts on at some instant of [start, end)."""
    return [alert for alert in alerts if alert.start < end and alert.end > start]
