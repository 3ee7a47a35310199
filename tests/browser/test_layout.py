"""The page at the five screen sizes of issue 14, in both languages, live and in a replay, in
Chromium: no horizontal scrolling, wall screens filled exactly with type read from 5 m, the
counters on a phone's first screen, the phone map's legend under the country, the archive
status on a past night, the timeline's labels inside it and laid out once (its margins set
ahead), no serious accessibility fault (the page, a replay, /docs);
screenshots kept in test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.axe import serious_violations
from tests.helpers.pages import ARTIFACTS
from tests.helpers.server_process import AUTH, TOKEN, ServerProcess

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
# The replay bar's text fits: the banner is not cut, no two hour labels overlap.
_REPLAY_BAR = """() => {
  const banner = document.querySelector('#replay-banner');
  const labels = [...document.querySelectorAll('.replay-ticks span')]
    .filter((span) => getComputedStyle(span).color !== 'rgba(0, 0, 0, 0)')
    .map((span) => span.getBoundingClientRect());
  const overlaps = labels.slice(1).filter((box, i) => box.left < labels[i].right).length;
  return {bannerCut: banner.scrollWidth > banner.clientWidth + 1, labels: labels.length, overlaps};
}"""
# The timeline's plot area against its paper, the margins live.js asked for, and whether the
# tick labels and the legend lie within the paper.
_TIMELINE_AREA = """() => {
  const gd = document.querySelector('#timeline .js-plotly-plot');
  const paper = gd.querySelector('.main-svg').getBoundingClientRect();
  const plot = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const boxes = [...gd.querySelectorAll('.ytick text, .xtick text, .legend')]
    .map((node) => node.getBoundingClientRect()).filter((box) => box.width > 0);
  const inside = boxes.every((box) => box.left >= paper.left - 1 && box.top >= paper.top - 1
    && box.right <= paper.right + 1 && box.bottom <= paper.bottom + 1);
  return {left: plot.left - paper.left, top: plot.top - paper.top,
          bottom: paper.bottom - plot.bottom, asked: gd.layout.margin, inside,
          boxes: boxes.length};
}"""


# Where the map's legend sits against the plot area (the country fills the plot area).
_LEGEND = """() => {
  const legend = document.querySelector('#city-map .legend').getBoundingClientRect();
  const plot = document.querySelector('#city-map .nsewdrag').getBoundingClientRect();
  return {legendTop: legend.top, plotBottom: plot.bottom, legendBottom: legend.bottom,
          graphBottom: document.querySelector('#city-map').getBoundingClientRect().bottom};
}"""

# The Kyiv callout's box and the top of the country (the highest oblast outline).
_CALLOUT = """() => {
  const box = document.querySelector('#city-map .annotation rect.bg').getBoundingClientRect();
  const fills = [...document.querySelectorAll('#city-map .scatterlayer .js-fill')]
    .map((path) => path.getBoundingClientRect()).filter((rect) => rect.height > 0);
  return {calloutBottom: box.bottom, countryTop: Math.min(...fills.map((rect) => rect.top))};
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


@pytest.fixture(scope="module")
def replay_id(demo_server: ServerProcess) -> str:
    """One replay session of the demo night, paused at its start, for every size."""
    response = httpx.post(
        f"{demo_server.url}/api/v1/replays", json={"night": NIGHT}, headers=AUTH, timeout=30
    )
    assert response.status_code == 201, response.text
    session: str = response.json()["id"]
    control = httpx.post(
        f"{demo_server.url}/api/v1/replays/{session}/control",
        json={"action": "pause"},
        headers=AUTH,
        timeout=30,
    )
    assert control.status_code == 200, control.text
    return session


def _open(browser: Browser, server: ServerProcess, size: tuple[int, int], query: str) -> Page:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server.url}/{query}")
    # A replay's first hour tick may lie outside its axis, drawn but hidden: attached.
    page.wait_for_selector("#timeline .xtick text", timeout=20_000, state="attached")
    if query.startswith("replay/"):
        expect(page.locator("#connection-status")).to_have_attribute(
            "data-state", "replay", timeout=15_000
        )
    else:
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
    if width < 640:
        # A phone's legend is under the country, not over the south-west of it.
        where = page.evaluate(_LEGEND)
        assert where["legendTop"] >= where["plotBottom"] - 1
        assert where["legendBottom"] <= where["graphBottom"] + 1
        # Its Kyiv callout is above the country, not over the north of it.
        callout = page.evaluate(_CALLOUT)
        assert callout["calloutBottom"] <= callout["countryTop"] + 2, callout
    timeline = page.evaluate(_TIMELINE_AREA)
    assert timeline["inside"], timeline
    assert timeline["boxes"] >= 3
    if width >= 640:
        # The margins set ahead were all the labels needed: automargin added nothing, so
        # Plotly drew the chart once (it draws it all again when it widens a margin).
        assert abs(timeline["left"] - timeline["asked"]["l"]) <= 1, timeline
        assert abs(timeline["top"] - timeline["asked"]["t"]) <= 1, timeline
        assert abs(timeline["bottom"] - timeline["asked"]["b"]) <= 1, timeline
    page.close()


@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_every_size_fits_in_a_replay(
    browser: Browser, demo_server: ServerProcess, replay_id: str, size: tuple[int, int], lang: str
) -> None:
    page = _open(browser, demo_server, size, f"replay/{replay_id}?lang={lang}")
    width, height = size
    expect(page.locator("#replay-bar")).to_be_visible()
    shown = page.evaluate(_MEASURE)
    Path(ARTIFACTS).mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"layout-{width}x{height}-{lang}-replay.png"))
    assert shown["lang"] == lang
    # The replay bar and the amber frames take no width the screen does not have.
    assert shown["scrollWidth"] <= width
    assert shown["onFirstScreen"] == 6 or width < 640
    bar = page.evaluate(_REPLAY_BAR)
    assert not bar["bannerCut"]
    assert bar["labels"] >= 4
    assert bar["overlaps"] == 0
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


# The two charts' sizes, to the pixel.
_CHART_SIZES = """() => ['city-map', 'timeline'].map((id) => {
  const box = document.getElementById(id).getBoundingClientRect();
  return [Math.round(box.width), Math.round(box.height)];
})"""


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_first_event_of_a_night_resizes_no_chart(
    browser: Browser, demo_server: ServerProcess, size: tuple[int, int]
) -> None:
    # A night of its own per size, empty until the test posts to it (22:00 Kyiv on the 9th
    # belongs to the night of the 10th).
    day = 10 + SIZES.index(size)
    night = f"2024-01-{day:02d}"
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{demo_server.url}/?night={night}&lang=en")
    empty = page.locator("#empty-state")
    expect(empty).to_have_text("No events recorded this night", timeout=20_000)
    page.wait_for_selector("#timeline .xtick text", timeout=20_000, state="attached")
    before = page.evaluate(_CHART_SIZES)
    event = {
        "kind": "launch",
        "weapon": "drone",
        "count": 3,
        "occurred_at": f"2024-01-{day - 1:02d}T22:00:00+02:00",
        "region": "UA-32",
    }
    response = httpx.post(f"{demo_server.url}/api/v1/events", json=event, headers=AUTH)
    assert response.status_code == 201, response.text
    expect(page.locator("#count-drones-launched")).to_have_text("3", timeout=15_000)
    expect(empty).to_be_hidden()
    # Everything the event brought is drawn (figures and tables come after the counters).
    page.wait_for_function("() => window.skywatch.updates >= 2", timeout=15_000)
    assert page.evaluate(_CHART_SIZES) == before
    page.close()


@pytest.mark.parametrize("query", [f"?night={NIGHT}&lang=en", f"?night={NIGHT}&lang=uk", ""])
def test_no_serious_accessibility_violation(
    browser: Browser, demo_server: ServerProcess, query: str
) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{demo_server.url}/{query}")
    expect(page.locator("#connection-status")).not_to_have_text("…", timeout=15_000)
    page.wait_for_timeout(1500)
    assert serious_violations(page) == []
    page.close()


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_no_serious_accessibility_violation_in_a_replay(
    browser: Browser, demo_server: ServerProcess, replay_id: str, lang: str
) -> None:
    page = _open(browser, demo_server, (1366, 768), f"replay/{replay_id}?lang={lang}")
    expect(page.locator("#replay-bar")).to_be_visible()
    page.wait_for_timeout(1000)
    assert serious_violations(page) == []
    page.close()


def test_no_serious_accessibility_violation_in_the_api_docs(
    browser: Browser, demo_server: ServerProcess
) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{demo_server.url}/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    # One operation opened too: its parameters and responses are markup of their own.
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert serious_violations(page) == []
    page.close()
