"""POST /api/v1/reports, DELETE /reports/{id} and GET /nights/{night}/reports: atomic and
idempotent like events, every refusal a JSON 4xx naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.api_reports import night_reports, post_reports, report
from tests.helpers.app_client import AUTH


def test_post_one_report_then_list_it(client: TestClient) -> None:
    answer = post_reports(client, report(affected_regions=["Kyiv", "UA-32"], hit_locations=8))
    assert answer.status_code == 201
    assert answer.json() == {"accepted": 1, "duplicates": 0, "ids": ["af-0704-1"]}
    [stored] = night_reports(client)
    assert stored["id"] == "af-0704-1"
    assert stored["issued_at"] == "2025-07-04T06:00:00Z"
    assert stored["affected_regions"] == ["UA-30", "UA-32"]
    assert stored["lines"][1]["suppressed"] is None
    assert (stored["superseded"], stored["retracted"]) == (False, False)


def test_post_an_array_in_issued_at_order(client: TestClient) -> None:
    later = report(id="af-0704-2", issued_at="2025-07-04T15:00:00+03:00")
    regional = report(id="south-1", scope="regional", issuer="air_command_south")
    answer = post_reports(client, [later, regional, report()])
    assert answer.status_code == 201
    assert answer.json()["ids"] == ["af-0704-2", "south-1", "af-0704-1"]
    assert [item["id"] for item in night_reports(client)] == ["af-0704-1", "south-1", "af-0704-2"]


def test_reposting_is_a_duplicate_and_other_content_a_409(client: TestClient) -> None:
    post_reports(client, report())
    again = post_reports(client, [report()])
    assert again.status_code == 200
    assert again.json() == {"accepted": 0, "duplicates": 1, "ids": ["af-0704-1"]}
    same_instant = post_reports(client, report(issued_at="2025-07-04T06:00:00Z"))
    assert same_instant.status_code == 200
    conflict = post_reports(client, [report(id="new-one"), report(note="changed")])
    assert conflict.status_code == 409
    [problem] = conflict.json()["detail"]
    assert (problem["index"], problem["field"]) == (1, "id")
    assert [item["id"] for item in night_reports(client)] == ["af-0704-1"]


def test_a_report_without_id_gets_a_stable_one(client: TestClient) -> None:
    data = report(id=None)
    first = post_reports(client, data)
    assert first.status_code == 201
    [derived] = first.json()["ids"]
    assert derived.startswith("r-")
    again = post_reports(client, data)
    assert again.json() == {"accepted": 0, "duplicates": 1, "ids": [derived]}


def test_a_bad_item_stores_nothing(client: TestClient) -> None:
    bad = report(id="af-0704-2", lines=[{"weapon": "drone", "launched": -5}])
    answer = post_reports(client, [report(), bad])
    assert answer.status_code == 422
    [problem] = answer.json()["detail"]
    assert (problem["index"], problem["field"]) == (1, "launched")
    assert night_reports(client) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"night": "04.07.2025"}, "night"),
        ({"night": None}, "night"),
        ({"issuer": "tass"}, "issuer"),
        ({"scope": "global"}, "scope"),
        ({"issued_at": "2025-07-04T09:00:00"}, "issued_at"),
        ({"window_end": "yesterday"}, "window_end"),
        ({"url": "u" * 501}, "url"),
        ({"text": "t" * 20_001}, "text"),
        ({"note": "n" * 1001}, "note"),
        ({"supersedes": "no spaces allowed"}, "supersedes"),
        ({"lines": []}, "lines"),
        ({"lines": [{"weapon": "drone"}] * 51}, "lines"),
        ({"lines": [{"weapon": "laser"}]}, "weapon"),
        ({"lines": [{"weapon": "drone", "model": "m" * 65}]}, "model"),
        ({"lines": [{"weapon": "drone", "launched": "539"}]}, "launched"),
        ({"lines": [{"weapon": "drone", "shot_down": 2_000_000}]}, "shot_down"),
        ({"lines": [{"weapon": "drone", "still_in_air": -1}]}, "still_in_air"),
        (
            {"lines": [{"weapon": "drone", "shot_down": 5, "suppressed": 5, "neutralized": 11}]},
            "neutralized",
        ),
        ({"debris_locations": -1}, "debris_locations"),
        ({"affected_regions": ["Mordor"]}, "affected_regions"),
        ({"launch_areas": ["x" * 201]}, "launch_areas"),
        ({"main_targets": "Kyiv"}, "main_targets"),
        ({"id": "x" * 65}, "id"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, fields: dict[str, Any], field: str
) -> None:
    answer = post_reports(client, report(**fields))
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/json"
    assert field in [problem["field"] for problem in answer.json()["detail"]]


@pytest.mark.parametrize(
    ("body", "status"), [(b"{", 400), (b"[]", 422), (b"42", 422), (b"null", 422)]
)
def test_bad_bodies_are_json_refusals(client: TestClient, body: bytes, status: int) -> None:
    headers = {**AUTH, "Content-Type": "application/json"}
    answer = client.post("/api/v1/reports", content=body, headers=headers)
    assert answer.status_code == status
    assert "detail" in answer.json()


def test_token_and_content_type_are_checked(client: TestClient) -> None:
    assert client.post("/api/v1/reports", json=report()).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.post("/api/v1/reports", json=report(), headers=wrong).status_code == 401
    text = {**AUTH, "Content-Type": "text/plain"}
    assert client.post("/api/v1/reports", content=b"{}", headers=text).status_code == 415
    assert client.delete("/api/v1/reports/af-0704-1").status_code == 401
    assert night_reports(client) == []


def test_supersedes_flags_the_corrected_report(client: TestClient) -> None:
    post_reports(client, report())
    fix = report(id="af-0704-fix", supersedes="af-0704-1", issued_at="2025-07-04T11:00:00+03:00")
    assert post_reports(client, fix).status_code == 201
    flags = {item["id"]: item["superseded"] for item in night_reports(client)}
    assert flags == {"af-0704-1": True, "af-0704-fix": False}


def test_supersedes_a_report_of_another_night_is_refused(client: TestClient) -> None:
    post_reports(client, report())
    other = report(id="af-0705-1", night="2025-07-05", supersedes="af-0704-1")
    answer = post_reports(client, [other])
    assert answer.status_code == 422
    [problem] = answer.json()["detail"]
    assert (problem["index"], problem["field"]) == (0, "supersedes")
    assert night_reports(client, "2025-07-05") == []


def test_retract_keeps_and_flags_it_twice_the_same(client: TestClient) -> None:
    post_reports(client, report())
    for _ in range(2):
        answer = client.delete("/api/v1/reports/af-0704-1", headers=AUTH)
        assert answer.status_code == 200
        assert answer.json() == {"id": "af-0704-1", "retracted": True}
    [stored] = night_reports(client)
    assert stored["retracted"] is True
    missing = client.delete("/api/v1/reports/nothing-here", headers=AUTH)
    assert missing.status_code == 404
    assert "detail" in missing.json()


def test_a_night_label_is_checked(client: TestClient) -> None:
    answer = client.get("/api/v1/nights/2025-13-01/reports")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "night"
