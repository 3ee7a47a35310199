"""The dashboard page under Playwright, for bench/dashboard.py's scenarios: open pages on the
night, read back what the page scripts (bench/js/) recorded, and POST the events they show.

Both scenarios (dashboard_latency.py, dashboard_burst.py) time the same counter the same way;
keeping the instruments here means they cannot drift apart.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from playwright.async_api import Browser, BrowserContext, CDPSession, Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bench.common import NIGHT, OCCURRED_AT, VIEWPORT, script

COUNTER = "count-drones-launched"
READY_TIMEOUT_MS = 60_000.0

# The page-side JavaScript, in bench/js/ (each file's header says what it does).
# Runs before the page's own scripts: stamps view messages and socket closes.
INIT_SCRIPT = script("page_socket_probe.js")
# Records every change of the counter's text with its epoch-ms time.
OBSERVE_COUNTER = script("observe_counter.js")
# Long tasks and a 50 ms timer's lateness, for the burst.
INSTALL_PROBES = script("install_probes.js")
WAIT_FOR_COUNT = script("wait_for_count.js")
# page_socket_probe.js matches view messages with this same pattern.
COUNT_IN_MESSAGE = re.compile(r'"count-drones-launched":\{"children":"([^"]*)"')
READ_COUNTER = f"() => document.getElementById({COUNTER!r}).textContent"


@dataclass(frozen=True)
class Drop:
    """A websocket a page lost."""

    code: int
    by_page: bool  # the page's own script called close()
    messages: int
    lived_ms: float

    def __str__(self) -> str:
        """One line for the report."""
        closer = "page" if self.by_page else "server or network"
        return (
            f"closed by the {closer} after {self.lived_ms:,.0f} ms and {self.messages} "
            f"messages, code {self.code}"
        )


def number(text: str | None) -> int:
    """The counter's integer value ("—" before the first view counts as -1)."""
    digits = (text or "").replace("\u2009", "").replace(",", "")
    return int(digits) if digits.isdigit() else -1


def first_reaching(changes: Sequence[tuple[float, int]], value: int) -> float | None:
    """When the counter first showed `value` or more (updates may coalesce two events)."""
    return next((t for t, shown in changes if shown >= value), None)


async def wait_for_count(page: Page, value: int, *, timeout_ms: float) -> bool:
    """Wait until the counter shows `value` or more; False on timeout (reported, not raised)."""
    try:
        await page.wait_for_function(
            WAIT_FOR_COUNT, arg=[COUNTER, value], polling=100, timeout=timeout_ms
        )
    except PlaywrightTimeoutError:
        return False
    return True


def launches(prefix: str, count: int) -> list[dict[str, Any]]:
    """`count` one-drone launches with ids unique to this run (no deduplication)."""
    return [
        {
            "id": f"{prefix}-{index}",
            "kind": "launch",
            "weapon": "drone",
            "model": "Shahed-136",
            "count": 1,
            "occurred_at": OCCURRED_AT,
            "region": "UA-32",
        }
        for index in range(count)
    ]


async def post(client: httpx.AsyncClient, events: list[dict[str, Any]]) -> bool:
    """POST events; True when the server answered 201 (after commit)."""
    body: dict[str, Any] | list[dict[str, Any]] = events[0] if len(events) == 1 else events
    response = await client.post("/api/v1/events", json=body)
    return response.status_code == 201


async def open_night(browser: Browser, url: str) -> tuple[BrowserContext, Page]:
    """A page of its own (own context) on the night, live and drawn, like the browser tests."""
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(INIT_SCRIPT)
    page = await context.new_page()
    await page.goto(f"{url}/?night={NIGHT}", timeout=READY_TIMEOUT_MS)
    # Connected: a past night (the benchmark's is one) reads "archive", never "live" (issue 14).
    await expect(page.locator("#connection-status")).to_have_text(
        re.compile("^(live|archive)$"), timeout=READY_TIMEOUT_MS
    )
    # The first draw of the map is the heaviest moment of a page's life; measure after it.
    await expect(page.locator("#city-map .scatterlayer .trace").first).to_be_attached(
        timeout=READY_TIMEOUT_MS
    )
    await page.wait_for_load_state("networkidle", timeout=READY_TIMEOUT_MS)
    return context, page


async def open_pages(browser: Browser, url: str, count: int) -> list[tuple[BrowserContext, Page]]:
    """`count` ready pages; loaded a few at a time, since 20 first map draws swamp 2 cores."""
    gate = asyncio.Semaphore(4)

    async def one() -> tuple[BrowserContext, Page]:
        async with gate:
            return await open_night(browser, url)

    results = await asyncio.gather(*(one() for _ in range(count)), return_exceptions=True)
    opened = [result for result in results if not isinstance(result, BaseException)]
    failures = [result for result in results if isinstance(result, BaseException)]
    if failures:
        for context, _page in opened:
            await context.close()
        raise failures[0]
    return opened


async def timeline(page: Page, name: str) -> list[tuple[float, int]]:
    """A recorded (epoch ms, counter value) list from the page."""
    raw = await page.evaluate(f"() => window.{name}")
    return [(float(t), number(str(text))) for t, text in raw]


async def drawing_seqs(page: Page) -> list[tuple[float, int]]:
    """(seq, counter value) of each view message carrying the counter, for first_reaching:
    the first message that brought a count, to find when the page had drawn all of it."""
    raw = await page.evaluate("() => window.__seqs")
    return [(float(seq), number(str(text))) for text, seq in raw]


async def busy_meter(page: Page) -> CDPSession:
    """A CDP session collecting the page's Performance metrics (only counted while enabled)."""
    session = await page.context.new_cdp_session(page)
    await session.send("Performance.enable")
    return session


async def main_thread_busy(session: CDPSession) -> float:
    """Milliseconds the page's main thread has spent running tasks so far."""
    metrics = (await session.send("Performance.getMetrics"))["metrics"]
    return 1000 * next(float(item["value"]) for item in metrics if item["name"] == "TaskDuration")


async def reconnects(page: Page) -> list[Drop]:
    """The sockets the page lost (a page should keep its one socket)."""
    raw = await page.evaluate("() => window.__closes")
    return [
        Drop(int(code), bool(by_page), int(messages), float(closed) - float(opened))
        for closed, code, by_page, messages, opened in raw
    ]
