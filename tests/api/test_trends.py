"""GET /api/v1/trends: one source a night, null not zero, rates over nights stating both,
alert hours, CSV, and refusals naming the field (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.helpers.api_events import event, post
from tests.helpers.app_client import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def report(night: str, lines: list[dict[str, object]], **extra: object) -> dict[str, object]:
    return {
        "night": night,
        "issuer": "air_force",
        "scope": "national",
        "issued_at": f"{night}T09:00:00+03:00",
        "lines": lines,
        **extra,
    }


def post_reports(client: TestClient, reports: list[dict[str, object]]) -> None:
    answer = client.post("/api/v1/reports", json=reports, headers=AUTH)
    assert answer.status_code == 201, answer.text


def test_a_reported_night_counts_its_report_and_never_its_events_too(client: TestClient) -> None:
    # 2025-07-04: events and a report (the report counts); 2025-07-05: events only.
    post(
        client,
        [
            event(count=100),
            event(kind="shot_down", count=80),
            event(count=10, occurred_at="2025-07-04T23:00:00+03:00"),
            event(kind="suppressed", count=5, occurred_at="2025-07-04T23:10:00+03:00"),
        ],
    )
    post_reports(
        client,
        [report("2025-07-04", [{"weapon": "drone", "launched": 500, "neutralized": 450}])],
    )
    rows = client.get("/api/v1/trends", params={"from": "2025-07", "to": "2025-07"}).json()
    assert [row["period"] for row in rows] == ["2025-07"]
    (row,) = rows
    assert row["launched"]["drone"] == 510
    assert row["neutralized"]["drone"] == 455
    assert row["sources"] == {"official": 1, "observed": 1}
    assert row["nights"] == 2
    # Not stated by the report, observed 0 on the other night: the sum is that night's 0.
    assert row["shot_down"]["drone"] == 0
    # No night states a cruise missile figure: null, not 0.
    assert row["launched"]["cruise_missile"] is None
    assert row["neutralized_rate"] == pytest.approx(455 / 510)
    # Only the observed night states both shot down and launched.
    assert row["shot_down_rate"] == 0
    assert row["suppressed_rate"] == pytest.approx(5 / 10)


def test_periods_by_night_and_week_include_empty_ones(client: TestClient) -> None:
    post(client, [event(count=3)])
    nights = client.get(
        "/api/v1/trends", params={"from": "2025-07-03", "to": "2025-07-05", "by": "night"}
    ).json()
    assert [(row["period"], row["nights"]) for row in nights] == [
        ("2025-07-03", 0),
        ("2025-07-04", 1),
        ("2025-07-05", 0),
    ]
    assert nights[0]["launched"]["drone"] is None
    assert nights[0]["neutralized_rate"] is None
    weeks = client.get(
        "/api/v1/trends", params={"from": "2025-06-30", "to": "2025-07-13", "by": "week"}
    ).json()
    assert [row["period"] for row in weeks] == ["2025-W27", "2025-W28"]


def test_alert_hours_by_region_and_the_region_filter(client: TestClient) -> None:
    post(
        client,
        [
            event(
                kind="alert_start",
                weapon=None,
                model=None,
                region="UA-30",
                occurred_at="2025-07-04T01:00:00+03:00",
            ),
            event(
                kind="alert_end",
                weapon=None,
                model=None,
                region="UA-30",
                occurred_at="2025-07-04T02:30:00+03:00",
            ),
            event(
                kind="alert_start",
                weapon=None,
                model=None,
                region="UA-46",
                occurred_at="2025-07-04T03:00:00+03:00",
            ),
            event(
                kind="alert_end",
                weapon=None,
                model=None,
                region="UA-46",
                occurred_at="2025-07-04T04:00:00+03:00",
            ),
        ],
    )
    params = {"from": "2025-07", "to": "2025-07"}
    (row,) = client.get("/api/v1/trends", params=params).json()
    assert row["alert_hours"] == {"UA-30": 1.5, "UA-46": 1.0}
    # Alert events alone state no figure.
    assert row["nights"] == 0
    assert row["launched"]["drone"] is None
    (kyiv,) = client.get("/api/v1/trends", params={**params, "region": "Kyiv"}).json()
    assert kyiv["alert_hours"] == {"UA-30": 1.5}


def test_csv_has_the_same_rows(client: TestClient) -> None:
    post(client, [event(count=7)])
    params = {"from": "2025-06", "to": "2025-07", "weapon": "drone,decoy"}
    rows = client.get("/api/v1/trends", params=params).json()
    answer = client.get("/api/v1/trends", params={**params, "format": "csv"})
    assert answer.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(answer.text)))
    assert [line["period"] for line in table] == [row["period"] for row in rows]
    assert table[1]["launched_drone"] == "7"
    assert table[1]["launched_decoy"] == ""  # not reported
    assert table[0]["launched_drone"] == ""
    assert "launched_cruise_missile" not in table[0]
    assert set(rows[1]["launched"]) == {"drone", "decoy"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"by": "year"}, "by"),
        ({"from": "2025-13"}, "from"),
        ({"from": "July"}, "from"),
        ({"to": "2025-07-32"}, "to"),
        ({"from": "2025-08", "to": "2025-07"}, "to"),
        ({"weapon": "rocket"}, "weapon"),
        ({"region": "Atlantis"}, "region"),
        ({"format": "xml"}, "format"),
    ],
)
def test_bad_parameters_are_a_422_naming_the_field(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    answer = client.get("/api/v1/trends", params=params)
    assert answer.status_code == 422, answer.text
    assert field in str(answer.json()["detail"])
