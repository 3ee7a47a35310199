"""Replay screens benchmark: how fast every screen in the room follows the presenter.

Run with `python -m bench.replay_screens`; METHOD says what is measured and how.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
from playwright.async_api import Page, async_playwright

from bench.common import (
    AUTH,
    NIGHT,
    VIEWPORT,
    launch_chromium,
    percentile,
    script,
    verdict,
    wall_ms,
)
from bench.report import write_section
from bench.server import running_server

METHOD = (
    "A fresh `skywatch serve` with the recorded night of 3-4 July 2025, one replay session and "
    "several Chromium pages on `/replay/<id>`. The presenter's page clicks play/pause and drags "
    "the time slider (seeks are timed while paused); in every other page a MutationObserver "
    "stamps (wall clock) each change of the play button and of the position label. A "
    "control's latency on a screen is that stamp minus the time just before the click. While "
    "the replay plays at 60x, all pages' shown positions are read at once, 20 times, to see "
    "how far apart the screens are."
)
SEED = Path(__file__).resolve().parents[1] / "seeds" / "2025-07-04.jsonl"
# Stamps every change of an element's text, on the page's own clock (wall time in ms),
# and finds the first stamp after a time: bench/js/.
OBSERVE = script("stamp_changes.js")
FIRST_AFTER = script("first_stamp_after.js")


async def _open(page: Page, url: str) -> None:
    await page.goto(url)
    await page.wait_for_function(
        "() => document.getElementById('connection-status')?.textContent === 'replay'",
        timeout=30_000,
    )
    await page.wait_for_function("() => window.skywatch && window.skywatch.replay", timeout=30_000)


async def _first_change(page: Page, key: str, since_ms: float, timeout_s: float) -> float | None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        stamp = await page.evaluate(FIRST_AFTER, [key, since_ms])
        if stamp is not None:
            return float(stamp) - since_ms
        await asyncio.sleep(0.02)
    return None


async def _control_latencies(
    presenter: Page, screens: list[Page], *, toggles: int, seeks: int
) -> tuple[list[float], list[float], int]:
    """Milliseconds from a click on the presenter to each screen showing it; and misses."""
    toggle_ms: list[float] = []
    seek_ms: list[float] = []
    missed = 0
    for page in screens:
        await page.evaluate(OBSERVE, ["replay-play", "playStamps"])
        await page.evaluate(OBSERVE, ["replay-position", "positionStamps"])
    for _ in range(toggles):
        since = wall_ms()
        await presenter.click("#replay-play")
        for page in screens:
            took = await _first_change(page, "playStamps", since, 5)
            missed += took is None
            toggle_ms += [] if took is None else [took]
        await asyncio.sleep(0.5)
    # Seeks are timed paused: playing, the position label changes at every tick anyway.
    if await _playing(presenter):
        await presenter.click("#replay-play")
        await asyncio.sleep(1)
    for index in range(seeks):
        minutes = 6 * 60 + 37 * index % (17 * 60)  # spread over the night, never the same
        since = wall_ms()
        await presenter.locator("#replay-slider").fill(str(minutes * 60))
        for page in screens:
            took = await _first_change(page, "positionStamps", since, 5)
            missed += took is None
            seek_ms += [] if took is None else [took]
        await asyncio.sleep(0.5)
    return toggle_ms, seek_ms, missed


async def _playing(page: Page) -> bool:
    return bool(await page.evaluate("!window.skywatch.replay.paused"))


async def _spread_seconds(pages: list[Page], samples: int) -> list[float]:
    """Replay-time spread (max - min position) across pages, sampled while playing."""
    spreads: list[float] = []
    for _ in range(samples):
        shown = await asyncio.gather(
            *(page.evaluate("window.skywatch.replay.position") for page in pages)
        )
        positions = [datetime.fromisoformat(str(value)).timestamp() for value in shown]
        spreads.append(max(positions) - min(positions))
        await asyncio.sleep(0.3)
    return spreads


async def run(screens: int, toggles: int, seeks: int) -> dict[str, Any]:
    with running_server() as url:
        events = [orjson.loads(line) for line in SEED.read_text().splitlines()]
        async with httpx.AsyncClient(base_url=url, headers=AUTH, timeout=60) as client:
            assert (await client.post("/api/v1/events", json=events)).status_code == 201
            created = await client.post(
                "/api/v1/replays",
                json={"night": NIGHT, "speed": 60, "position": "2025-07-04T00:00:00+03:00"},
            )
            session = created.json()["id"]
        async with async_playwright() as driver:
            browser = await launch_chromium(driver)
            pages = []
            for _ in range(screens + 1):
                context = await browser.new_context(viewport=VIEWPORT)
                page = await context.new_page()
                await _open(page, f"{url}/replay/{session}")
                pages.append(page)
            await asyncio.sleep(2)
            spreads = await _spread_seconds(pages, 20)
            toggle_ms, seek_ms, missed = await _control_latencies(
                pages[0], pages[1:], toggles=toggles, seeks=seeks
            )
            await browser.close()
    return {
        "screens": screens,
        "toggle_ms": toggle_ms,
        "seek_ms": seek_ms,
        "missed": missed,
        "spreads": spreads,
    }


def _summary(values: list[float]) -> str:
    if not values:
        return "none"
    return (
        f"{percentile(values, 0.5):.0f} ms / {percentile(values, 0.95):.0f} ms / "
        f"{max(values):.0f} ms"
    )


def report(figures: dict[str, Any]) -> str:
    spreads = figures["spreads"]
    spread_wall = [seconds / 60 for seconds in spreads]  # at 60x, replay seconds / 60
    return "\n".join(
        [
            "## Replay screens (`bench/replay_screens.py`)",
            "",
            METHOD,
            "",
            f"One presenter page and {figures['screens']} other screens, each a browser context "
            "of its own on this machine with the server.",
            "",
            "| control | screens x controls | click to shown: p50 / p95 / max | not shown in 5 s |",
            "|---|---|---|---|",
            f"| play/pause | {len(figures['toggle_ms'])} | {_summary(figures['toggle_ms'])} | "
            f"{figures['missed']} in all |",
            f"| seek (slider) | {len(figures['seek_ms'])} | {_summary(figures['seek_ms'])} | |",
            "",
            f"Positions shown while playing at 60x, {len(spreads)} samples across all "
            f"{figures['screens'] + 1} pages: largest spread {max(spreads):.1f} s of replay "
            f"time ({max(spread_wall) * 1000:.0f} ms of wall time at 60x), median "
            f"{percentile(spreads, 0.5):.1f} s. The issue asks for screens within one second "
            f"of each other: {verdict(max(spread_wall) <= 1.0)}.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--screens", type=int, default=3, help="pages besides the presenter")
    parser.add_argument("--toggles", type=int, default=10)
    parser.add_argument("--seeks", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args()
    figures = asyncio.run(run(args.screens, args.toggles, args.seeks))
    text = report(figures)
    print(text)
    if not args.no_write:
        write_section("replay-screens", text)


if __name__ == "__main__":
    main()
