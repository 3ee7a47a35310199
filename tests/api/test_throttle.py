"""Failed tokens are throttled per address: 429 with Retry-After after too many 401s (issue 15)."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from backend.config import Settings
from backend.main import create_app
from tests.helpers.api_events import event
from tests.helpers.app_client import AUTH, TOKEN

LIMIT = 5


def test_wrong_tokens_are_throttled_then_released(database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        api_tokens=[TOKEN],
        max_token_failures=LIMIT,
        token_failure_window=1.0,
    )
    wrong = {"Authorization": "Bearer wrong"}
    with TestClient(create_app(settings)) as client:
        for _ in range(LIMIT):
            assert client.post("/api/v1/events", json=event(), headers=wrong).status_code == 401
        # Over the limit every request of the address waits, the right token too.
        for headers in (wrong, AUTH):
            refused = client.post("/api/v1/events", json=event(), headers=headers)
            assert refused.status_code == 429, refused.text
            assert int(refused.headers["Retry-After"]) >= 1
            assert "refused tokens" in refused.json()["detail"]
        # Once the window has passed the address is served again.
        time.sleep(1.2)
        assert client.post("/api/v1/events", json=event(), headers=AUTH).status_code in (200, 201)
    # Fewer than the limit, on any route, is never throttled.
    with TestClient(create_app(settings)) as other:
        for _ in range(LIMIT - 1):
            assert other.post("/api/v1/reports", json={}, headers=wrong).status_code == 401
        assert other.post("/api/v1/events", json=event(), headers=AUTH).status_code in (200, 201)
