"""backend/domain/night_context.py: a night against the 30 nights before it, from summaries."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from backend.domain.night_context import CONTEXT_NIGHTS, night_context
from backend.domain.summaries import GroupRow, NightAlerts, NightSummary, observed_of

NIGHT = date(2025, 7, 4)
NOW = datetime(2026, 1, 1, tzinfo=UTC)
AT = datetime(2025, 7, 1, tzinfo=UTC)


def summary(night: date, launched: int, shot_down: int, suppressed: int) -> NightSummary:
    """A night whose events report drones only: launched, shot down and suppressed."""
    groups = [
        GroupRow(kind, "drone", "UA-30", count, 1, AT, AT)
        for kind, count in (
            ("launch", launched),
            ("shot_down", shot_down),
            ("suppressed", suppressed),
        )
    ]
    return NightSummary(night, observed_of(groups), None, 0, NightAlerts({}, ()))


def test_the_night_against_the_mean_and_rate_of_the_nights_before_it() -> None:
    rng = random.Random(4)
    figures: dict[date, tuple[int, int, int]] = {}
    for offset in range(CONTEXT_NIGHTS + 5, -1, -1):
        night = NIGHT - timedelta(days=offset)
        if rng.random() < 0.7:  # some nights record nothing: they state no figure
            launched = rng.randint(10, 300)
            shot_down = rng.randint(0, launched // 2)
            figures[night] = (launched, shot_down, rng.randint(0, launched - shot_down))
    figures[NIGHT] = (120, 90, 12)
    summaries = [summary(night, *figures[night]) for night in sorted(figures)]
    first = NIGHT - timedelta(days=CONTEXT_NIGHTS)
    before = [item for item in summaries if item.night < first]
    inside = [item for item in summaries if item.night >= first]

    context = night_context(inside, before[-1] if before else None, NIGHT, NOW)

    window = [figures[n] for n in sorted(figures) if first <= n < NIGHT]
    assert context.launched == 120
    assert context.rate == (90 + 12) / 120
    assert (context.first, context.last) == (first, NIGHT - timedelta(days=1))
    assert context.stated_nights == len(window)
    assert context.mean_launched == sum(f[0] for f in window) / len(window)
    assert context.rate_before == sum(f[1] + f[2] for f in window) / sum(f[0] for f in window)


def test_nights_before_that_state_nothing_give_null_not_zero() -> None:
    context = night_context([summary(NIGHT, 5, 1, 1)], None, NIGHT, NOW)
    assert context.stated_nights == 0
    assert context.mean_launched is None
    assert context.rate_before is None
    assert context.launched == 5
