"""A real server and a real browser (Debian's Chromium driven by Playwright) for page tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Playwright, Request, sync_playwright

from tests.helpers.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.helpers.pages import WatchedPage
from tests.helpers.server_process import TOKEN, ServerProcess


# Module scope, not session: the sync driver keeps an event loop running in this thread,
# and the asyncio tests that run after the browser modules need the thread's loop free.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium from the system (never a downloaded browser)."""
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def watched_page(browser: Browser) -> Iterator[WatchedPage]:
    """A fresh page in a fresh context, recording console errors and requests."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    watched = WatchedPage(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.console_errors.append(message.text)

    def on_request(request: Request) -> None:
        watched.requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.console_errors.append(str(error)))
    page.on("request", on_request)
    yield watched
    context.close()


@pytest.fixture
def dashboard_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """The product as `skywatch serve` runs it, on SQLite."""
    server = ServerProcess(
        name="dashboard",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        data_dir=tmp_path / "data",
        log=tmp_path / "server.log",
        token=TOKEN,
    )
    server.start()
    yield server
    server.stop()
