"""Official reports posted to the in-process app (tests/helpers/app_client.py)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.testclient import TestClient

from tests.helpers.app_client import AUTH
from tests.helpers.report_records import report_record


def report(**fields: Any) -> dict[str, Any]:
    """A valid national Air Force report of the night of 2025-07-04 with a drone and a cruise
    missile line, fields overridden."""
    lines = [
        {"weapon": "drone", "model": "Shahed-136", "launched": 539, "neutralized": 476},
        {"weapon": "cruise_missile", "launched": 11, "shot_down": 2},
    ]
    return report_record(**{"lines": lines, **fields})


def post_reports(client: TestClient, body: Any) -> Any:
    """POST a JSON body (any JSON value) to /reports with the write token."""
    headers = {**AUTH, "Content-Type": "application/json"}
    return client.post("/api/v1/reports", content=orjson.dumps(body), headers=headers)


def night_reports(client: TestClient, night: str = "2025-07-04") -> list[dict[str, Any]]:
    """GET /nights/{night}/reports."""
    answer = client.get(f"/api/v1/nights/{night}/reports")
    assert answer.status_code == 200
    reports: list[dict[str, Any]] = answer.json()
    return reports


def official(client: TestClient, night: str = "2025-07-04") -> Any:
    """The `official` object of GET /stats?night=."""
    return client.get("/api/v1/stats", params={"night": night}).json()["official"]
