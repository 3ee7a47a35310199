"""GET /metrics follows what POST /api/v1/events does, in the app's own process."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from backend.config import Settings
from backend.main import create_app
from tests.helpers.app_client import AUTH, TOKEN
from tests.helpers.metrics import value

EVENT = {
    "kind": "launch",
    "weapon": "drone",
    "count": 3,
    "occurred_at": "2025-07-03T22:10:00+03:00",
    "region": "UA-32",
}


def _scrape(client: TestClient) -> str:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return answer.text


def test_counts_follow_the_posts(client: TestClient) -> None:
    before = _scrape(client)
    batch = [{**EVENT, "id": f"m-{n}"} for n in range(4)]
    assert client.post("/api/v1/events", json=batch, headers=AUTH).status_code == 201
    # Two resent as they were (duplicates), one id reused with other content (a conflict).
    assert client.post("/api/v1/events", json=batch[:2], headers=AUTH).status_code == 200
    conflict = {**batch[0], "count": 9}
    assert client.post("/api/v1/events", json=conflict, headers=AUTH).status_code == 409
    assert client.post("/api/v1/events", json=EVENT).status_code == 401
    assert client.post("/api/v1/events", json={"kind": "x"}, headers=AUTH).status_code == 422
    after = _scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("skywatch_events_accepted_total") == 4
    assert delta("skywatch_events_duplicates_total") == 2
    assert delta("skywatch_events_conflicts_total") == 1
    assert delta("skywatch_events_refused_total", status="409") == 1
    assert delta("skywatch_events_refused_total", status="401") == 1
    assert delta("skywatch_events_refused_total", status="422") == 1
    # Three transactions, one per request (the conflict's too: it stored nothing), of 4, 2
    # and 1 events; the refusals before validation never reached the writer.
    assert delta("skywatch_group_commit_events_count") == 3
    assert delta("skywatch_group_commit_events_sum") == 7
    assert delta("skywatch_group_commit_seconds_count") == 3
    # The hub fanned the 4 new events out once it had read them.
    assert value(after, "skywatch_hub_fetch_lag_seconds_count") >= 1
    assert value(after, "skywatch_outage", operation="hub poll of the database") == 0


def test_open_streams_are_counted_while_open(client: TestClient) -> None:
    before = value(_scrape(client), "skywatch_open_connections", stream="stream")
    with client.websocket_connect("/api/v1/stream") as ws:
        ws.receive_text()  # the snapshot: accepted
        assert value(_scrape(client), "skywatch_open_connections", stream="stream") == before + 1
    assert value(_scrape(client), "skywatch_open_connections", stream="stream") == before


def test_metrics_need_the_view_token_when_view_tokens_are_set(settings: Settings) -> None:
    guarded = settings.model_copy(update={"view_tokens": ["view-secret"]})
    with TestClient(create_app(guarded)) as client:
        assert client.get("/metrics").status_code == 401
        answer = client.get("/metrics", headers={"Authorization": "Bearer view-secret"})
        assert answer.status_code == 200
        assert "skywatch_events_accepted_total" in answer.text
        # A write token reads too, as it reads everything else.
        assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).is_success


def test_metrics_are_not_on_the_main_port_with_their_own_bind(
    settings: Settings, tmp_path: Path
) -> None:
    apart = settings.model_copy(update={"metrics_bind": "127.0.0.1:9464"})
    with TestClient(create_app(apart)) as client:
        answer = client.get("/metrics")
        assert answer.status_code == 404
        assert "SKYWATCH_METRICS_BIND" in answer.json()["detail"]
