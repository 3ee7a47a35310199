"""What the database-outage tests post to a real server and check in its answers."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import httpx

from backend.api.errors import RETRY_AFTER_SECONDS
from tests.helpers.server_process import ServerProcess


def launch(event_id: str, count: int = 1) -> dict[str, Any]:
    """A launch of `count` drones in the night of 2025-07-04."""
    return {
        "id": event_id,
        "kind": "launch",
        "weapon": "drone",
        "count": count,
        "occurred_at": "2025-07-03T23:00:00+03:00",
    }


def assert_unavailable(response: httpx.Response) -> None:
    """A 503 with Retry-After and a JSON error body."""
    assert response.status_code == 503, response.text
    assert response.headers.get("retry-after") == str(RETRY_AFTER_SECONDS)
    assert response.headers["content-type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str)


def stored(server: ServerProcess) -> Counter[str]:
    """How many times each id is stored."""
    with server.client() as client:
        response = client.get("/api/v1/events", params={"format": "jsonl"})
    assert response.status_code == 200, response.text
    return Counter(json.loads(line)["id"] for line in response.text.splitlines() if line)
