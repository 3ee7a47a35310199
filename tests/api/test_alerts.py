"""GET /alerts, GET /nights/{night}/alerts, `area` on the wire, and /stats across noon."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.api_events import event, post
from tests.helpers.app_client import AUTH

# 11:30 Kyiv time on 4 July 2025: night 2025-07-04, half an hour before it ends at noon.
BEFORE_NOON = "2025-07-04T11:30:00+03:00"
AFTER_NOON = "2025-07-04T12:30:00+03:00"  # night 2025-07-05


def alert(kind: str, region: str, at: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "region": region, "occurred_at": at, **fields}


def test_an_alert_begun_before_noon_is_on_after_noon(client: TestClient) -> None:
    post(client, [alert("alert_start", "UA-63", BEFORE_NOON, id="kharkiv")])
    now = client.get("/api/v1/alerts", params={"at": AFTER_NOON}).json()
    assert now == {
        "at": "2025-07-04T09:30:00Z",
        "regions": [
            {"region": "UA-63", "state": "full", "since": "2025-07-04T08:30:00Z", "areas": []}
        ],
    }
    stats = client.get("/api/v1/stats", params={"night": "2025-07-05"}).json()
    assert stats["active_alerts"] == ["UA-63"]
    assert stats["by_region"]["UA-63"]["alert_active"] is True
    assert stats["by_region"]["UA-63"]["alert_state"] == "full"
    assert stats["events"] == 0  # the alert is on tonight; its start is last night's event
    night = client.get("/api/v1/nights/2025-07-05/alerts").json()
    assert night["intervals"] == [
        {"region": "UA-63", "area": None, "started_at": "2025-07-04T08:30:00Z", "ended_at": None}
    ]
    assert night["alert_minutes"] == {"UA-63": 24 * 60.0}
    # Ended the next morning: the interval keeps its start of the night before.
    post(client, alert("alert_end", "UA-63", "2025-07-05T06:00:00+03:00"))
    night = client.get("/api/v1/nights/2025-07-05/alerts").json()
    assert night["intervals"][0]["ended_at"] == "2025-07-05T03:00:00Z"
    assert night["alert_minutes"] == {"UA-63": 18 * 60.0}  # from 12:00 to 06:00 Kyiv time
    assert night["unmatched_ends"] == []
    assert client.get("/api/v1/stats", params={"night": "2025-07-05"}).json()["active_alerts"] == []


def test_local_alerts_are_partial_and_end_one_by_one(client: TestClient) -> None:
    post(
        client,
        [
            alert("alert_start", "UA-63", BEFORE_NOON, area="Kupiansk raion"),
            alert("alert_start", "UA-63", "2025-07-04T11:40:00+03:00", area="Izium raion"),
            alert("alert_start", "UA-63", "2025-07-04T11:50:00+03:00"),
            alert("alert_end", "UA-63", "2025-07-04T12:10:00+03:00"),  # the oblast's own only
            alert("alert_end", "UA-63", "2025-07-04T12:20:00+03:00", area="Izium raion"),
        ],
    )
    full = client.get("/api/v1/alerts", params={"at": "2025-07-04T12:00:00+03:00"}).json()
    assert full["regions"] == [
        {
            "region": "UA-63",
            "state": "full",
            "since": "2025-07-04T08:50:00Z",
            "areas": ["Izium raion", "Kupiansk raion"],
        }
    ]
    partial = client.get("/api/v1/alerts", params={"at": AFTER_NOON}).json()
    assert partial["regions"] == [
        {
            "region": "UA-63",
            "state": "partial",
            "since": "2025-07-04T08:30:00Z",
            "areas": ["Kupiansk raion"],
        }
    ]
    stats = client.get("/api/v1/stats", params={"night": "2025-07-05"}).json()
    assert stats["by_region"]["UA-63"]["alert_state"] == "partial"
    assert stats["active_alerts"] == ["UA-63"]


def test_area_is_stored_and_read_back_and_absent_is_null(client: TestClient) -> None:
    post(
        client,
        [
            alert("alert_start", "UA-32", BEFORE_NOON, id="local", area="Bucha raion"),
            event(id="drone"),
        ],
    )
    records = {record["id"]: record for record in client.get("/api/v1/events").json()}
    assert records["local"]["area"] == "Bucha raion"
    assert records["drone"]["area"] is None
    lines = client.get("/api/v1/events", params={"format": "jsonl"}).text.splitlines()
    assert '"area":"Bucha raion"' in lines[0]


def test_the_same_id_with_another_area_is_a_conflict(client: TestClient) -> None:
    first = alert("alert_start", "UA-32", BEFORE_NOON, id="a1", area="Bucha raion")
    assert post(client, first).status_code == 201
    assert post(client, first).status_code == 200  # the same again: a duplicate
    conflict = post(client, {**first, "area": "Irpin hromada"})
    assert conflict.status_code == 409
    assert (
        post(client, {key: value for key, value in first.items() if key != "area"}).status_code
        == 409
    )


@pytest.mark.parametrize(
    "body",
    [
        event(area="Bucha raion"),  # area on a launch
        alert("alert_start", "UA-32", BEFORE_NOON, area="x" * 101),
        alert("alert_start", "UA-32", BEFORE_NOON, area=""),
        alert("alert_end", "UA-32", BEFORE_NOON, area=7),
    ],
)
def test_a_bad_area_is_a_422_naming_area(client: TestClient, body: dict[str, Any]) -> None:
    response = post(client, body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["field"] == "area"
    assert client.get("/api/v1/events").json() == []


def test_an_end_with_no_alert_on_is_stored_counted_and_reported(client: TestClient) -> None:
    response = post(client, alert("alert_end", "UA-46", "2025-07-04T02:00:00+03:00", id="stray"))
    assert response.status_code == 201
    stats = client.get("/api/v1/stats", params={"night": "2025-07-04"}).json()
    assert stats["events"] == 1
    assert stats["active_alerts"] == []
    night = client.get("/api/v1/nights/2025-07-04/alerts").json()
    assert night["unmatched_ends"] == [
        {
            "id": "stray",
            "region": "UA-46",
            "area": None,
            "occurred_at": "2025-07-03T23:00:00Z",
            "seq": 1,
        }
    ]
    assert night["intervals"] == []
    assert (night["window_start"], night["window_end"]) == (
        "2025-07-03T09:00:00Z",
        "2025-07-04T09:00:00Z",
    )


def test_a_retracted_start_is_left_out(client: TestClient) -> None:
    post(client, alert("alert_start", "UA-30", BEFORE_NOON, id="oops"))
    client.delete("/api/v1/events/oops", headers=AUTH)
    assert client.get("/api/v1/alerts", params={"at": AFTER_NOON}).json()["regions"] == []
    assert client.get("/api/v1/stats", params={"night": "2025-07-05"}).json()["active_alerts"] == []


@pytest.mark.parametrize(
    "value", ["soon", "2025-07-04", "2025-07-04T12:00:00", "2025-13-01T00:00Z"]
)
def test_a_bad_at_is_a_422_naming_at(client: TestClient, value: str) -> None:
    response = client.get("/api/v1/alerts", params={"at": value})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "at"


def test_a_bad_night_is_a_422(client: TestClient) -> None:
    assert client.get("/api/v1/nights/2025-13-01/alerts").status_code == 422


def test_alerts_default_to_now(client: TestClient) -> None:
    post(client, alert("alert_start", "UA-09", "2022-02-24T05:00:00+02:00"))
    body = client.get("/api/v1/alerts").json()
    assert body["regions"][0]["since"] == "2022-02-24T03:00:00Z"
    assert body["at"] > "2026"
