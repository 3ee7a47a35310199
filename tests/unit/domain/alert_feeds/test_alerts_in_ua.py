"""alerts.in.ua's active.json as the alerts on: air raids only, whole region vs local."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from backend.domain.alert_feeds.alerts_in_ua import parse_active
from backend.domain.alert_feeds.state import FeedGarbageError
from tests.helpers.alert_feed_server import fixture

POLLED = datetime(2025, 7, 3, 22, 0, tzinfo=UTC)


def test_the_recorded_night_translates_to_whole_and_local_alerts() -> None:
    snapshot = parse_active(fixture("alerts_in_ua", "02_night.json"), polled_at=POLLED)
    assert snapshot.at == datetime(2025, 7, 3, 20, 5, 12, tzinfo=UTC)  # meta.last_updated_at
    assert {key: alert.start_id for key, alert in snapshot.alerts.items()} == {
        ("UA-09", None): "aiu-10",
        ("UA-30", None): "aiu-41020",  # a city whose uid is its region's: the whole region
        ("UA-63", None): "aiu-41021",
        ("UA-12", "Нікопольський район"): "aiu-41022",
        ("UA-59", "Шосткинська територіальна громада"): "aiu-41023",
        ("UA-63", "м. Харків"): "aiu-41024",  # another city: local
        ("UA-32", None): "aiu-41025",
    }
    assert snapshot.skipped == {"artillery_shelling": 1}


def test_a_finished_alert_is_not_on_and_gives_its_end_time() -> None:
    snapshot = parse_active(fixture("alerts_in_ua", "03_easing.json"), polled_at=POLLED)
    key = ("UA-59", "Шосткинська територіальна громада")
    assert key not in snapshot.alerts
    assert snapshot.times[key] == datetime(2025, 7, 3, 21, 10, tzinfo=UTC)


def test_without_meta_the_answer_speaks_for_last_modified_else_the_poll() -> None:
    payload: dict[str, Any] = {"alerts": []}
    modified = datetime(2025, 7, 3, 21, 0, tzinfo=UTC)
    assert parse_active(payload, polled_at=POLLED, last_modified=modified).at == modified
    assert parse_active(payload, polled_at=POLLED).at == POLLED


def _with(**changes: Any) -> dict[str, Any]:
    alert = dict(fixture("alerts_in_ua", "02_night.json")["alerts"][2], **changes)
    return {"alerts": [alert]}


@pytest.mark.parametrize(
    ("payload", "said"),
    [
        ([], "alerts"),
        ({"alerts": [1]}, "not an object"),
        (_with(started_at="yesterday"), "started_at"),
        (_with(id=None), "id"),
        (_with(id="a b"), "id"),
        ({"alerts": [], "meta": {"last_updated_at": "03.07.2025"}}, "last_updated_at"),
    ],
)
def test_an_answer_with_an_unreadable_alert_is_garbage_whole(payload: Any, said: str) -> None:
    with pytest.raises(FeedGarbageError, match=said):
        parse_active(payload, polled_at=POLLED)


def test_an_unknown_oblast_is_reported_not_guessed() -> None:
    payload = _with(location_oblast_uid=77, location_oblast="Nowhere")
    snapshot = parse_active(payload, polled_at=POLLED)
    assert snapshot.alerts == {}
    assert snapshot.unplaced == ("м. Київ (oblast uid 77)",)
