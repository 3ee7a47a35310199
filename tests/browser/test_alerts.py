"""The page in Chromium: an alert begun at 11:30 Kyiv time is still on the map after 12:00."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from backend.domain.nights import KYIV, current_night, night_window
from dashboard.alert_map import ALERT, PARTIAL_LABEL
from tests.helpers.pages import WatchedPage
from tests.helpers.server_events import post
from tests.helpers.server_process import ServerProcess

_FILL = """(code) => {
    const plot = document.querySelector('#city-map .js-plotly-plot');
    const trace = plot && plot.data && plot.data.find((t) => t.name === code);
    return trace ? trace.fillcolor : null;
}"""


_PATTERN = """(code) => {
    const plot = document.querySelector('#city-map .js-plotly-plot');
    const trace = plot && plot.data && plot.data.find((t) => t.name === code);
    return trace && trace.fillpattern ? trace.fillpattern.shape : null;
}"""


def fill(page: Page, code: str) -> str | None:
    value = page.evaluate(_FILL, code)
    return None if value is None else str(value)


def test_an_alert_begun_before_noon_is_on_the_live_page_after_noon(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    # The live page shows the night running now, which began at the last 12:00 in Kyiv: an
    # alert begun half an hour before that belongs to the night before, and is still on.
    began = night_window(current_night())[0] - timedelta(minutes=30)
    assert began.astimezone(KYIV).strftime("%H:%M") == "11:30"
    post(
        dashboard_server,
        [
            {"kind": "alert_start", "region": "UA-63", "occurred_at": began.isoformat()},
            {
                "kind": "alert_start",
                "region": "UA-46",
                "area": "Stryi raion",
                "occurred_at": began.isoformat(),
            },
        ],
    )
    page = watched_page.page
    page.goto(dashboard_server.url)
    expect(page.locator("#connection-status")).to_have_text("live", timeout=15_000)
    page.wait_for_function(f"() => ({_FILL})('UA-63') !== null", timeout=15_000)
    assert fill(page, "UA-63") == ALERT
    # Part of an oblast is hatched, not filled: told apart without colour.
    assert fill(page, "UA-46") != ALERT
    assert page.evaluate(_PATTERN, "UA-46") == "/"
    expect(page.locator("#city-map")).to_contain_text(PARTIAL_LABEL)
    # Its end tonight turns it off on the page as it happens.
    post(
        dashboard_server,
        [
            {
                "kind": "alert_end",
                "region": "UA-63",
                "occurred_at": (began + timedelta(hours=1)).isoformat(),
            }
        ],
    )
    page.wait_for_function(f"() => !['{ALERT}', null].includes(({_FILL})('UA-63'))", timeout=10_000)
    assert watched_page.console_errors == []
