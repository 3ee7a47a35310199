"""The dashboard fold agrees with the backend's and builds the table, timeline and places."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from backend.domain.tallies import stats_of
from dashboard.state import FEED_LENGTH, fold_records

NIGHT = date(2025, 7, 4)


def record(seq: int, kind: str, **fields: Any) -> dict[str, Any]:
    """A stored record as the service returns it (Python values)."""
    base: dict[str, Any] = {
        "id": f"e{seq}",
        "kind": kind,
        "weapon": None,
        "model": None,
        "count": 1,
        "occurred_at": datetime(2025, 7, 3, 20, 0, tzinfo=UTC),
        "region": None,
        "city": None,
        "lat": None,
        "lon": None,
        "source": None,
        "note": None,
        "seq": seq,
        "received_at": datetime(2025, 7, 3, 20, 0, tzinfo=UTC),
        "night": NIGHT,
        "retracted": False,
    }
    base.update(fields)
    return base


RECORDS = [
    record(1, "launch", weapon="drone", model="Shahed-136", count=10),
    record(2, "launch", weapon="drone", model="Gerbera", count=5),
    record(3, "shot_down", weapon="drone", model="Shahed-136", count=6),
    record(4, "suppressed", weapon="drone", count=3),
    record(5, "impact", count=2, city="Kyiv", region="UA-30", lat=50.45, lon=30.52),
    record(6, "debris", count=1, city="Kyiv", region="UA-30", lat=50.45, lon=30.52),
    record(7, "launch", weapon="ballistic_missile", model="Iskander-M", retracted=True),
    record(8, "alert_start", region="UA-30"),
    record(
        9,
        "launch",
        weapon="drone",
        count=4,
        occurred_at=datetime(2025, 7, 3, 21, 15, tzinfo=UTC),
    ),
]


def test_counters_come_from_the_backend_fold() -> None:
    state = fold_records(NIGHT, RECORDS)
    stats = stats_of(state.tally, night=NIGHT)
    assert stats["launched"]["drone"] == 19
    assert stats["launched"]["ballistic_missile"] == 0  # retracted
    assert stats["shot_down"]["drone"] == 6
    assert stats["active_alerts"] == ["UA-30"]
    assert state.cursor == 9


def test_models_places_and_timeline() -> None:
    state = fold_records(NIGHT, RECORDS)
    shahed = state.models[("drone", "Shahed-136")]
    assert (shahed.launched, shahed.shot_down, shahed.not_neutralized) == (10, 6, 4)
    assert state.models[("drone", "")].suppressed == 3
    [kyiv] = state.places.values()
    assert (kyiv.label, kyiv.impacts, kyiv.debris, kyiv.total) == ("Kyiv", 2, 1, 3)
    # 20:00 UTC is 23:00 in Kyiv: 11 hours into the night that began at 12:00.
    assert state.timeline[66] == [15, 9]
    assert state.timeline[73] == [4, 0]


def test_feed_keeps_the_latest_newest_first() -> None:
    many = [record(seq, "launch", weapon="drone") for seq in range(1, 80)]
    state = fold_records(NIGHT, many)
    assert len(state.feed) == FEED_LENGTH
    assert state.feed[0]["seq"] == 79
