"""api.ukrainealarm.com v3 as the alerts on: AIR only, State whole, districts placed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.domain.alert_feeds import ukrainealarm
from backend.domain.alert_feeds.state import FeedGarbageError, Snapshot
from tests.helpers.alert_feed_server import fixture

POLLED = datetime(2025, 7, 3, 22, 0, tzinfo=UTC)


def _snapshot(step: str) -> Snapshot:
    places = ukrainealarm.read_regions(fixture("ukrainealarm", "regions.json"))
    items = ukrainealarm.read_alerts(fixture("ukrainealarm", f"{step}.json")["alerts"])
    return ukrainealarm.snapshot(items, places, polled_at=POLLED)


def test_the_regions_list_places_districts_and_communities_in_their_oblast() -> None:
    places = ukrainealarm.read_regions(fixture("ukrainealarm", "regions.json"))
    assert places["31"] == "UA-30"
    assert places["126"] == places["1253"] == "UA-32"
    assert "9999" not in places  # the test region is none of Ukraine's


def test_the_recorded_night_translates_to_whole_and_local_alerts() -> None:
    snapshot = _snapshot("02_night")
    assert snapshot.at == POLLED
    assert {key: alert.start_id for key, alert in snapshot.alerts.items()} == {
        ("UA-09", None): "ua-16-AIR-20220404T164539Z",
        ("UA-12", "Нікопольський район"): "ua-60-AIR-20250703T194000Z",
        ("UA-30", None): "ua-31-AIR-20250703T200010Z",
        ("UA-63", None): "ua-22-AIR-20250703T195800Z",
        ("UA-63", "Харківська територіальна громада"): "ua-1401-AIR-20250703T195900Z",
        ("UA-32", None): "ua-14-AIR-20250703T200100Z",
        ("UA-59", "Шосткинський район"): "ua-106-AIR-20250703T194530Z",
    }
    assert snapshot.skipped == {"ARTILLERY": 1}


def test_a_region_listed_without_air_gives_the_time_its_alert_ended() -> None:
    snapshot = _snapshot("03_easing")
    assert ("UA-30", None) not in snapshot.alerts
    assert snapshot.times[("UA-30", None)] == datetime(2025, 7, 3, 21, 5, tzinfo=UTC)
    assert snapshot.skipped == {"ARTILLERY": 1, "INFO": 1}


def test_an_unplaced_district_is_reported_and_a_naive_time_is_utc() -> None:
    items = ukrainealarm.read_alerts(
        [
            {
                "regionId": "555",
                "regionType": "District",
                "regionName": "Невідомий район",
                "lastUpdate": "2025-07-03T20:00:00",
                "activeAlerts": [{"type": "AIR", "lastUpdate": "2025-07-03T20:00:00"}],
            }
        ]
    )
    assert items[0].air_started_at == datetime(2025, 7, 3, 20, tzinfo=UTC)
    snapshot = ukrainealarm.snapshot(items, {}, polled_at=POLLED)
    assert snapshot.alerts == {}
    assert snapshot.unplaced == ("Невідомий район (regionId 555)",)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        [1],
        [{"regionId": "31"}],
        [
            {
                "regionId": "31",
                "regionType": "State",
                "regionName": "м. Київ",
                "activeAlerts": [{"type": "AIR", "lastUpdate": "soon"}],
            }
        ],
    ],
)
def test_an_unreadable_answer_is_garbage_whole(payload: object) -> None:
    with pytest.raises(FeedGarbageError):
        ukrainealarm.read_alerts(payload)
