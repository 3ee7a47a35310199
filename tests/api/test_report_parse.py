# ruff: noqa: RUF001
"""POST /api/v1/reports/parse: a kpszsu post in, a report out; stored on request like
POST /reports (duplicates, 409), every refusal a JSON 4xx naming `text`, never a 500."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from tests.helpers.air_force_posts import ISSUED, post_text
from tests.helpers.api_reports import night_reports, official, post_reports
from tests.helpers.app_client import AUTH

POST = "02_2026-09-22_night_list.txt"
NIGHT = "2026-09-22"


def parse(client: TestClient, body: Any, headers: dict[str, str] | None = None) -> Any:
    sent = {**AUTH, "Content-Type": "application/json"} if headers is None else headers
    return client.post("/api/v1/reports/parse", content=orjson.dumps(body), headers=sent)


def request(**fields: Any) -> dict[str, Any]:
    return {"text": post_text(POST), "issued_at": ISSUED[POST].isoformat(), **fields}


def test_parse_answers_the_report_without_storing_it(client: TestClient) -> None:
    answer = parse(client, request(url="https://t.me/kpszsu/41000"))
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"report", "unparsed", "warnings"}
    report = body["report"]
    assert (report["night"], report["issuer"], report["scope"]) == (NIGHT, "air_force", "national")
    assert report["url"] == "https://t.me/kpszsu/41000"
    assert [line["launched"] for line in report["lines"]] == [None, 4, 8, 212]
    assert body["unparsed"] == []
    assert night_reports(client, NIGHT) == []
    # The report is valid for POST /reports as it is.
    assert post_reports(client, report).status_code == 201


def test_store_then_duplicate_then_conflict(client: TestClient) -> None:
    stored = parse(client, request(store=True))
    assert stored.status_code == 201
    report = stored.json()["report"]
    [listed] = night_reports(client, NIGHT)
    assert listed["id"] == report["id"]
    assert listed["text"] == post_text(POST)
    again = parse(client, request(store=True))
    assert (again.status_code, again.json()["report"]["id"]) == (200, report["id"])
    # Same post (same id), other content: refused, nothing changed.
    conflict = parse(client, request(store=True, url="https://t.me/kpszsu/1"))
    assert conflict.status_code == 409
    [problem] = conflict.json()["detail"]
    assert problem["field"] == "id"
    assert len(night_reports(client, NIGHT)) == 1


def test_a_stored_post_is_the_nights_official_figures(client: TestClient) -> None:
    assert parse(client, request(store=True)).status_code == 201
    figures = official(client, NIGHT)
    assert figures["launched"] == {"drone": 212, "cruise_missile": 12, "ballistic_missile": None}
    assert figures["neutralized"] == {"drone": 177, "cruise_missile": 9, "ballistic_missile": None}
    assert figures["affected_regions"] == ["UA-12", "UA-35", "UA-53"]


def test_the_write_token_is_required(client: TestClient) -> None:
    answer = parse(client, request(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 401


@pytest.mark.parametrize(
    "text",
    [
        "",
        "я" * 20_001,
        "Сьогодні у Києві сонячно, температура 20 градусів, вітер слабкий. Гарного дня!",
        "Last night Russia launched 100 drones and 5 missiles at Ukraine; 90 were shot down.",
        42,
        None,
    ],
)
def test_bad_text_is_a_422_naming_text(client: TestClient, text: Any) -> None:
    answer = parse(client, {"text": text, "store": True})
    assert answer.status_code == 422
    [problem] = answer.json()["detail"]
    assert problem["field"] == "text"
    assert problem["msg"].startswith("text: ")
    assert night_reports(client, NIGHT) == []


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "text"),
        ({"text": "x", "store": "yes"}, 422, "store"),
        ({"text": "x", "issued_at": "tomorrow"}, 422, "issued_at"),
        ({"text": "x", "extra": 1}, 422, "extra"),
        ([], 422, None),
    ],
)
def test_bad_fields(client: TestClient, body: Any, status: int, field: str | None) -> None:
    answer = parse(client, body)
    assert answer.status_code == status
    detail = answer.json()["detail"]
    if field is not None:
        assert detail[0]["field"] == field


def test_a_body_over_100_kb_is_a_413(client: TestClient) -> None:
    answer = parse(client, {"text": "я" * 60_000})
    assert answer.status_code == 413


def test_other_methods_are_a_405_allowing_post(client: TestClient) -> None:
    # /reports/parse is its own endpoint, not a report id of DELETE /reports/{id}.
    answer = client.request("OPTIONS", "/api/v1/reports/parse", headers=AUTH)
    assert (answer.status_code, answer.headers["Allow"]) == (405, "POST")
