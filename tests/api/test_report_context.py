"""GET /api/v1/nights/{night}/report: the night against the 30 nights before it (issue 16):
its launched and neutralization rate beside the nights before's mean launched and rate."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient

from backend.domain.nights import night_window
from dashboard.i18n import texts
from tests.helpers.app_client import AUTH

NIGHT = date(2025, 7, 4)
# (days before the night, launched, shot down); the night itself is 0.
FIGURES = [(0, 100, 70), (1, 40, 30), (3, 60, 30), (30, 20, 20), (31, 500, 0)]


def post_nights(client: TestClient) -> None:
    events = []
    for days, launched, shot_down in FIGURES:
        at = night_window(NIGHT - timedelta(days=days))[0] + timedelta(hours=10)
        for kind, count in (("launch", launched), ("shot_down", shot_down)):
            if count == 0:  # a count is at least 1: none shot down is no event
                continue
            events.append(
                {
                    "id": f"{kind}-{days}",
                    "kind": kind,
                    "weapon": "drone",
                    "count": count,
                    "region": "UA-30",
                    "occurred_at": at.isoformat(),
                }
            )
    assert client.post("/api/v1/events", json=events, headers=AUTH).status_code == 201


def context_cells(page: str) -> list[list[str]]:
    table = re.search(r'<table id="report-context">.*?<tbody>(.*?)</tbody>', page, re.DOTALL)
    assert table is not None
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1))
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]


def test_the_report_sets_the_night_against_the_30_nights_before(client: TestClient) -> None:
    post_nights(client)
    page = client.get(f"/api/v1/nights/{NIGHT}/report?lang=en")
    assert page.status_code == 200
    t = texts("en")
    # Night 31 before is outside the 30 nights; nights without events state nothing.
    before = [(launched, shot) for days, launched, shot in FIGURES if 1 <= days <= 30]
    mean = sum(launched for launched, _ in before) / len(before)
    rate = sum(shot for _, shot in before) / sum(launched for launched, _ in before)
    assert context_cells(page.text) == [
        ["Launched", t.number(100), t.number(round(mean))],
        ["Neutralization rate", t.percent(0.7), t.percent(rate)],
    ]
    assert f"{len(before)} nights state launched" in page.text


def test_the_context_speaks_ukrainian_and_says_not_reported(client: TestClient) -> None:
    event = {"id": "alone", "kind": "launch", "weapon": "drone", "count": 5, "region": "UA-30"}
    event["occurred_at"] = (night_window(NIGHT)[0] + timedelta(hours=10)).isoformat()
    assert client.post("/api/v1/events", json=event, headers=AUTH).status_code == 201
    page = client.get(f"/api/v1/nights/{NIGHT}/report?lang=uk").text
    uk = texts("uk")
    assert uk("Against the 30 nights before") in page
    assert uk("Against the 30 nights before") != "Against the 30 nights before"
    missing = uk("not reported")
    assert context_cells(page)[0][1:] == [uk.number(5), missing]
    assert context_cells(page)[1][2] == missing
