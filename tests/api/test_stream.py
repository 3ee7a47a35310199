"""WS /api/v1/stream in-process: snapshot, live events, resume, retraction."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from tests.helpers.api_events import event, post
from tests.helpers.app_client import AUTH

NIGHT = "2025-07-04"
STREAM = f"/api/v1/stream?night={NIGHT}"


def next_of_type(ws: WebSocketTestSession, kind: str) -> dict[str, Any]:
    """The next message of the given type (skipping none: anything else fails)."""
    message: dict[str, Any] = ws.receive_json()
    assert message["type"] == kind, message
    return message


def test_snapshot_first_then_live_events(client: TestClient) -> None:
    post(client, [event(id="a", count=10), event(id="b", kind="shot_down", count=4)])
    with client.websocket_connect(STREAM) as ws:
        snapshot = next_of_type(ws, "snapshot")
        assert snapshot["seq"] == 2
        assert snapshot["night"] == NIGHT
        assert snapshot["stats"]["launched"]["drone"] == 10
        assert snapshot["stats"]["shot_down"]["drone"] == 4
        assert [record["id"] for record in snapshot["recent"]] == ["a", "b"]
        post(client, event(id="c", count=3))
        live = next_of_type(ws, "events")
        assert [record["id"] for record in live["events"]] == ["c"]
        assert live["events"][0]["seq"] == 3
        assert live["seq"] == 3


def test_snapshot_stats_equal_get_stats(client: TestClient) -> None:
    post(client, [event(count=7), event(kind="impact", weapon=None, city="Kyiv", count=2)])
    with client.websocket_connect(STREAM) as ws:
        snapshot = next_of_type(ws, "snapshot")
    assert snapshot["stats"] == client.get("/api/v1/stats", params={"night": NIGHT}).json()


def test_other_nights_are_not_streamed(client: TestClient) -> None:
    with client.websocket_connect(STREAM) as ws:
        next_of_type(ws, "snapshot")
        post(client, event(id="other", occurred_at="2025-07-10T01:00:00+03:00"))
        post(client, event(id="mine"))
        live = next_of_type(ws, "events")
        assert [record["id"] for record in live["events"]] == ["mine"]


def test_resume_with_since_sends_the_backlog_then_live(client: TestClient) -> None:
    post(client, [event(id=f"e{index}") for index in range(5)])
    with client.websocket_connect(f"{STREAM}&since=2") as ws:
        backlog = next_of_type(ws, "events")
        assert [record["seq"] for record in backlog["events"]] == [3, 4, 5]
        post(client, event(id="late"))
        live = next_of_type(ws, "events")
        assert [record["id"] for record in live["events"]] == ["late"]


def test_since_beyond_the_store_gets_a_snapshot(client: TestClient) -> None:
    post(client, event())
    with client.websocket_connect(f"{STREAM}&since=999") as ws:
        assert next_of_type(ws, "snapshot")["seq"] == 1


def test_retraction_is_streamed(client: TestClient) -> None:
    post(client, event(id="oops"))
    with client.websocket_connect(STREAM) as ws:
        next_of_type(ws, "snapshot")
        client.delete("/api/v1/events/oops", headers=AUTH)
        retracted = next_of_type(ws, "retracted")
        assert retracted["ids"] == ["oops"]
        assert retracted["seq"] == 2


def test_resume_under_concurrent_posts_has_no_gap_and_no_duplicate(client: TestClient) -> None:
    total = 300
    done = threading.Event()

    def poster() -> None:
        for index in range(0, total, 3):
            post(client, [event(id=f"c{index + offset}") for offset in range(3)])
        done.set()

    thread = threading.Thread(target=poster)
    thread.start()
    seen: list[int] = []
    since = 0
    # Reconnect every few frames while the poster runs, resuming from the last seq seen.
    while len(seen) < total:
        with client.websocket_connect(f"{STREAM}&since={since}") as ws:
            for _ in range(4):
                if len(seen) >= total:
                    break
                message = ws.receive_json()
                assert message["type"] == "events", message
                seen += [record["seq"] for record in message["events"]]
                since = message["seq"]
    thread.join()
    assert done.is_set()
    assert seen == list(range(1, total + 1))


def test_a_client_of_the_next_night_sees_the_alert_begun_before_noon(client: TestClient) -> None:
    start = {"kind": "alert_start", "region": "UA-63", "occurred_at": "2025-07-04T11:30:00+03:00"}
    post(client, start)
    with client.websocket_connect("/api/v1/stream?night=2025-07-05") as ws:
        snapshot = next_of_type(ws, "snapshot")
        assert snapshot["stats"]["active_alerts"] == ["UA-63"]
        assert snapshot["stats"]["by_region"]["UA-63"]["alert_state"] == "full"
        # A late report of an earlier night's alert changes what was on when this night began.
        post(client, {**start, "region": "UA-46", "area": "Stryi raion"})
        again = next_of_type(ws, "snapshot")
        assert again["stats"]["active_alerts"] == ["UA-46", "UA-63"]
        assert again["stats"]["by_region"]["UA-46"]["alert_state"] == "partial"
        # This night's end of it arrives as an event like any other.
        post(client, {**start, "kind": "alert_end", "occurred_at": "2025-07-04T13:00:00+03:00"})
        live = next_of_type(ws, "events")
        assert [record["kind"] for record in live["events"]] == ["alert_end"]
