# Ukrainian expectations are Cyrillic on purpose.
# ruff: noqa: RUF001
"""The briefing report of the demo night in Chromium, in both languages: the Air Force's
headline, the window with its offset, the alerts at the end of the night on the map, alert
hours per oblast as a map and a table, the places hit, the sources, Kyiv time only, a light
print (legend readable on paper, PDF kept in test-artifacts/) and no serious axe-core fault."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from dashboard import palette
from tests.helpers.axe import serious_violations
from tests.helpers.demo_server import DEMO_NIGHT, demo_server
from tests.helpers.pages import ARTIFACTS
from tests.helpers.server_process import ServerProcess

# Plotly writes an SVG fill as rgb(r, g, b).
ALERT_FILL = "rgb({}, {}, {})".format(*(int(palette.ALERT[i : i + 2], 16) for i in (1, 3, 5)))
_FILLS = """(selector) => [...document.querySelectorAll(selector + ' path.js-fill')]
  .map((path) => path.style.fill)"""
_PRINTED = """() => {
  const rgb = (value) => value.match(/\\d+/g).slice(0, 3).map(Number);
  const legend = [...document.querySelectorAll('#map .legendtext')].map(
    (text) => rgb(getComputedStyle(text).fill));
  const svg = document.querySelector('#timeline .main-svg');
  // Plotly stacks SVG layers; those over the plot must stay see-through.
  const layers = [...document.querySelectorAll('#map .main-svg')].slice(1).map(
    (layer) => getComputedStyle(layer).backgroundColor);
  return {legend, layers, ground: getComputedStyle(svg).backgroundColor,
          body: getComputedStyle(document.body).color};
}"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with demo_server(tmp_path_factory.mktemp("briefing"), "briefing") as server:
        yield server


def _report(browser: Browser, server: ServerProcess, lang: str) -> Page:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server.url}/api/v1/nights/{DEMO_NIGHT}/report?lang={lang}")
    for element in ("map", "alert-minutes-map", "timeline"):
        page.wait_for_selector(f"#{element} .scatterlayer, #{element} .barlayer")
    return page


def _hex(rgb: list[int]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            {
                "headline": "550 means of air attack: 539 drones, 11 missiles; 476 neutralized; "
                "impacts at 8 locations",
                "window": "3 July 2025, 12:00 to 4 July 2025, 12:00, Kyiv time (UTC+03:00)",
                "kyiv": "Kyiv",
                "issuer": "Air Force, issued 4 July 2025, 06:00 (UTC+03:00)",
            },
        ),
        (
            "uk",
            {
                "headline": "550 засобів повітряного нападу: 539 дронів, 11 ракет; "
                "знешкоджено 476; влучання на 8 локаціях",
                "window": "3 липня 2025, 12:00 – 4 липня 2025, 12:00, за київським часом "
                "(UTC+03:00)",
                "kyiv": "Київ",
                "issuer": "Повітряні сили, оприлюднено 4 липня 2025, 06:00 (UTC+03:00)",
            },
        ),
    ],
)
def test_the_briefing_reads_in_both_languages(
    browser: Browser, demo: ServerProcess, lang: str, expected: dict[str, str]
) -> None:
    page = _report(browser, demo, lang)
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("#report-headline").inner_text().startswith(expected["headline"])
    assert page.locator("#report-window").inner_text() == expected["window"]
    # The demo night ends with whole-oblast alerts on in Chernihiv, Zaporizhzhia and Sumy
    # oblasts: the map of the end of the night shows them (it used to be empty).
    assert page.evaluate(_FILLS, "#map").count(ALERT_FILL) >= 3
    hours = page.evaluate(_FILLS, "#alert-minutes-map")
    assert len(set(hours)) >= 4  # oblasts in several classes of alert time
    assert page.locator("#alert-minutes tbody tr").count() >= 20
    first = page.locator("#impact-places tbody tr").first.locator("td")
    assert first.first.inner_text() == expected["kyiv"]
    assert expected["issuer"] in page.locator("#report-sources").inner_text()
    assert page.locator("#event-sources li").count() == 2
    text = page.locator("body").inner_text()
    # Every time in Kyiv time: "UTC" only as Kyiv's offset.
    assert re.findall(r"UTC(?![+-]\d\d:\d\d)", text) == []
    Path(ARTIFACTS).mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{lang}.png"), full_page=True)
    assert serious_violations(page) == []
    page.close()


def test_the_briefing_prints_light_with_its_legend(browser: Browser, demo: ServerProcess) -> None:
    page = _report(browser, demo, "en")
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    printed = page.evaluate(_PRINTED)
    assert printed["ground"] == "rgb(255, 255, 255)"
    assert printed["body"] == "rgb(17, 17, 17)"
    assert set(printed["layers"]) == {"rgba(0, 0, 0, 0)"}
    assert len(printed["legend"]) >= 5
    for colour in printed["legend"]:
        assert palette.contrast(_hex(colour), "#ffffff") >= 4.5
    Path(ARTIFACTS).mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "report-en.pdf"), format="A4", print_background=False)
    # Back on screen, the wall's dark theme again.
    page.emulate_media(media="screen")
    page.wait_for_timeout(300)
    assert page.evaluate(_PRINTED)["legend"][0] != printed["legend"][0]
    page.close()
