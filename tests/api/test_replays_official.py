"""A replay shows the night's official report from its issue on, as the room saw it that
morning: before it, only what was observed; never the two added."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.helpers.api_events import event, post
from tests.helpers.api_replays import control_replay, create_replay
from tests.helpers.api_reports import post_reports, report

NIGHT = "2025-07-04"


def _stats_at(client: TestClient, session: str, position: str) -> dict[str, Any]:
    control_replay(client, session, action="seek", position=position)
    answer = client.get(f"/api/v1/replays/{session}/stats")
    assert answer.status_code == 200
    stats: dict[str, Any] = answer.json()
    return stats


def test_replay_stats_carry_the_reports_issued_by_the_position(client: TestClient) -> None:
    post(client, [event(id="l1", occurred_at="2025-07-03T23:00:00+03:00", count=40)])
    issued = "2025-07-04T09:15:00+03:00"
    assert post_reports(client, report(issued_at=issued)).status_code == 201
    session = create_replay(client, NIGHT, speed=1)["id"]
    control_replay(client, session, action="pause")

    before = _stats_at(client, session, "2025-07-04T09:14:00+03:00")
    assert before["official"] is None
    assert before["launched"]["drone"] == 40

    after = _stats_at(client, session, issued)
    assert after["launched"]["drone"] == 40  # observed: never added to
    night = client.get("/api/v1/stats", params={"night": NIGHT}).json()
    assert after["official"] == night["official"]
    assert after["official"]["launched"]["drone"] == 539
