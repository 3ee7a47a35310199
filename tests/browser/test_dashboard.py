"""The live dashboard in Chromium: loads clean and offline, updates live, survives restarts."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from dashboard.page_scripts import LAZY_CHUNKS
from dashboard.plotly_bundle import BUNDLE
from tests.helpers.counters import counters_from_stats
from tests.helpers.pages import ARTIFACTS, WatchedPage, open_night
from tests.helpers.server_events import NIGHT, launches, other, post
from tests.helpers.server_process import ServerProcess

# The type of every trace in every chart on the page (Plotly's default is scatter).
DRAWN_TRACE_TYPES = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .flatMap((chart) => (chart.data || []).map((trace) => trace.type || 'scatter'))"""


def counter(page: Page, element: str) -> str:
    return (page.text_content(f"#{element}") or "").replace("\u2009", "")


def test_page_loads_clean_and_fetches_nothing_from_outside(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    post(dashboard_server, launches(12) + launches(3, "cruise_missile"))
    page = watched_page.page
    open_night(page, dashboard_server)
    expect(page.locator("#count-drones-launched")).to_have_text("12")
    expect(page.locator("#count-missiles-launched")).to_have_text("3")
    expect(page.locator("#night-label")).to_contain_text("July 2025")
    page.wait_for_timeout(1000)
    assert watched_page.console_errors == []
    assert watched_page.outside_requests() == []
    # The shipped basic bundle draws the page; Plotly's full 4.8 MB one is never fetched.
    plotly = [url for url in watched_page.requests if "plotly" in url]
    assert len(plotly) == 1
    assert f"/assets/vendor/{BUNDLE}" in plotly[0]
    # dcc's lazy chunks, preloaded with the page, are fetched once (the preload is used).
    for chunk in LAZY_CHUNKS:
        assert len([url for url in watched_page.requests if url.endswith(f"/{chunk}")]) == 1
    # Every trace the page draws is of a type the bundle has.
    bundled = page.evaluate("() => Object.keys(window.Plotly.PlotSchema.get().traces)")
    drawn = page.evaluate(DRAWN_TRACE_TYPES)
    assert {"scatter", "bar"} <= set(drawn) <= set(bundled), (drawn, bundled)


def test_posted_events_show_within_two_seconds(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    page = watched_page.page
    open_night(page, dashboard_server)
    post(
        dashboard_server,
        [*launches(5), other("impact", "01:10", id="kyiv-hit", weapon="drone", city="Kyiv")],
    )
    expect(page.locator("#count-drones-launched")).to_have_text("5", timeout=2_000)
    expect(page.locator("#count-impacts")).to_have_text("1", timeout=2_000)
    expect(page.locator("#event-feed")).to_contain_text("Kyiv", timeout=2_000)


def test_every_figure_agrees_with_the_stats_endpoint(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    post(
        dashboard_server,
        [
            *launches(40),
            *launches(7, "decoy"),
            *launches(2, "ballistic_missile"),
            other("shot_down", "01:00", weapon="drone", count=30, region="UA-32"),
            other("suppressed", "01:00", weapon="decoy", count=6),
            other("impact", "02:00", count=3, city="Kharkiv"),
        ],
    )
    page = watched_page.page
    open_night(page, dashboard_server)
    stats = httpx.get(f"{dashboard_server.url}/api/v1/stats", params={"night": NIGHT}).json()
    expected = counters_from_stats(stats)
    for element, value in expected.items():
        expect(page.locator(f"#{element}")).to_have_text(value)
    assert expected["count-drones-launched"] == "47"


def test_page_recovers_after_a_server_restart(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    post(dashboard_server, launches(4))
    page = watched_page.page
    open_night(page, dashboard_server)
    expect(page.locator("#count-drones-launched")).to_have_text("4")
    dashboard_server.stop()
    # A past night reads "archive" while connected (issue 14), never "live".
    expect(page.locator("#connection-status")).not_to_have_text("archive", timeout=5_000)
    dashboard_server.start(same_port=True)
    post(dashboard_server, launches(3, start=100))
    expect(page.locator("#connection-status")).to_have_text("archive", timeout=10_000)
    expect(page.locator("#count-drones-launched")).to_have_text("7", timeout=10_000)


def test_screenshot_of_the_loaded_dashboard(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    post(
        dashboard_server,
        [
            *launches(120),
            *launches(40, "decoy"),
            *launches(4, "cruise_missile"),
            other("shot_down", "02:30", weapon="drone", count=90, city="Kyiv"),
            other("suppressed", "03:00", weapon="decoy", count=35),
            other("impact", "04:10", count=2, city="Lviv"),
            other("debris", "02:40", count=5, city="Kyiv"),
            other("alert_start", "00:40", region="UA-30"),
        ],
    )
    page = watched_page.page
    open_night(page, dashboard_server)
    expect(page.locator("#count-drones-launched")).to_have_text("160")
    page.wait_for_timeout(1500)  # let the charts draw
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "dashboard.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 50_000
