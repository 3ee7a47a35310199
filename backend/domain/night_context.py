"""A night against the 30 nights before it (issue 16): launched and the neutralization rate.

Pure, from the per-night summaries by GET /trends' rules (one source a night, null is not
zero, rates over the (night, weapon) pairs that state both terms): the night's launched
and rate, and over the 30 nights before it the nights that state a launched figure, their
mean launched per night and the rate over all their stated pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from backend.domain.schemas import WEAPONS
from backend.domain.summaries import NightSummary
from backend.domain.trends import trend_rows

CONTEXT_NIGHTS = 30


@dataclass(frozen=True, slots=True)
class NightContext:
    """The night's figures and those of the nights first..last before it."""

    launched: int | None
    rate: float | None
    first: date
    last: date
    stated_nights: int
    mean_launched: float | None
    rate_before: float | None


def _launched(row: dict[str, Any]) -> int | None:
    stated = [value for value in row["launched"].values() if value is not None]
    return sum(stated) if stated else None


def _terms(row: dict[str, Any]) -> tuple[int, int]:
    part = whole = 0
    for weapon, launched in row["launched"].items():
        neutralized = row["neutralized"].get(weapon)
        if launched is not None and neutralized is not None:
            part, whole = part + neutralized, whole + launched
    return part, whole


def night_context(
    summaries: Sequence[NightSummary], before: NightSummary | None, night: date, now: datetime
) -> NightContext:
    """The context from the summaries of the CONTEXT_NIGHTS nights before `night` and its
    own (in night order; `before` the last summary before them)."""
    first, last = night - timedelta(days=CONTEXT_NIGHTS), night - timedelta(days=1)
    rows = trend_rows(
        summaries,
        before,
        first=first,
        last=night,
        by="night",
        weapons=WEAPONS,
        regions=None,
        now=now,
    )
    *earlier, tonight = rows
    launched = [value for value in map(_launched, earlier) if value is not None]
    part = whole = 0
    for row in earlier:
        row_part, row_whole = _terms(row)
        part, whole = part + row_part, whole + row_whole
    return NightContext(
        launched=_launched(tonight),
        rate=tonight["neutralized_rate"],
        first=first,
        last=last,
        stated_nights=len(launched),
        mean_launched=sum(launched) / len(launched) if launched else None,
        rate_before=part / whole if whole else None,
    )
