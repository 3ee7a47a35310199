"""Events posted to the in-process app (tests/helpers/app_client.py) with the write token."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.testclient import TestClient

from tests.helpers.app_client import AUTH


def event(**fields: Any) -> dict[str, Any]:
    """A valid launch event, with fields overridden."""
    base: dict[str, Any] = {
        "kind": "launch",
        "weapon": "drone",
        "model": "Shahed-136",
        "count": 1,
        "occurred_at": "2025-07-03T22:00:00+03:00",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def post(client: TestClient, body: Any) -> Any:
    """POST a JSON body (any JSON value, null included) with the write token."""
    headers = {**AUTH, "Content-Type": "application/json"}
    return client.post("/api/v1/events", content=orjson.dumps(body), headers=headers)


def stored_count(client: TestClient) -> int:
    # Every stored event, however many: the JSON pages hold at most 10,000.
    return len(client.get("/api/v1/events", params={"format": "jsonl"}).text.splitlines())
