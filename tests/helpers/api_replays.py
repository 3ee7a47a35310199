"""Replay sessions driven through the in-process app (tests/helpers/app_client.py)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def create_replay(client: TestClient, night: str, **body: Any) -> dict[str, Any]:
    """POST /replays for the night; the session as answered (201 asserted)."""
    response = client.post("/api/v1/replays", json={"night": night, **body})
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def control_replay(client: TestClient, session: str, **body: Any) -> dict[str, Any]:
    """POST /replays/{id}/control; the clock as answered (200 asserted)."""
    response = client.post(f"/api/v1/replays/{session}/control", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
