"""Official figures in GET /stats and GET /nights: summed over a night's counted national
reports, never added to the observed events, null where no report states a figure."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.helpers.api_events import event, post
from tests.helpers.api_reports import official, post_reports, report
from tests.helpers.app_client import AUTH


def test_a_night_without_reports_has_null_official(client: TestClient) -> None:
    assert official(client) is None
    post_reports(client, report(scope="regional", issuer="air_command_east"))
    assert official(client) is None


def test_stats_official_exactly(client: TestClient) -> None:
    post_reports(client, report(hit_locations=8, affected_regions=["Kyiv"]))
    assert official(client) == {
        "report_ids": ["af-0704-1"],
        "issuers": ["air_force"],
        "issued_at": "2025-07-04T06:00:00Z",
        "launched": {"drone": 539, "cruise_missile": 11},
        "shot_down": {"drone": None, "cruise_missile": 2},
        "suppressed": {"drone": None, "cruise_missile": None},
        "neutralized": {"drone": 476, "cruise_missile": None},
        "neutralized_rate": pytest.approx(476 / 539),
        "hit_locations": 8,
        "debris_locations": None,
        "affected_regions": ["UA-30"],
    }


def test_two_national_posts_of_a_night_add_up(client: TestClient) -> None:
    morning = report(lines=[{"weapon": "drone", "launched": 400, "shot_down": 380}])
    evening = report(
        id="af-0704-2",
        issued_at="2025-07-04T18:00:00+03:00",
        lines=[
            {"weapon": "drone", "launched": 139, "shot_down": 90, "suppressed": 6},
            {"weapon": "ballistic_missile", "launched": 11},
        ],
    )
    post_reports(client, [evening, morning])
    figures = official(client)
    assert figures["report_ids"] == ["af-0704-1", "af-0704-2"]
    assert figures["issued_at"] == "2025-07-04T15:00:00Z"
    assert figures["launched"] == {"drone": 539, "ballistic_missile": 11}
    assert figures["shot_down"] == {"drone": 470, "ballistic_missile": None}
    assert figures["suppressed"] == {"drone": 6, "ballistic_missile": None}
    assert figures["neutralized"] == {"drone": 96, "ballistic_missile": None}


def test_regional_reports_are_not_counted(client: TestClient) -> None:
    south = report(
        id="south-1",
        scope="regional",
        issuer="air_command_south",
        lines=[{"weapon": "drone", "launched": 60}],
    )
    post_reports(client, [report(), south])
    figures = official(client)
    assert figures["report_ids"] == ["af-0704-1"]
    assert figures["launched"]["drone"] == 539


def test_a_correction_replaces_and_a_retraction_removes(client: TestClient) -> None:
    post_reports(client, report())
    fix = report(
        id="af-0704-fix", supersedes="af-0704-1", lines=[{"weapon": "drone", "launched": 550}]
    )
    post_reports(client, fix)
    assert official(client)["launched"] == {"drone": 550}
    client.delete("/api/v1/reports/af-0704-fix", headers=AUTH)
    assert official(client)["report_ids"] == ["af-0704-1"]  # the correction is gone
    client.delete("/api/v1/reports/af-0704-1", headers=AUTH)
    assert official(client) is None


def test_observed_stats_are_unchanged_by_reports(client: TestClient) -> None:
    post(client, [event(count=40), event(kind="shot_down", count=30)])
    before = client.get("/api/v1/stats", params={"night": "2025-07-04"}).json()
    post_reports(client, report())
    after = client.get("/api/v1/stats", params={"night": "2025-07-04"}).json()
    assert before["official"] is None
    assert {key: value for key, value in after.items() if key != "official"} == {
        key: value for key, value in before.items() if key != "official"
    }
    assert after["launched"]["drone"] == 40


def test_ranges_of_nights_add_up_and_ranges_of_times_have_none(client: TestClient) -> None:
    post_reports(client, [report(), report(id="af-0705-1", night="2025-07-05")])
    nights = client.get("/api/v1/stats", params={"from": "2025-07-04", "to": "2025-07-05"})
    assert nights.json()["official"]["launched"]["drone"] == 2 * 539
    times = {"from": "2025-07-03T12:00:00Z", "to": "2025-07-05T12:00:00Z"}
    assert client.get("/api/v1/stats", params=times).json()["official"] is None


def test_nights_lists_observed_and_official_with_report_only_nights(client: TestClient) -> None:
    post(client, [event(count=5), event(kind="shot_down", count=4)])
    post_reports(client, report(night="2025-07-06", id="af-0706-1"))
    nights = client.get("/api/v1/nights").json()
    assert [night["night"] for night in nights] == ["2025-07-04", "2025-07-06"]
    with_events, report_only = nights
    assert with_events["launched"] == 5
    assert with_events["observed"] == {
        "events": 2,
        "launched": 5,
        "shot_down": 4,
        "suppressed": 0,
        "impacts": 0,
        "debris": 0,
    }
    assert with_events["official"] is None
    assert (report_only["events"], report_only["first_at"], report_only["last_at"]) == (
        0,
        None,
        None,
    )
    assert report_only["official"] == {
        "launched": 550,
        "shot_down": 2,
        "suppressed": None,
        "neutralized": 476,
    }


def test_the_stream_snapshot_carries_the_same_official(client: TestClient) -> None:
    post_reports(client, report())
    with client.websocket_connect("/api/v1/stream?night=2025-07-04") as ws:
        snapshot = ws.receive_json()
    assert snapshot["type"] == "snapshot"
    body = client.get("/api/v1/stats", params={"night": "2025-07-04"}).json()
    assert snapshot["stats"] == body
    assert snapshot["stats"]["official"]["report_ids"] == ["af-0704-1"]
