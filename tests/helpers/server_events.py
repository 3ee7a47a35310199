"""Events of one night posted to a real server (tests/helpers/server_process.py)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.helpers.server_process import AUTH, ServerProcess

NIGHT = "2025-07-04"


def post(server: ServerProcess, events: list[dict[str, Any]]) -> None:
    response = httpx.post(f"{server.url}/api/v1/events", json=events, headers=AUTH, timeout=30)
    assert response.status_code == 201, response.text


def launches(count: int, weapon: str = "drone", start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{weapon}-{start + index}",
            "kind": "launch",
            "weapon": weapon,
            "model": "Shahed-136" if weapon == "drone" else None,
            "occurred_at": "2025-07-03T23:00:00+03:00",
            "region": "UA-32",
        }
        for index in range(count)
    ]


def other(kind: str, at: str, **fields: Any) -> dict[str, Any]:
    """A non-launch event at a Kyiv-time clock reading on the night."""
    return {"kind": kind, "occurred_at": f"2025-07-04T{at}:00+03:00", **fields}


# GET /api/v1/events answers at most this many at once; a full page links the rest.
EVENTS_PAGE = 10_000


def all_events(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    """Every event matching `params`, in seq order, read page by page with `since`."""
    events: list[dict[str, Any]] = []
    since = 0
    while True:
        response = client.get(
            "/api/v1/events", params={**params, "limit": EVENTS_PAGE, "since": since}
        )
        assert response.status_code == 200, response.text
        page: list[dict[str, Any]] = response.json()
        events.extend(page)
        if len(page) < EVENTS_PAGE:
            return events
        since = page[-1]["seq"]
