"""The Air Force CSV shipped in seeds/data and its national sums, read independently of
backend.cli.import_csv."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date, timedelta
from functools import cache
from pathlib import Path

# Shipped with the repository (seeds/data/SOURCES.md says where it comes from): a fresh clone
# has it. Missing, these tests must fail, not skip.
DATASET = Path(__file__).resolve().parents[2] / "seeds" / "data" / "missile_attacks_daily.csv"
REGIONAL = ("pvkpivden", "pvkshid", "pvkzahid", "pvkcenter")
COLUMN_KINDS = {"launched": "launch", "destroyed": "shot_down", "not_reach_goal": "suppressed"}


def dataset() -> Path:
    """The CSV's path; an assertion error (a failure) when the file is missing."""
    assert DATASET.is_file(), f"the dataset is missing: {DATASET}"
    return DATASET


def night_label(time_start: str) -> date:
    """The night of a window start: its date, or the next day's from noon on (Kyiv time)."""
    text = time_start.strip()
    day = date.fromisoformat(text[:10])
    hour = int(text[10:].strip().split(":")[0]) if len(text) > 10 else 0
    return day + timedelta(days=1) if hour >= 12 else day


@cache
def national_sums() -> Counter[tuple[date, str, str]]:
    """Sum of each figure per (night, kind, model) over the national rows (do not modify)."""
    sums: Counter[tuple[date, str, str]] = Counter()
    with dataset().open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["source"].strip().lower().startswith(REGIONAL):
                continue
            night = night_label(row["time_start"])
            for column, kind in COLUMN_KINDS.items():
                figure = int(float(row[column] or 0))
                if figure:
                    sums[night, kind, row["model"].strip()] += figure
    return sums


def night_sums(night: date) -> Counter[str]:
    """Sum of each figure per kind over the national rows of one night."""
    sums: Counter[str] = Counter()
    for (label, kind, _), figure in national_sums().items():
        if label == night:
            sums[kind] += figure
    return sums


@cache
def records() -> tuple[dict[str, str], ...]:
    """Every row of the CSV as the csv module reads it, with its line (key `line`)."""
    with dataset().open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return tuple({**row, "line": str(reader.line_num)} for row in reader)


def is_national(row: dict[str, str]) -> bool:
    """Not a regional air command's row."""
    return not row["source"].strip().lower().startswith(REGIONAL)


def figure(text: str) -> int | None:
    """A figure as the CSV states it: None when blank (not reported)."""
    return None if not text.strip() else int(float(text))


@cache
def official_sums() -> dict[date, dict[str, int | None]]:
    """Per night, the official totals its national rows state (GET /nights' `official`).

    Up to windows starting 2025-07-22, destroyed is shot down and not_reach_goal suppressed;
    later, destroyed plus a positive not_reach_goal is neutralized (one combined figure).
    A figure no row of the night states is None.
    """
    sums: dict[date, dict[str, int | None]] = {}
    for row in records():
        if not is_national(row):
            continue
        totals = sums.setdefault(night_label(row["time_start"]), dict.fromkeys(_FIGURES))
        launched, destroyed = figure(row["launched"]), figure(row["destroyed"])
        lost = figure(row["not_reach_goal"])
        split = date.fromisoformat(row["time_start"].strip()[:10]) <= date(2025, 7, 22)
        if split:
            stated = {"shot_down": destroyed, "suppressed": lost}
            both = destroyed is not None and lost is not None
            stated["neutralized"] = destroyed + lost if both else None  # type: ignore[operator]
        else:
            positive = lost if lost else None
            parts = [value for value in (destroyed, positive) if value is not None]
            stated = {"suppressed": positive, "neutralized": sum(parts) if parts else None}
        stated["launched"] = launched
        for name, value in stated.items():
            if value is not None:
                totals[name] = (totals[name] or 0) + value
    return sums


_FIGURES = ("launched", "shot_down", "suppressed", "neutralized")
