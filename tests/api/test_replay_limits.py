"""Replay sessions an anonymous client can make the server keep are bounded (issue 15): they
expire after an idle time, one address may create only so many within a window (429 with
Retry-After), and `DELETE /api/v1/replays/{id}` ends one. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.websockets import WebSocketDisconnect

import backend.api.routes.replays as replay_routes
import backend.replay.sessions as replay_sessions
from backend.config import Settings
from backend.main import create_app
from backend.store.db import create_engine
from backend.store.models import replay_sessions_table
from tests.helpers.api_events import event, post
from tests.helpers.app_client import TOKEN

NIGHT = "2025-07-04"
LIMIT = 4
IDLE = 3600.0


@pytest.fixture
def limited(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        api_tokens=[TOKEN],
        max_replays_per_address=LIMIT,
        replay_idle_seconds=IDLE,
    )
    with TestClient(create_app(settings)) as client:
        assert post(client, event(occurred_at="2025-07-03T22:00:00+03:00")).status_code == 201
        yield client


def _stored(database_url: str) -> set[str]:
    """The ids of the sessions in the database (PostgreSQL's is shared by the tests)."""

    async def ids() -> set[str]:
        engine = create_engine(database_url)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(select(replay_sessions_table.c.id))
                return {row.id for row in rows}
        finally:
            await engine.dispose()

    return asyncio.run(ids())


def _later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """The replay clocks' wall clock, moved on (the routes' and the store's alike)."""
    moved = datetime.now(UTC) + timedelta(seconds=seconds)
    monkeypatch.setattr(replay_routes, "utc_now", lambda: moved)
    monkeypatch.setattr(replay_sessions, "utc_now", lambda: moved)


def test_one_address_may_create_only_so_many(limited: TestClient, database_url: str) -> None:
    before = _stored(database_url)
    for _ in range(LIMIT):
        assert limited.post("/api/v1/replays", json={"night": NIGHT}).status_code == 201
    refused = limited.post("/api/v1/replays", json={"night": NIGHT})
    assert refused.status_code == 429, refused.text
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert "replay" in refused.json()["detail"]
    assert len(_stored(database_url) - before) == LIMIT


def test_an_idle_session_expires_and_is_dropped(
    limited: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = limited.post("/api/v1/replays", json={"night": NIGHT}).json()["id"]
    idle = limited.post("/api/v1/replays", json={"night": NIGHT}).json()["id"]
    # Used at half the idle time: its idle time starts again.
    _later(monkeypatch, IDLE / 2 + 120)
    assert limited.get(f"/api/v1/replays/{kept}").status_code == 200
    _later(monkeypatch, IDLE + 240)
    assert limited.get(f"/api/v1/replays/{kept}").status_code == 200
    assert limited.get(f"/api/v1/replays/{idle}").status_code == 404
    control = limited.post(f"/api/v1/replays/{idle}/control", json={"action": "pause"})
    assert control.status_code == 404
    # A new session sweeps the expired ones out of the database.
    new = limited.post("/api/v1/replays", json={"night": NIGHT}).json()["id"]
    assert idle not in _stored(database_url)
    assert {kept, new} <= _stored(database_url)


def test_delete_ends_a_session_everywhere(limited: TestClient, database_url: str) -> None:
    session = limited.post("/api/v1/replays", json={"night": NIGHT}).json()["id"]
    assert limited.delete(f"/api/v1/replays/{session}").status_code == 204
    assert limited.get(f"/api/v1/replays/{session}").status_code == 404
    assert limited.delete(f"/api/v1/replays/{session}").status_code == 404
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        limited.websocket_connect(f"/api/v1/replays/{session}/stream") as stream,
    ):
        stream.receive_text()
    assert closed.value.code == 4004
    assert session not in _stored(database_url)
