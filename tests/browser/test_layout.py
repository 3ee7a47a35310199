"""The page at the five screen sizes of issue 14, in both languages, in Chromium: no
horizontal scrolling, wall screens filled exactly with type read from 5 m, the counters on a
phone's first screen, the archive status on a past night, no serious accessibility fault;
screenshots kept in test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Page, expect

from tests.helpers.pages import ARTIFACTS
from tests.helpers.server_process import TOKEN, ServerProcess

NIGHT = "2025-07-04"  # the demo night: a past night, with its Air Force report
SIZES = ((390, 844), (768, 1024), (1366, 768), (1920, 1080), (3840, 2160))
WALLS = ((1366, 768), (1920, 1080), (3840, 2160))
_MEASURE = """() => {
  const px = (sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
  const counters = [...document.querySelectorAll('.counter')];
  const tick = document.querySelector('#timeline .xtick text');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    onFirstScreen: counters.filter((c) => c.getBoundingClientRect().bottom <= innerHeight).length,
    counter: px('.counter-value'), label: px('.counter-label'),
    tick: tick ? parseFloat(tick.style.fontSize) : 0,
    lang: document.documentElement.lang,
  };
}"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """`skywatch serve --demo`: the recorded night and its report, on SQLite."""
    tmp = tmp_path_factory.mktemp("layout")
    server = ServerProcess(
        name="layout",
        database_url=f"sqlite+aiosqlite:///{tmp / 'db.sqlite'}",
        data_dir=tmp / "data",
        log=tmp / "server.log",
        token=TOKEN,
        serve_args=("--demo",),
    )
    server.start()
    yield server
    server.stop()


def _open(browser: Browser, server: ServerProcess, size: tuple[int, int], query: str) -> Page:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server.url}/{query}")
    page.wait_for_selector("#timeline .xtick text", timeout=20_000)
    expect(page.locator("#count-drones-launched")).not_to_have_text("—", timeout=15_000)
    page.wait_for_timeout(500)
    return page


@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_every_size_fits_and_reads(
    browser: Browser, demo_server: ServerProcess, size: tuple[int, int], lang: str
) -> None:
    page = _open(browser, demo_server, size, f"?night={NIGHT}&lang={lang}")
    width, height = size
    shown = page.evaluate(_MEASURE)
    Path(ARTIFACTS).mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"layout-{width}x{height}-{lang}-live.png"))
    assert shown["lang"] == lang
    assert shown["scrollWidth"] <= width
    assert shown["onFirstScreen"] == 6
    if size in WALLS:
        # The wall page is the viewport: no empty band, nothing to scroll.
        assert shown["scrollHeight"] <= height
        assert shown["counter"] >= 0.08 * height
        assert shown["label"] >= 0.022 * height
    if size == (1920, 1080):
        assert shown["tick"] >= 18
    page.close()


def test_a_past_night_is_the_archive_in_both_languages(
    browser: Browser, demo_server: ServerProcess
) -> None:
    page = _open(browser, demo_server, (1366, 768), f"?night={NIGHT}&lang=en")
    status = page.locator("#connection-status")
    expect(status).to_have_text("archive")
    expect(status).to_have_attribute("data-state", "archive")
    page.goto(f"{demo_server.url}/?night={NIGHT}&lang=uk")
    expect(page.locator("#connection-status")).to_have_text("архів", timeout=15_000)
    expect(page.locator("#count-drones-launched-label")).to_have_text("Запущено дронів")
    expect(page.locator("#event-feed")).not_to_contain_text("Kharkiv")
    page.close()


@pytest.mark.parametrize("query", [f"?night={NIGHT}&lang=en", f"?night={NIGHT}&lang=uk", ""])
def test_no_serious_accessibility_violation(
    browser: Browser, demo_server: ServerProcess, query: str
) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{demo_server.url}/{query}")
    expect(page.locator("#connection-status")).not_to_have_text("…", timeout=15_000)
    page.wait_for_timeout(1500)
    results = Axe().run(page)
    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
    page.close()
