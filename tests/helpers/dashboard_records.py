"""A night of stored records (Python values, as the service returns them) for the dashboard
tests: one of each kind, a retracted launch and a later launch."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

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
        "area": None,
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
