"""The events that bring Skywatch's alert state to a feed's."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.domain.alert_feeds.state import (
    FeedAlert,
    end_event,
    end_id,
    ends_needed,
    skywatch_state,
    snapshot_of,
    starts_needed,
)

T0 = datetime(2025, 7, 3, 20, 0, tzinfo=UTC)
T1 = datetime(2025, 7, 3, 21, 0, tzinfo=UTC)


def test_only_the_difference_is_posted() -> None:
    snapshot = snapshot_of(
        [
            FeedAlert("UA-30", None, "aiu-1", T0),
            FeedAlert("UA-63", "м. Харків", "aiu-2", T0),
        ],
        at=T1,
        source="alerts.in.ua",
    )
    current = skywatch_state(
        {
            "regions": [
                {"region": "UA-30", "state": "full", "since": "2025-07-03T20:00:00Z", "areas": []},
                {
                    "region": "UA-32",
                    "state": "partial",
                    "since": "2025-07-03T19:00:00Z",
                    "areas": ["Броварський район"],
                },
            ]
        }
    )
    assert starts_needed(snapshot, current) == [
        {
            "id": "aiu-2",
            "kind": "alert_start",
            "region": "UA-63",
            "area": "м. Харків",
            "occurred_at": "2025-07-03T20:00:00Z",
            "source": "alerts.in.ua",
        }
    ]
    assert ends_needed(snapshot, current) == [("UA-32", "Броварський район")]


def test_two_alerts_of_one_place_are_one_from_the_earlier_start() -> None:
    later = FeedAlert("UA-30", None, "aiu-9", T1)
    earlier = FeedAlert("UA-30", None, "aiu-3", T0)
    snapshot = snapshot_of([later, earlier], at=T1, source="s")
    assert snapshot.alerts[("UA-30", None)] == earlier


def test_an_end_never_comes_before_its_start_and_its_id_names_the_alert() -> None:
    key = ("UA-32", "Броварський район")
    event = end_event(key, T1, T0, "s")
    assert event["occurred_at"] == "2025-07-03T21:00:00Z"
    assert event["id"] == end_id(key, T1) != end_id(key, T0)
    assert event["id"] != end_id(("UA-32", None), T1)
    assert len(event["id"]) <= 64
