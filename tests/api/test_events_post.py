"""POST /api/v1/events: the contract, idempotency, atomic batches and the bad-input table."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from tests.helpers.api_events import event, post, stored_count
from tests.helpers.app_client import AUTH


def test_single_event_is_stored_with_server_fields(client: TestClient) -> None:
    response = post(client, event(id="e-1", city="Kyiv"))
    assert response.status_code == 201
    assert response.json() == {"accepted": 1, "duplicates": 0, "seqs": [1], "warnings": []}
    [record] = client.get("/api/v1/events").json()
    assert record["id"] == "e-1"
    assert record["seq"] == 1
    assert record["night"] == "2025-07-04"
    assert record["occurred_at"] == "2025-07-03T19:00:00Z"
    assert record["region"] == "UA-30"
    assert record["lat"] == pytest.approx(50.45, abs=0.1)
    assert record["retracted"] is False
    assert record["received_at"].endswith("Z")


def test_server_assigns_uuid_and_increasing_seqs(client: TestClient) -> None:
    response = post(client, [event(), event(), event()])
    assert response.status_code == 201
    seqs = response.json()["seqs"]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == 3
    ids = [record["id"] for record in client.get("/api/v1/events").json()]
    assert all(len(event_id) == 36 for event_id in ids)
    later = post(client, event()).json()["seqs"][0]
    assert later > max(seqs)


def test_same_id_same_content_is_a_counted_once_duplicate(client: TestClient) -> None:
    first = post(client, event(id="dup", count=5))
    again = post(client, event(id="dup", count=5))
    assert again.status_code == 200
    assert again.json() == {
        "accepted": 0,
        "duplicates": 1,
        "seqs": first.json()["seqs"],
        "warnings": [],
    }
    stats = client.get("/api/v1/stats", params={"night": "2025-07-04"}).json()
    assert stats["launched"]["drone"] == 5


def test_same_instant_in_another_offset_is_the_same_content(client: TestClient) -> None:
    post(client, event(id="tz", occurred_at="2025-07-03T22:00:00+03:00"))
    again = post(client, event(id="tz", occurred_at="2025-07-03T19:00:00Z"))
    assert again.json()["duplicates"] == 1


def test_reused_id_with_other_content_is_409_and_changes_nothing(client: TestClient) -> None:
    post(client, event(id="x1", count=2))
    response = post(client, [event(id="new-one"), event(id="x1", count=3)])
    assert response.status_code == 409
    [problem] = response.json()["detail"]
    assert (problem["index"], problem["field"]) == (1, "id")
    assert "x1" in problem["msg"]
    assert stored_count(client) == 1
    stats = client.get("/api/v1/stats", params={"night": "2025-07-04"}).json()
    assert stats["launched"]["drone"] == 2


def test_same_id_twice_in_one_batch(client: TestClient) -> None:
    same = post(client, [event(id="b1"), event(id="b1")])
    assert same.json() == {"accepted": 1, "duplicates": 1, "seqs": [1, 1], "warnings": []}
    other = post(client, [event(id="b2"), event(id="b2", count=9)])
    assert other.status_code == 409
    assert stored_count(client) == 1


def test_gazetteer_fills_region_centre_when_city_unknown(client: TestClient) -> None:
    post(client, event(id="r", kind="impact", weapon=None, region="Lviv oblast", city="Nowhere"))
    [record] = client.get("/api/v1/events").json()
    assert record["region"] == "UA-46"
    assert record["lat"] is not None
    assert record["lon"] is not None


def test_region_names_are_stored_as_codes(client: TestClient) -> None:
    post(client, [event(region="Одеська область"), event(region="ua-63"), event(region="Kyiv")])
    regions = [record["region"] for record in client.get("/api/v1/events").json()]
    assert regions == ["UA-51", "UA-63", "UA-30"]


def test_explicit_position_is_kept(client: TestClient) -> None:
    post(client, event(city="Kyiv", lat=50.0, lon=30.0))
    [record] = client.get("/api/v1/events").json()
    assert (record["lat"], record["lon"]) == (50.0, 30.0)


def test_alert_needs_region_and_no_weapon(client: TestClient) -> None:
    ok = post(
        client, {"kind": "alert_start", "region": "UA-30", "occurred_at": "2025-07-03T22:00Z"}
    )
    assert ok.status_code == 422  # minutes-only time is not RFC 3339
    ok = post(
        client, {"kind": "alert_start", "region": "UA-30", "occurred_at": "2025-07-03T22:00:00Z"}
    )
    assert ok.status_code == 201


# --- the bad-input table: status, the field named, and nothing stored -------------------------

BAD_EVENTS: list[tuple[str, dict[str, Any], str]] = [
    ("unknown kind", event(kind="explosion"), "kind"),
    ("unknown weapon", event(weapon="laser"), "weapon"),
    ("naive occurred_at", event(occurred_at="2025-07-03T22:00:00"), "occurred_at"),
    ("date-only occurred_at", event(occurred_at="2025-07-03"), "occurred_at"),
    ("numeric occurred_at", event(occurred_at=1751569200), "occurred_at"),
    ("count 0", event(count=0), "count"),
    ("count 10001", event(count=10_001), "count"),
    ("count as string", event(count="3"), "count"),
    ("unknown field", event(colour="red"), "colour"),
    ("unknown region", event(region="UA-99"), "region"),
    ("weapon on alert", event(kind="alert_start", region="UA-30"), "weapon"),
    ("alert without region", event(kind="alert_end", weapon=None), "region"),
    ("launch without weapon", event(weapon=None), "weapon"),
    ("bad id", event(id="has space"), "id"),
    ("id too long", event(id="x" * 65), "id"),
    ("model too long", event(model="m" * 65), "model"),
    ("city too long", event(city="c" * 101), "city"),
    ("note too long", event(note="n" * 1001), "note"),
    ("source too long", event(source="s" * 101), "source"),
    ("lat out of range", event(lat=91.0, lon=30.0), "lat"),
    ("lon out of range", event(lat=50.0, lon=181.0), "lon"),
    ("lat without lon", event(lat=50.0), "lon"),
]


@pytest.mark.parametrize(("case", "body", "field"), BAD_EVENTS, ids=[c[0] for c in BAD_EVENTS])
def test_bad_event_is_422_naming_the_field(
    client: TestClient, case: str, body: dict[str, Any], field: str
) -> None:
    response = post(client, body)
    assert response.status_code == 422, case
    problems = response.json()["detail"]
    assert [problem["field"] for problem in problems] == [field]
    assert field in problems[0]["msg"]
    assert stored_count(client) == 0


def test_unknown_kind_lists_the_allowed_values(client: TestClient) -> None:
    [problem] = post(client, event(kind="explosion")).json()["detail"]
    for allowed in ("launch", "shot_down", "suppressed", "impact", "debris", "alert_start"):
        assert allowed in problem["msg"]


def test_unknown_weapon_lists_the_allowed_values(client: TestClient) -> None:
    [problem] = post(client, event(weapon="laser")).json()["detail"]
    for allowed in ("drone", "decoy", "cruise_missile", "ballistic_missile", "guided_bomb"):
        assert allowed in problem["msg"]


def test_batch_of_1000_with_one_bad_item_stores_nothing(client: TestClient) -> None:
    batch = [event(id=f"b-{index}") for index in range(1000)]
    batch[617] = event(id="b-617", count=0)
    batch[900] = event(id="b-900", kind="nope")
    response = post(client, batch)
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert [(problem["index"], problem["field"]) for problem in problems] == [
        (617, "count"),
        (900, "kind"),
    ]
    assert stored_count(client) == 0


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/api/v1/events",
        content=b'{"kind": "launch",',
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "malformed JSON" in response.json()["detail"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_wrong_content_type_is_415(client: TestClient, content_type: str) -> None:
    headers = {**AUTH, "Content-Type": content_type} if content_type else dict(AUTH)
    response = client.post("/api/v1/events", content=orjson.dumps(event()), headers=headers)
    assert response.status_code == 415
    assert "Content-Type" in response.json()["detail"]
    assert stored_count(client) == 0


@pytest.mark.parametrize("body", [[], "launch", 5, None])
def test_body_that_is_not_events_is_422(client: TestClient, body: Any) -> None:
    assert post(client, body).status_code == 422


def test_more_than_10000_events_is_413(client: TestClient) -> None:
    response = post(client, [{"kind": "launch"}] * 10_001)
    assert response.status_code == 413
    assert "10000" in response.json()["detail"]
    assert stored_count(client) == 0


def test_body_over_8_mib_is_413(client: TestClient) -> None:
    body = orjson.dumps([event(note="n" * 1000)] * 9000)
    assert len(body) > 8 * 1024 * 1024
    response = client.post(
        "/api/v1/events", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert stored_count(client) == 0


def test_body_over_limit_without_content_length_is_413(client: TestClient) -> None:
    def chunks() -> Any:
        yield b"["
        for _ in range(9000):
            yield orjson.dumps(event(note="n" * 1000)) + b","
        yield orjson.dumps(event()) + b"]"

    response = client.post(
        "/api/v1/events", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dGVzdA=="}],
    ids=["none", "wrong", "basic"],
)
def test_missing_or_wrong_token_is_401(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/api/v1/events", json=event(), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "token" in response.json()["detail"]
    assert stored_count(client) == 0


def test_exactly_10000_events_are_accepted(client: TestClient) -> None:
    response = post(client, [event() for _ in range(10_000)])
    assert response.status_code == 201
    assert response.json()["accepted"] == 10_000
