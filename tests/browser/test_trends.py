"""The Trends page (/trends) in Chromium, in both languages: its three figures drawn from the
server's GET /trends, hover labels, each figure's CSV, the period picker, the header's link
from the night page, and no serious or critical axe-core violation."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.helpers.axe import serious_violations
from tests.helpers.pages import WatchedPage
from tests.helpers.server_process import TOKEN, ServerProcess

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def load(server: ServerProcess) -> None:
    with server.client(**AUTH) as http:
        events = [
            {
                "kind": "launch",
                "weapon": "drone",
                "count": 120,
                "region": "UA-30",
                "occurred_at": "2025-06-10T01:00:00+03:00",
            },
            {
                "kind": "shot_down",
                "weapon": "drone",
                "count": 90,
                "region": "UA-30",
                "occurred_at": "2025-06-10T01:10:00+03:00",
            },
            {"kind": "alert_start", "region": "UA-30", "occurred_at": "2025-07-04T01:00:00+03:00"},
            {"kind": "alert_end", "region": "UA-30", "occurred_at": "2025-07-04T03:00:00+03:00"},
        ]
        assert http.post("/api/v1/events", json=events).status_code == 201
        report = {
            "night": "2025-07-04",
            "issuer": "air_force",
            "scope": "national",
            "issued_at": "2025-07-04T09:00:00+03:00",
            "lines": [
                {"weapon": "drone", "launched": 539, "neutralized": 476},
                {"weapon": "cruise_missile", "launched": 11, "shot_down": 9},
            ],
        }
        assert http.post("/api/v1/reports", json=report).status_code == 201


@pytest.mark.parametrize(("lang", "title"), [("en", "Trends"), ("uk", "Тенденції")])
def test_trends_page_draws_its_figures_in_both_languages(
    dashboard_server: ServerProcess, watched_page: WatchedPage, lang: str, title: str
) -> None:
    load(dashboard_server)
    page = watched_page.page
    page.goto(f"{dashboard_server.url}/trends?from=2025-05&to=2025-07&lang={lang}")
    expect(page.locator("h1")).to_have_text(f"Skywatch: {title}")
    assert page.locator("html").get_attribute("lang") == lang
    for key in ("launched", "rates", "alerts"):
        expect(page.locator(f"#trends-{key} .main-svg").first).to_be_visible()
    # Hover June's drone bar (120 observed): its label shows the figure. May's has no height.
    box = page.locator("#trends-launched .bars .point path").nth(1).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#trends-launched .hoverlayer .hovertext").first).to_contain_text("120")
    answer = page.request.get(
        f"{dashboard_server.url}{page.locator('#csv-launched').get_attribute('href')}"
    )
    table = list(csv.DictReader(io.StringIO(answer.text())))
    assert [(row["period"], row["drone"], row["cruise_missile"]) for row in table] == [
        ("2025-05", "", ""),
        ("2025-06", "120", ""),
        ("2025-07", "539", "11"),
    ]
    alerts = page.request.get(
        f"{dashboard_server.url}{page.locator('#csv-alerts').get_attribute('href')}"
    )
    assert list(csv.DictReader(io.StringIO(alerts.text())))[2]["UA-30"] == "2.0"
    assert serious_violations(page) == []
    assert watched_page.console_errors == []
    assert watched_page.outside_requests() == []


def test_the_picker_changes_the_period_and_the_header_links_here(
    dashboard_server: ServerProcess, watched_page: WatchedPage
) -> None:
    load(dashboard_server)
    page = watched_page.page
    page.goto(f"{dashboard_server.url}/?night=2025-07-04&lang=en")
    link = page.locator("#trends-link")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url("**/trends?*")
    page.fill("#trends-picker input[name=from]", "2025-06")
    page.fill("#trends-picker input[name=to]", "2025-07")
    page.select_option("#trends-picker select[name=by]", "week")
    page.click("#trends-picker button[type=submit]")
    page.wait_for_url("**by=week**")
    ticks = page.locator("#trends-launched .xtick text").all_text_contents()
    assert ticks[0] == "2025-W22"
    assert watched_page.console_errors == []
