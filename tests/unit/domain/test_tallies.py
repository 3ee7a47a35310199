"""The pure fold from events to tallies."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from backend.domain.tallies import fold, stats_of

T0 = datetime(2025, 7, 3, 20, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Ev:
    kind: str
    weapon: str | None = None
    count: int = 1
    region: str | None = None
    occurred_at: datetime = T0
    seq: int = 0
    area: str | None = None


def test_sums_by_kind_and_weapon() -> None:
    tally = fold(
        [
            Ev("launch", "drone", 10),
            Ev("launch", "cruise_missile", 4),
            Ev("shot_down", "drone", 6),
            Ev("suppressed", "drone", 3),
            Ev("shot_down", "cruise_missile", 2),
            Ev("impact", None, 2, "UA-30"),
            Ev("debris", None, 5, "UA-32"),
        ]
    )
    stats = stats_of(tally, night=None)
    assert stats["launched"]["drone"] == 10
    assert stats["shot_down"] == {
        "drone": 6,
        "decoy": 0,
        "cruise_missile": 2,
        "ballistic_missile": 0,
        "guided_bomb": 0,
        "unknown": 0,
    }
    assert stats["impacts"]["unknown"] == 2
    assert stats["debris"] == 5
    assert stats["neutralized_rate"] == pytest.approx(11 / 14)
    assert stats["by_region"]["UA-30"]["impacts"] == 2
    assert stats["events"] == 7


def test_alerts_are_order_insensitive() -> None:
    events = [
        Ev("alert_start", region="UA-30", occurred_at=T0, seq=1),
        Ev("alert_end", region="UA-30", occurred_at=T0 + timedelta(hours=8), seq=2),
        Ev("alert_start", region="UA-63", occurred_at=T0 + timedelta(hours=1), seq=3),
        Ev("alert_start", region="UA-30", occurred_at=T0 + timedelta(hours=2), seq=4),
    ]
    expected = fold(events).active_alerts
    assert expected == ["UA-63"]
    for _ in range(20):
        shuffled = random.sample(events, len(events))
        assert fold(shuffled).active_alerts == expected


def test_fold_of_parts_equals_fold_of_whole() -> None:
    rng = random.Random(7)
    kinds = ["launch", "shot_down", "suppressed", "impact", "debris"]
    events = [
        Ev(rng.choice(kinds), rng.choice(["drone", "decoy", None]), rng.randint(1, 50))
        for _ in range(500)
    ]
    whole = fold(events)
    parts = fold(events[:200])
    for item in events[200:]:
        parts.apply(item)
    assert stats_of(parts, night=None) == stats_of(whole, night=None)
