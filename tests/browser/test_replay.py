"""Replay mode in Chromium: started from the night picker, followed by every screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import orjson
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.counters import counters_from_stats
from tests.helpers.pages import ARTIFACTS, WatchedPage
from tests.helpers.server_process import AUTH, ServerProcess

NIGHT = "2025-07-04"
SEED = Path(__file__).resolve().parents[2] / "seeds" / f"{NIGHT}.jsonl"
# 02:10 Kyiv on 4 July, when the ballistic missiles came: 14 h 10 min into the night's
# window, which opens at noon Kyiv the day before.
BRIEFING_MOMENT = "02:10:00"
BRIEFING_SLIDER_SECONDS = (14 * 60 + 10) * 60
PROPAGATION_MS = 3_000


@pytest.fixture
def seeded_server(dashboard_server: ServerProcess) -> ServerProcess:
    """The product with the recorded night of 3-4 July 2025 loaded."""
    events = [orjson.loads(line) for line in SEED.read_text(encoding="utf-8").splitlines()]
    response = httpx.post(
        f"{dashboard_server.url}/api/v1/events", json=events, headers=AUTH, timeout=60
    )
    assert response.status_code == 201, response.text
    return dashboard_server


@pytest.fixture
def second_screen(browser: Browser) -> Iterator[Page]:
    """Another screen in the room: a page in a context of its own."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    yield context.new_page()
    context.close()


def create_session(server: ServerProcess, *, speed: float, position: str) -> str:
    response = httpx.post(
        f"{server.url}/api/v1/replays",
        json={"night": NIGHT, "speed": speed, "position": position},
    )
    assert response.status_code == 201, response.text
    session_id: str = response.json()["id"]
    return session_id


def open_replay(page: Page, server: ServerProcess, session_id: str) -> None:
    """Load a replay page and wait until it follows the session."""
    page.goto(f"{server.url}/replay/{session_id}")
    expect(page.locator("#connection-status")).to_have_text("replay", timeout=15_000)
    expect(page.locator("#replay-position")).not_to_be_empty()


def replay_position(page: Page) -> datetime:
    """The replay time the page shows now."""
    return datetime.fromisoformat(page.evaluate("window.skywatch.replay.position"))


def session_position(server: ServerProcess, session_id: str) -> datetime:
    """Where the session's clock is now, as the server computes it."""
    response = httpx.get(f"{server.url}/api/v1/replays/{session_id}")
    assert response.status_code == 200, response.text
    return datetime.fromisoformat(response.json()["position"])


def session_stats(server: ServerProcess, session_id: str) -> dict[str, object]:
    response = httpx.get(f"{server.url}/api/v1/replays/{session_id}/stats")
    assert response.status_code == 200, response.text
    stats: dict[str, object] = response.json()
    return stats


def expect_counters(page: Page, stats: dict[str, object]) -> None:
    for element, text in counters_from_stats(stats).items():
        expect(page.locator(f"#{element}")).to_have_text(text, timeout=PROPAGATION_MS)


def test_a_replay_starts_from_the_night_picker(
    watched_page: WatchedPage, seeded_server: ServerProcess
) -> None:
    page = watched_page.page
    page.goto(f"{seeded_server.url}/?night={NIGHT}")
    expect(page.locator("#connection-status")).to_have_text("archive", timeout=15_000)
    expect(page.locator("#replay-bar")).to_be_hidden()
    page.click("#replay-start")
    page.wait_for_url(re.compile(r"/replay/[0-9a-f-]{36}$"), timeout=15_000)
    expect(page.locator("#connection-status")).to_have_text("replay", timeout=15_000)
    expect(page.locator("#replay-banner")).to_be_visible()
    expect(page.locator("#replay-banner")).to_contain_text("REPLAY")
    expect(page.locator("#replay-banner")).to_contain_text("not live")
    # The live-only controls give way: nobody mistakes the replay for tonight.
    expect(page.locator("#replay-start")).to_be_hidden()
    session_id = page.url.rsplit("/", 1)[1]
    session = httpx.get(f"{seeded_server.url}/api/v1/replays/{session_id}").json()
    assert session["night"] == NIGHT
    assert session["paused"] is False
    expect(page.locator("#night-label")).to_have_text("Night of 3 to 4 July 2025")
    assert watched_page.console_errors == []
    assert watched_page.outside_requests() == []


def test_every_screen_follows_the_presenter(
    watched_page: WatchedPage, second_screen: Page, seeded_server: ServerProcess
) -> None:
    speed = 600.0
    session_id = create_session(seeded_server, speed=speed, position="2025-07-04T00:00:00+03:00")
    presenter, screen = watched_page.page, second_screen
    open_replay(presenter, seeded_server, session_id)
    open_replay(screen, seeded_server, session_id)

    # Playing: every screen follows the session's clock. Nothing here is timed against the wall
    # clock (a loaded machine delays a screen by seconds): a screen is never ahead of the
    # session, and it catches up with any position the session had. The pause below then
    # checks the screens agree to the second.
    for _ in range(3):
        before = session_position(seeded_server, session_id)
        for page in (presenter, screen):
            shown = replay_position(page)
            after = session_position(seeded_server, session_id)
            # The page extrapolates the session's anchor with its own clock: a quarter second of
            # rounding between the two clocks' readings, at most.
            assert shown <= after + timedelta(seconds=speed * 0.25)
            page.wait_for_function(
                "moment => new Date(window.skywatch.replay.position) >= new Date(moment)",
                arg=before.isoformat(),
                timeout=30_000,
            )
        presenter.wait_for_timeout(300)

    # Pause on one screen: the other stops too, at the very same position.
    presenter.click("#replay-play")
    expect(screen.locator("#replay-play")).to_have_text("Play", timeout=PROPAGATION_MS)
    expect(screen.locator("#replay-position")).to_contain_text("paused")
    expect(presenter.locator("#replay-position")).to_have_text(
        screen.locator("#replay-position").inner_text(), timeout=PROPAGATION_MS
    )
    stats = session_stats(seeded_server, session_id)
    expect_counters(presenter, stats)
    expect_counters(screen, stats)

    # Seek from the other screen, with the slider: both show the night as it was then.
    screen.locator("#replay-slider").fill(str(BRIEFING_SLIDER_SECONDS))
    for page in (presenter, screen):
        expect(page.locator("#replay-position")).to_contain_text(
            BRIEFING_MOMENT, timeout=PROPAGATION_MS
        )
        expect(page.locator("#kyiv-time")).to_have_text(f"Replay {BRIEFING_MOMENT}")
    stats = session_stats(seeded_server, session_id)
    assert str(stats["position"]).startswith("2025-07-03T23:10:00")
    expect_counters(presenter, stats)
    expect_counters(screen, stats)
    latest = presenter.locator('#event-feed td[data-column="time"]').first.inner_text()
    assert latest <= "02:10", f"the feed shows {latest}, after the replay position"

    # Speed chosen on one screen shows on the other; play resumes everywhere.
    presenter.select_option("#replay-speed", "3600")
    expect(screen.locator("#replay-position")).to_contain_text("3600\u00d7", timeout=PROPAGATION_MS)
    screen.click("#replay-play")
    expect(presenter.locator("#replay-play")).to_have_text("Pause", timeout=PROPAGATION_MS)
    session = httpx.get(f"{seeded_server.url}/api/v1/replays/{session_id}").json()
    assert session["speed"] == 3600
    assert session["paused"] is False
    presenter.screenshot(path=str(ARTIFACTS / "replay.png"))
    assert watched_page.console_errors == []
    assert watched_page.outside_requests() == []


def test_a_missing_session_says_so_and_stops_trying(
    watched_page: WatchedPage, seeded_server: ServerProcess
) -> None:
    page = watched_page.page
    page.goto(f"{seeded_server.url}/replay/00000000-0000-0000-0000-000000000000")
    expect(page.locator("#replay-banner")).to_contain_text("no longer exists", timeout=15_000)
    expect(page.locator("#connection-status")).to_have_text("offline")
    expect(page.locator("#replay-play")).to_be_disabled()
