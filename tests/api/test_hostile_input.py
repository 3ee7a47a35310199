"""Hostile input that validation used to let through (issue 15): a time whose night is outside
the accepted years, duplicated JSON keys, a city named with another region. Each is refused
with a 422 naming the field, stores nothing, and a valid neighbour of it is still accepted and
readable everywhere (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.helpers.api_events import event, post, stored_count
from tests.helpers.app_client import AUTH

JSON = {**AUTH, "Content-Type": "application/json"}


@pytest.mark.parametrize(
    "occurred_at",
    [
        "2999-12-31T23:59:59-23:59",  # year 3000 in UTC and in Kyiv: night 3000-01-02
        "2999-12-31T12:00:00+02:00",  # Kyiv noon of the last day: night 3000-01-01
        "2000-01-01T00:00:00+23:59",  # 1999 in UTC: night 1999-12-31
    ],
)
def test_a_time_whose_night_is_out_of_range_is_422(client: TestClient, occurred_at: str) -> None:
    response = post(client, event(occurred_at=occurred_at))
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["field"] == "occurred_at"
    assert "2999" in problem["msg"]
    assert stored_count(client) == 0
    assert client.get("/api/v1/nights").json() == []


@pytest.mark.parametrize(
    ("occurred_at", "night"),
    [("2999-12-31T11:59:59+02:00", "2999-12-31"), ("2000-01-01T00:00:00Z", "2000-01-01")],
)
def test_the_last_and_first_accepted_nights_are_readable_everywhere(
    client: TestClient, occurred_at: str, night: str
) -> None:
    assert post(client, event(occurred_at=occurred_at)).status_code == 201
    assert [item["night"] for item in client.get("/api/v1/nights").json()] == [night]
    assert client.get("/api/v1/stats", params={"night": night}).json()["events"] == 1
    assert client.get(f"/api/v1/nights/{night}/reports").status_code == 200
    replay = client.post("/api/v1/replays", json={"night": night})
    assert replay.status_code == 201, replay.text


def test_a_duplicated_key_is_422_naming_it(client: TestClient) -> None:
    body = (
        b'[{"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00+03:00"},'
        b' {"kind": "launch", "weapon": "drone", "count": 1, "count": 500,'
        b' "occurred_at": "2025-07-03T22:00:00+03:00"}]'
    )
    response = client.post("/api/v1/events", content=body, headers=JSON)
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert (problem["index"], problem["field"], problem["type"]) == (1, "count", "duplicate_key")
    assert "'count'" in problem["msg"]
    assert stored_count(client) == 0


def test_a_duplicated_key_in_a_report_line_is_422_naming_it(client: TestClient) -> None:
    body = (
        b'{"issuer": "air_force", "scope": "national", "night": "2025-07-04",'
        b' "issued_at": "2025-07-04T09:00:00+03:00",'
        b' "lines": [{"weapon": "drone", "launched": 10, "launched": 99}]}'
    )
    response = client.post("/api/v1/reports", content=body, headers=JSON)
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["type"] == "duplicate_key"
    assert problem["loc"][-1] == "launched"
    assert "'launched'" in problem["msg"]


def test_a_quote_and_colon_inside_a_string_is_not_a_duplicate(client: TestClient) -> None:
    body = event(note='he said "at 22:00": two drones', source='a":b')
    response = post(client, body)
    assert response.status_code == 201, response.text
    (stored,) = client.get("/api/v1/events").json()
    assert stored["note"] == body["note"]


def test_a_city_in_another_region_is_422_naming_both(client: TestClient) -> None:
    response = post(client, event(kind="impact", weapon=None, region="UA-46", city="Kyiv"))
    assert response.status_code == 422, response.text
    (problem,) = response.json()["detail"]
    assert problem["field"] == "city"
    assert "UA-30" in problem["msg"]
    assert "UA-46" in problem["msg"]
    assert stored_count(client) == 0


def test_a_city_in_its_region_or_without_one_takes_its_position(client: TestClient) -> None:
    assert post(client, event(region="UA-46", city="Lviv")).status_code == 201
    assert post(client, event(city="Kyiv")).status_code == 201
    assert post(client, event(region="UA-46", city="Nowhere-on-the-map")).status_code == 201
    regions = sorted(record["region"] for record in client.get("/api/v1/events").json())
    assert regions == ["UA-30", "UA-46", "UA-46"]
