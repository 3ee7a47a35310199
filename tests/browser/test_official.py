"""A night's official report on the page: shown instead of the observed figures (never added),
with who stated it and when, "—" for what it leaves out, and live as reports come and go."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.helpers.air_force_posts import ISSUED, post_text
from tests.helpers.counters import counters_from_stats
from tests.helpers.pages import WatchedPage, open_night
from tests.helpers.server_events import NIGHT, launches, other, post
from tests.helpers.server_process import AUTH, ServerProcess

# A live view reads its night's reports every 5 s; this leaves a loaded machine room.
REPORT_SHOWN_MS = 20_000


def post_report(server: ServerProcess, **fields: Any) -> dict[str, Any]:
    body = {
        "id": "af-0704",
        "night": NIGHT,
        "issuer": "air_force",
        "scope": "national",
        "issued_at": "2025-07-04T09:15:00+03:00",
        # Since July 2025: one combined "shot down or suppressed" figure, no split.
        "lines": [
            {"weapon": "drone", "model": "Shahed-136", "launched": 539, "neutralized": 476},
            {"weapon": "cruise_missile", "model": "Kh-101", "launched": 11, "neutralized": 7},
        ],
        **fields,
    }
    answer = httpx.post(f"{server.url}/api/v1/reports", json=body, headers=AUTH, timeout=30)
    assert answer.status_code == 201, answer.text
    return body


def stats(server: ServerProcess, night: str = NIGHT) -> dict[str, Any]:
    answer = httpx.get(f"{server.url}/api/v1/stats", params={"night": night}, timeout=30)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def expect_counters(page: Page, server: ServerProcess, night: str = NIGHT) -> None:
    for element, text in counters_from_stats(stats(server, night)).items():
        expect(page.locator(f"#{element}")).to_have_text(text, timeout=REPORT_SHOWN_MS)


def test_the_report_is_shown_with_its_source_and_nothing_is_added(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    post(dashboard_server, [*launches(40), other("shot_down", "01:00", weapon="drone", count=9)])
    post_report(dashboard_server, hit_locations=None)
    page = watched_page.page
    open_night(page, dashboard_server)
    expect(page.locator("#count-drones-launched")).to_have_text("539")
    expect_counters(page, dashboard_server)
    expect(page.locator("#count-drones-launched-source")).to_have_text(
        "Air Force report, 09:15 · observed 40"
    )
    # The report gives one combined figure: shot down alone is not reported, not 0.
    expect(page.locator("#count-shot-down")).to_have_text("—")
    expect(page.locator("#count-shot-down-source")).to_contain_text("not reported separately")
    expect(page.locator("#count-impacts")).to_have_text("—")
    expect(page.locator("#count-impacts-label")).to_have_text("Places hit")
    expect(page.locator("#interception-source")).to_have_text("Air Force report, 09:15")
    table = page.locator("#interception-table")
    expect(table).to_contain_text("Kh-101")
    expect(table).to_contain_text("476")
    assert watched_page.console_errors == []


def test_a_report_posted_or_retracted_while_the_page_is_open_shows(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    post(dashboard_server, launches(12))
    page = watched_page.page
    open_night(page, dashboard_server)
    expect(page.locator("#count-drones-launched")).to_have_text("12")
    expect(page.locator("#count-drones-launched-source")).to_have_text("observed events")
    post_report(dashboard_server)
    expect(page.locator("#count-drones-launched")).to_have_text("539", timeout=REPORT_SHOWN_MS)
    expect_counters(page, dashboard_server)
    gone = httpx.delete(f"{dashboard_server.url}/api/v1/reports/af-0704", headers=AUTH)
    assert gone.status_code == 200
    expect(page.locator("#count-drones-launched")).to_have_text("12", timeout=REPORT_SHOWN_MS)
    expect(page.locator("#interception-source")).to_have_text("observed events")


def test_a_night_with_a_report_and_no_events_is_listed_and_shown(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    post(dashboard_server, launches(3))
    post_report(
        dashboard_server, id="af-0626", night="2025-06-26", issued_at="2025-06-26T08:30:00+03:00"
    )
    page = watched_page.page
    open_night(page, dashboard_server)
    page.locator("#night-picker").click()
    # Each night is listed with its date spelled out and its total (issue 14).
    option = page.get_by_text(re.compile(r"^2025-06-26 · "))
    expect(option).to_be_visible()
    option.click()
    page.wait_for_url("**/?night=2025-06-26")
    expect(page.locator("#connection-status")).to_have_text("archive", timeout=15_000)
    expect_counters(page, dashboard_server, "2025-06-26")
    expect(page.locator("#count-drones-launched-source")).to_have_text("Air Force report, 08:30")
    report = httpx.get(f"{dashboard_server.url}/api/v1/nights/2025-06-26/report", timeout=60)
    assert report.status_code == 200
    assert "Air Force report, 08:30" in report.text
    assert "not reported" in report.text


def test_a_parsed_air_force_post_is_the_nights_figures_on_the_page(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    name = "03_2025-06-23_night.txt"
    body = {"text": post_text(name), "issued_at": ISSUED[name].isoformat(), "store": True}
    url = f"{dashboard_server.url}/api/v1/reports/parse"
    answer = httpx.post(url, json=body, headers=AUTH, timeout=30)
    assert answer.status_code == 201, answer.text
    night = answer.json()["report"]["night"]
    page = watched_page.page
    page.goto(f"{dashboard_server.url}/?night={night}")
    expect(page.locator("#connection-status")).to_have_text("archive", timeout=15_000)
    expect_counters(page, dashboard_server, night)
    expect(page.locator("#count-drones-launched-source")).to_have_text("Air Force report, 09:20")
    stored = httpx.get(f"{dashboard_server.url}/api/v1/nights/{night}/reports").json()
    assert [report["text"] for report in stored] == [body["text"]]
