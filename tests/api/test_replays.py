"""Replay sessions: the clock, stats at any position, control, and the replay stream."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.domain.nights import KYIV, night_window
from tests.helpers.api_events import event, post
from tests.helpers.api_replays import control_replay, create_replay

NIGHT = "2025-07-04"


def seed(client: TestClient) -> list[dict[str, Any]]:
    """Events spread over the night, each hour a different mix."""
    events = []
    start = datetime(2025, 7, 3, 19, 0, tzinfo=KYIV)
    for index in range(60):
        at = (start + timedelta(minutes=11 * index)).isoformat()
        events.append(event(id=f"l{index}", occurred_at=at, count=index % 4 + 1))
        if index % 3 == 0:
            events.append(event(id=f"s{index}", kind="shot_down", occurred_at=at))
        if index % 7 == 0:
            events.append({"id": f"i{index}", "kind": "impact", "occurred_at": at, "city": "Kyiv"})
    events.append(
        {
            "id": "a1",
            "kind": "alert_start",
            "region": "UA-30",
            "occurred_at": events[5]["occurred_at"],
        }
    )
    post(client, events)
    return events


def create(client: TestClient, **body: Any) -> dict[str, Any]:
    return create_replay(client, NIGHT, **body)


control = control_replay


def stats_up_to(client: TestClient, position: str, night: str = NIGHT) -> dict[str, Any]:
    start = night_window(datetime.fromisoformat(night).date())[0].isoformat()
    body: dict[str, Any] = client.get(
        "/api/v1/stats", params={"from": start, "to": position}
    ).json()
    return body


def comparable(stats: dict[str, Any]) -> dict[str, Any]:
    keys = ("launched", "shot_down", "suppressed", "impacts", "debris", "neutralized_rate")
    return {key: stats[key] for key in (*keys, "active_alerts", "by_region", "events")}


def test_create_starts_just_before_the_first_event_and_runs(client: TestClient) -> None:
    seed(client)
    session = create(client, speed=60)
    assert session["speed"] == 60
    assert session["paused"] is False
    assert session["finished"] is False
    assert session["position"] == "2025-07-03T15:59:00Z"
    time.sleep(0.5)
    later = client.get(f"/api/v1/replays/{session['id']}").json()
    assert later["position"] > session["position"]


@pytest.mark.parametrize("minutes", [0, 37, 120, 333, 600, 1000])
def test_stats_at_any_seek_equal_the_events_up_to_then(client: TestClient, minutes: int) -> None:
    seed(client)
    session = create(client, speed=1)
    control(client, session["id"], action="pause")
    target = datetime(2025, 7, 3, 16, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    moved = control(client, session["id"], action="seek", position=target.isoformat())
    assert moved["position"] == target.strftime("%Y-%m-%dT%H:%M:%SZ")
    replay = client.get(f"/api/v1/replays/{session['id']}/stats").json()
    assert comparable(replay) == comparable(stats_up_to(client, target.isoformat()))


def test_replay_to_the_end_equals_the_night(client: TestClient) -> None:
    seed(client)
    session = create(client, speed=3600)
    end = night_window(datetime.fromisoformat(NIGHT).date())[1]
    control(client, session["id"], action="seek", position=end.isoformat())
    state = client.get(f"/api/v1/replays/{session['id']}").json()
    assert state["finished"] is True
    replay = client.get(f"/api/v1/replays/{session['id']}/stats").json()
    night = client.get("/api/v1/stats", params={"night": NIGHT}).json()
    assert comparable(replay) == comparable(night)


def test_a_night_across_the_clock_change(client: TestClient) -> None:
    # 26 October 2025: Kyiv's clocks went back at 04:00; the night lasts 25 hours.
    times = ["2025-10-26T02:30:00+03:00", "2025-10-26T03:30:00+03:00", "2025-10-26T03:30:00+02:00"]
    post(client, [event(id=f"d{i}", occurred_at=at, count=i + 1) for i, at in enumerate(times)])
    response = client.post("/api/v1/replays", json={"night": "2025-10-26", "speed": 1})
    session = response.json()
    assert session["end"] == "2025-10-26T10:00:00Z"
    assert session["start"] == "2025-10-25T09:00:00Z"
    control(client, session["id"], action="seek", position="2025-10-26T03:30:00+03:00")
    stats = client.get(f"/api/v1/replays/{session['id']}/stats").json()
    assert stats["launched"]["drone"] == 3  # the first 03:30 (summer time), not the second
    control(client, session["id"], action="seek", position="2025-10-26T03:30:00+02:00")
    stats = client.get(f"/api/v1/replays/{session['id']}/stats").json()
    assert stats["launched"]["drone"] == 6


def test_speed_and_pause_controls(client: TestClient) -> None:
    seed(client)
    session = create(client, speed=60)
    paused = control(client, session["id"], action="pause")
    time.sleep(0.3)
    assert client.get(f"/api/v1/replays/{session['id']}").json()["position"] == paused["position"]
    faster = control(client, session["id"], action="speed", speed=3600)
    assert (faster["speed"], faster["paused"]) == (3600, True)
    assert control(client, session["id"], action="play")["paused"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "seek"}, "position"),
        ({"action": "speed"}, "speed"),
        ({"action": "speed", "speed": 0}, "speed"),
        ({"action": "speed", "speed": 3601}, "speed"),
        ({"action": "rewind"}, "action"),
    ],
)
def test_bad_controls_are_422(client: TestClient, body: dict[str, Any], field: str) -> None:
    seed(client)
    session = create(client)
    response = client.post(f"/api/v1/replays/{session['id']}/control", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_unknown_session_and_empty_night(client: TestClient) -> None:
    assert client.get("/api/v1/replays/nope").status_code == 404
    assert client.post("/api/v1/replays/nope/control", json={"action": "play"}).status_code == 404
    response = client.post("/api/v1/replays", json={"night": "2020-01-01"})
    assert response.status_code == 404
    assert client.post("/api/v1/replays", json={"night": NIGHT, "speed": 0}).status_code == 422


def test_stream_follows_the_clock_and_a_seek_sends_a_snapshot(client: TestClient) -> None:
    events = seed(client)
    session = create(client, speed=3600)
    with client.websocket_connect(f"/api/v1/replays/{session['id']}/stream?poll=0.05") as ws:
        snapshot = ws.receive_json()
        assert snapshot["type"] == "snapshot"
        # What the clock passed before the snapshot was taken is in it, not in events frames.
        received: list[str] = [record["id"] for record in snapshot["recent"]]
        deadline = time.monotonic() + 20
        while len(received) < len(events) and time.monotonic() < deadline:
            message = ws.receive_json()
            if message["type"] == "events":
                received += [record["id"] for record in message["events"]]
        assert sorted(received) == sorted(str(e["id"]) for e in events)
        control(client, session["id"], action="pause")
        control(client, session["id"], action="seek", position="2025-07-03T17:00:00Z")
        while (message := ws.receive_json())["type"] != "snapshot":
            pass
        assert message["position"] == "2025-07-03T17:00:00Z"
        assert comparable(message["stats"]) == comparable(stats_up_to(client, message["position"]))


def test_a_replay_shows_an_alert_begun_before_the_night_as_on_from_the_start(
    client: TestClient,
) -> None:
    post(
        client,
        [
            {"kind": "alert_start", "region": "UA-63", "occurred_at": "2025-07-04T11:30:00+03:00"},
            event(id="tonight", occurred_at="2025-07-04T22:00:00+03:00"),
            {"kind": "alert_end", "region": "UA-63", "occurred_at": "2025-07-05T01:00:00+03:00"},
        ],
    )
    response = client.post("/api/v1/replays", json={"night": "2025-07-05", "speed": 1})
    session = response.json()
    control(client, session["id"], action="pause")
    for position, active in (
        ("2025-07-04T12:00:00+03:00", ["UA-63"]),  # the night's first instant
        ("2025-07-04T23:00:00+03:00", ["UA-63"]),
        ("2025-07-05T01:00:00+03:00", []),
    ):
        control(client, session["id"], action="seek", position=position)
        stats = client.get(f"/api/v1/replays/{session['id']}/stats").json()
        assert stats["active_alerts"] == active, position
        assert comparable(stats) == comparable(stats_up_to(client, position, "2025-07-05"))
    with client.websocket_connect(f"/api/v1/replays/{session['id']}/stream?poll=0.05") as ws:
        snapshot = ws.receive_json()
        assert snapshot["stats"]["active_alerts"] == []
        control(client, session["id"], action="seek", position="2025-07-04T13:00:00+03:00")
        while (message := ws.receive_json())["type"] != "snapshot":
            pass
        assert message["stats"]["active_alerts"] == ["UA-63"]
