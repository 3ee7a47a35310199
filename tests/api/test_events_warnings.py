"""POST /api/v1/events `warnings`: what was stored but could not be placed, by index and field."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers.api_events import event, post


def test_an_unknown_city_without_a_region_is_stored_with_a_warning(client: TestClient) -> None:
    response = post(client, event(kind="impact", weapon=None, city="Atlantis"))
    assert response.status_code == 201
    answer = response.json()
    assert (answer["accepted"], answer["duplicates"], answer["seqs"]) == (1, 0, [1])
    [warning] = answer["warnings"]
    assert (warning["index"], warning["field"]) == (None, "city")
    assert "unknown city 'Atlantis'" in warning["msg"]
    assert "no position" in warning["msg"]
    [record] = client.get("/api/v1/events").json()
    assert (record["city"], record["region"], record["lat"]) == ("Atlantis", None, None)


def test_a_batch_names_each_unplaced_event_by_index(client: TestClient) -> None:
    batch = [
        event(kind="impact", weapon=None, city="Kyiv"),  # placed by its city
        event(kind="debris", weapon=None),  # no city, no region
        event(),  # a launch: no region is its norm
        event(kind="shot_down", city="Nowhere-on-the-map"),
        event(kind="impact", weapon=None, city="Atlantis", region="UA-32"),  # region given
    ]
    answer = post(client, batch).json()
    assert answer["accepted"] == 5
    assert [(w["index"], w["field"]) for w in answer["warnings"]] == [(1, "region"), (3, "city")]
    assert "no region" in answer["warnings"][0]["msg"]


def test_a_duplicate_repeats_its_warning(client: TestClient) -> None:
    post(client, event(id="d1", kind="impact", weapon=None, city="Atlantis"))
    again = post(client, event(id="d1", kind="impact", weapon=None, city="Atlantis"))
    assert again.status_code == 200
    assert [w["field"] for w in again.json()["warnings"]] == ["city"]


def test_the_openapi_schema_declares_warnings(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert "warnings" in schema["IngestResult"]["properties"]
    assert set(schema["IngestWarning"]["properties"]) == {"index", "field", "msg"}
