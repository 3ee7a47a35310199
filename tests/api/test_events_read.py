"""GET /api/v1/events (filters, JSON Lines) and DELETE /api/v1/events/{id}."""

from __future__ import annotations

import orjson
from fastapi.testclient import TestClient

from tests.helpers.api_events import event, post
from tests.helpers.app_client import AUTH


def seed(client: TestClient) -> None:
    post(
        client,
        [
            event(id="a", region="UA-30"),
            event(id="b", kind="shot_down", weapon="cruise_missile", region="UA-32"),
            event(id="c", occurred_at="2025-07-04T13:00:00+03:00"),
            event(id="d", kind="impact", weapon=None, city="Kharkiv"),
        ],
    )


def ids(response_json: list[dict[str, object]]) -> list[object]:
    return [record["id"] for record in response_json]


def test_filters(client: TestClient) -> None:
    seed(client)
    get = client.get
    assert ids(get("/api/v1/events", params={"night": "2025-07-04"}).json()) == ["a", "b", "d"]
    assert ids(get("/api/v1/events", params={"night": "2025-07-05"}).json()) == ["c"]
    assert ids(get("/api/v1/events", params={"kind": "shot_down"}).json()) == ["b"]
    assert ids(get("/api/v1/events", params={"weapon": "drone"}).json()) == ["a", "c"]
    assert ids(get("/api/v1/events", params={"region": "Kharkiv oblast"}).json()) == ["d"]
    assert ids(get("/api/v1/events", params={"since": 2}).json()) == ["c", "d"]
    assert ids(get("/api/v1/events", params={"since": 1, "limit": 2}).json()) == ["b", "c"]


def test_bad_filters_are_422_naming_the_parameter(client: TestClient) -> None:
    cases: list[tuple[dict[str, str | int], str]] = [
        ({"kind": "boom"}, "kind"),
        ({"weapon": "laser"}, "weapon"),
        ({"region": "Atlantis"}, "region"),
        ({"night": "yesterday"}, "night"),
        ({"since": -1}, "since"),
        ({"limit": 0}, "limit"),
        ({"format": "xml"}, "format"),
    ]
    for params, field in cases:
        response = client.get("/api/v1/events", params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"][0]["field"] == field


def test_jsonl_streams_every_record_in_seq_order(client: TestClient) -> None:
    post(client, [event(id=f"j{index}") for index in range(2500)])
    response = client.get("/api/v1/events", params={"format": "jsonl"})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = response.content.splitlines()
    records = [orjson.loads(line) for line in lines]
    assert len(records) == 2500
    assert [record["seq"] for record in records] == list(range(1, 2501))
    assert records[0]["id"] == "j0"
    assert records[0]["night"] == "2025-07-04"


def test_retraction_keeps_the_event_and_leaves_it_out_of_tallies(client: TestClient) -> None:
    post(client, [event(id="keep", count=3), event(id="gone", count=4)])
    response = client.delete("/api/v1/events/gone", headers=AUTH)
    assert response.status_code == 200
    assert response.json() == {"id": "gone", "seq": 2, "retracted": True}
    records = client.get("/api/v1/events").json()
    assert [(record["id"], record["retracted"]) for record in records] == [
        ("keep", False),
        ("gone", True),
    ]
    stats = client.get("/api/v1/stats", params={"night": "2025-07-04"}).json()
    assert stats["launched"]["drone"] == 3
    assert client.delete("/api/v1/events/gone", headers=AUTH).status_code == 200
    nights = client.get("/api/v1/nights").json()
    assert nights[0]["launched"] == 3


def test_retraction_takes_a_new_seq_so_later_posts_stay_above_it(client: TestClient) -> None:
    post(client, event(id="one"))
    client.delete("/api/v1/events/one", headers=AUTH)
    assert post(client, event(id="two")).json()["seqs"] == [3]


def test_retract_unknown_is_404_and_needs_a_token(client: TestClient) -> None:
    assert client.delete("/api/v1/events/none", headers=AUTH).status_code == 404
    post(client, event(id="mine"))
    assert client.delete("/api/v1/events/mine").status_code == 401
    bad = client.delete("/api/v1/events/has%20space", headers=AUTH)
    assert bad.status_code == 422


def test_a_json_page_is_at_most_10000_events_and_links_the_next(client: TestClient) -> None:
    """Issue 15: an answer the server must hold whole is bounded; the rest is a cursor away."""
    assert client.get("/api/v1/events", params={"limit": 10_001}).status_code == 422
    refused = client.get("/api/v1/events", params={"limit": 100_000}).json()["detail"]
    assert refused[0]["field"] == "limit"
    batch = [event(id=f"p{index}", count=1) for index in range(25)]
    assert post(client, batch).status_code == 201
    seen: list[str] = []
    url: str | None = "/api/v1/events?kind=launch&limit=10"
    pages = 0
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200
        seen += [record["id"] for record in response.json()]
        link = response.headers.get("link")
        url = link.split(";")[0].strip("<>") if link else None
        pages += 1
    assert seen == [item["id"] for item in batch]
    assert pages == 3  # 10, 10, then 5 and no link
    assert len(client.get("/api/v1/events", params={"format": "jsonl"}).text.splitlines()) == 25
