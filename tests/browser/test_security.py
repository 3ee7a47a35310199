"""The pages in Chromium under their Content-Security-Policy, and the sign-in flow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.pages import WatchedPage, open_night
from tests.helpers.server_events import NIGHT, launches, other, post
from tests.helpers.server_process import ServerProcess, sqlite_server

VIEW = "browser-view-token-93f0"
# Every CSP violation the page sees, as the browser reports it to the page itself.
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolations.push(e.effectiveDirective + " " + e.blockedURI + " " + e.sample);
});
"""


@pytest.fixture
def guarded_server(tmp_path: Path) -> Iterator[ServerProcess]:
    server = sqlite_server(tmp_path, "guarded", SKYWATCH_VIEW_TOKENS=VIEW)
    server.start()
    yield server
    server.stop()


def watch(page: Page) -> None:
    page.add_init_script(WATCH_VIOLATIONS)


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.cspViolations")
    return found


def test_dashboard_runs_under_its_policy_and_stays_live(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    post(dashboard_server, launches(4))
    page = watched_page.page
    watch(page)
    answer = page.goto(f"{dashboard_server.url}/?night={NIGHT}")
    assert answer is not None
    policy = answer.headers["content-security-policy"]
    assert policy.startswith("default-src 'self';")
    assert "unsafe-eval" not in policy
    open_night(page, dashboard_server)
    expect(page.locator("#count-drones-launched")).to_have_text("4")
    post(dashboard_server, [*launches(3, start=10), other("impact", "01:10", city="Kyiv")])
    expect(page.locator("#count-drones-launched")).to_have_text("7", timeout=5_000)
    expect(page.locator("#count-impacts")).to_have_text("1", timeout=5_000)
    page.wait_for_timeout(500)
    assert violations(page) == []
    assert watched_page.console_errors == []
    assert watched_page.outside_requests() == []


def test_report_renders_under_its_policy(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    post(dashboard_server, [*launches(25), other("impact", "02:00", count=2, city="Odesa")])
    page = watched_page.page
    watch(page)
    # A browser asks for /favicon.ico by itself; the report has none, and that is no error.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    answer = page.goto(f"{dashboard_server.url}/api/v1/nights/{NIGHT}/report")
    assert answer is not None
    assert "'sha256-" in answer.headers["content-security-policy"]
    page.wait_for_selector("#map .scatterlayer .trace")
    page.wait_for_selector("#timeline .barlayer")
    assert page.locator(".card .value").first.text_content() == "25"
    assert violations(page) == []
    assert watched_page.console_errors == []


def test_sign_in_flow(watched_page: WatchedPage, guarded_server: ServerProcess) -> None:
    post(guarded_server, launches(6))
    page = watched_page.page
    watch(page)
    page.goto(f"{guarded_server.url}/?night={NIGHT}")
    expect(page).to_have_url(f"{guarded_server.url}/signin?next=%2F%3Fnight%3D{NIGHT}")
    assert violations(page) == []

    page.fill("#token", "not-the-token")
    page.click("#signin-submit")
    expect(page.locator("#signin-error")).to_have_text("That token is not accepted.")
    assert page.context.cookies() == []

    page.fill("#token", VIEW)
    page.click("#signin-submit")
    expect(page).to_have_url(f"{guarded_server.url}/?night={NIGHT}")
    open_night(page, guarded_server)
    expect(page.locator("#count-drones-launched")).to_have_text("6")
    post(guarded_server, launches(2, start=50))
    expect(page.locator("#count-drones-launched")).to_have_text("8", timeout=5_000)

    (cookie,) = page.context.cookies()
    assert cookie["name"] == "skywatch_session"
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert VIEW not in cookie["value"]
    assert "skywatch_session" not in page.evaluate("document.cookie")  # out of scripts' reach
    assert violations(page) == []

    page.goto(f"{guarded_server.url}/signout")
    expect(page).to_have_url(f"{guarded_server.url}/signin")
    assert page.context.cookies() == []
    page.goto(f"{guarded_server.url}/?night={NIGHT}")
    expect(page).to_have_url(f"{guarded_server.url}/signin?next=%2F%3Fnight%3D{NIGHT}")
    # The failed sign-in answers 401 on purpose; Chromium logs that as a failed resource.
    unexpected = [text for text in watched_page.console_errors if "401" not in text]
    assert unexpected == []
