"""GET /api/v1/stats and /api/v1/nights, and the health check."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.helpers.api_events import event, post

NIGHT = {"night": "2025-07-04"}


def test_stats_sum_counts_by_weapon(client: TestClient) -> None:
    post(
        client,
        [
            event(count=100),
            event(weapon="decoy", count=50),
            event(weapon="ballistic_missile", model="Kinzhal", count=1),
            event(kind="shot_down", count=80),
            event(kind="suppressed", weapon="decoy", count=45),
            event(kind="impact", weapon=None, city="Kyiv", count=2),
            event(kind="debris", weapon=None, region="UA-32", count=7),
        ],
    )
    stats = client.get("/api/v1/stats", params=NIGHT).json()
    assert stats["night"] == "2025-07-04"
    assert stats["launched"] == {
        "drone": 100,
        "decoy": 50,
        "cruise_missile": 0,
        "ballistic_missile": 1,
        "guided_bomb": 0,
        "unknown": 0,
    }
    assert stats["shot_down"]["drone"] == 80
    assert stats["suppressed"]["decoy"] == 45
    assert stats["impacts"]["unknown"] == 2
    assert stats["debris"] == 7
    assert stats["neutralized_rate"] == pytest.approx(125 / 151)
    assert stats["by_region"]["UA-30"]["impacts"] == 2
    assert stats["by_region"]["UA-32"]["debris"] == 7


def test_empty_night_has_null_rate(client: TestClient) -> None:
    stats = client.get("/api/v1/stats", params=NIGHT).json()
    assert stats["neutralized_rate"] is None
    assert stats["launched"]["drone"] == 0
    assert stats["active_alerts"] == []


def test_active_alerts_follow_latest_alert_event(client: TestClient) -> None:
    def alert(kind: str, region: str, at: str) -> dict[str, str]:
        return {"kind": kind, "region": region, "occurred_at": at}

    post(
        client,
        [
            alert("alert_start", "UA-30", "2025-07-03T23:00:00+03:00"),
            alert("alert_start", "UA-46", "2025-07-03T23:05:00+03:00"),
            alert("alert_end", "UA-46", "2025-07-04T01:00:00+03:00"),
        ],
    )
    # A late report of an older start must not reopen Lviv's alert.
    post(client, alert("alert_start", "UA-46", "2025-07-04T00:30:00+03:00"))
    stats = client.get("/api/v1/stats", params=NIGHT).json()
    assert stats["active_alerts"] == ["UA-30"]
    assert stats["by_region"]["UA-30"]["alert_active"] is True
    assert stats["by_region"]["UA-46"]["alert_active"] is False


def test_stats_over_a_range_of_nights_and_times(client: TestClient) -> None:
    post(
        client,
        [
            event(count=10, occurred_at="2025-07-03T22:00:00+03:00"),
            event(count=20, occurred_at="2025-07-04T22:00:00+03:00"),
            event(count=40, occurred_at="2025-07-05T22:00:00+03:00"),
        ],
    )
    nights = client.get("/api/v1/stats", params={"from": "2025-07-04", "to": "2025-07-05"}).json()
    assert nights["launched"]["drone"] == 30
    assert nights["night"] is None
    times = client.get(
        "/api/v1/stats",
        params={"from": "2025-07-04T20:00:00+03:00", "to": "2025-07-05T23:00:00+03:00"},
    ).json()
    assert times["launched"]["drone"] == 60


@pytest.mark.parametrize(
    "params",
    [
        {"night": "2025-13-01"},
        {"from": "soon"},
        {"to": "2025-07-04"},
        {"from": "2025-07-04", "to": "2025-07-05T00:00:00Z"},
        {"night": "2025-07-04", "from": "2025-07-04"},
    ],
)
def test_bad_stats_parameters_are_422(client: TestClient, params: dict[str, str]) -> None:
    assert client.get("/api/v1/stats", params=params).status_code == 422


def test_nights_lists_totals(client: TestClient) -> None:
    post(
        client,
        [
            event(count=5),
            event(kind="shot_down", count=4),
            event(count=7, occurred_at="2025-07-08T23:00:00+03:00"),
        ],
    )
    nights = client.get("/api/v1/nights").json()
    assert [(night["night"], night["launched"], night["shot_down"]) for night in nights] == [
        ("2025-07-04", 5, 4),
        ("2025-07-09", 7, 0),
    ]
    assert nights[0]["events"] == 2
    assert nights[0]["first_at"] == "2025-07-03T19:00:00Z"


def test_health(client: TestClient) -> None:
    assert client.get("/api/v1/healthz").json() == {"status": "ok"}
    assert client.get("/healthz").status_code == 200
