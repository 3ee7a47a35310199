"""The dashboard benchmark's latency scenario: POST single events, time each on every page.

One of bench/dashboard.py's scenarios; the pages and their recordings are dashboard_page.py's.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass

import httpx
from playwright.async_api import Browser
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from bench.common import NIGHT, percentile, wall_ms, websocket_url
from bench.dashboard_page import (
    COUNT_IN_MESSAGE,
    COUNTER,
    OBSERVE_COUNTER,
    Drop,
    busy_meter,
    drawing_seqs,
    first_reaching,
    launches,
    main_thread_busy,
    number,
    open_pages,
    post,
    reconnects,
    timeline,
    wait_for_count,
)

CATCH_UP_MS = 30_000.0


@dataclass(frozen=True)
class LatencyRun:
    """POST-to-DOM latencies over every (page, event) pair."""

    pages: int
    samples: int
    dom_ms: list[float]
    message_ms: list[float]
    pushed_ms: list[float]
    drawn_ms: list[float]  # until the page drew all of it: figures and tables too
    missing: int
    reconnects: list[Drop]
    busy_ms: float  # page main-thread task time per event, mean over pages
    first_p50_ms: float  # the first event's latency over pages: with the last, the trend
    last_p50_ms: float


async def listen(stream_url: str, arrivals: list[tuple[float, int]], ready: asyncio.Event) -> None:
    """A bare websocket viewer in this process: when the server pushed each count."""
    async with connect(stream_url, max_size=None) as websocket:
        async for text in websocket:
            found = COUNT_IN_MESSAGE.search(str(text))
            if found is not None:
                arrivals.append((wall_ms(), number(found.group(1))))
                ready.set()


async def measure_latency(
    browser: Browser,
    url: str,
    client: httpx.AsyncClient,
    *,
    pages: int,
    samples: int,
    spacing: float,
) -> LatencyRun:
    """Open `pages` pages, POST single events `spacing` s apart, time each on each page."""
    opened = await open_pages(browser, url, pages)
    pushed: list[tuple[float, int]] = []
    connected = asyncio.Event()
    stream_url = websocket_url(url, f"/dashboard/stream?night={NIGHT}")
    listening = asyncio.create_task(listen(stream_url, pushed, connected))
    try:
        await asyncio.wait_for(connected.wait(), 30)
        await asyncio.sleep(2)  # let every page finish its first renders before timing
        shown = {number(await page.evaluate(OBSERVE_COUNTER, COUNTER)) for _, page in opened}
        if len(shown) != 1:
            raise RuntimeError(f"pages disagree before the first POST: {sorted(shown)}")
        base = shown.pop()
        meters = await asyncio.gather(*(busy_meter(page) for _, page in opened))
        busy_before = await asyncio.gather(*(main_thread_busy(meter) for meter in meters))
        posted_at: list[float] = []
        run_id = time.time_ns()  # event ids unique across runs on one server (no dedup)
        start = time.monotonic()
        for index in range(samples):
            await asyncio.sleep(max(0.0, start + index * spacing - time.monotonic()))
            posted_at.append(wall_ms())
            if not await post(client, launches(f"latency-{run_id}-{index}", 1)):
                raise RuntimeError("a latency POST was not answered 201")
        # Pages that fell behind get a bounded time to catch up; the rest count as not shown.
        waits = (wait_for_count(page, base + samples, timeout_ms=CATCH_UP_MS) for _, page in opened)
        await asyncio.gather(*waits)
        busy_after = await asyncio.gather(*(main_thread_busy(meter) for meter in meters))
        busy = sum(after - before for before, after in zip(busy_before, busy_after, strict=True))
        dom_ms: list[float] = []
        by_event: list[list[float]] = [[] for _ in posted_at]
        message_ms: list[float] = []
        drawn_ms: list[float] = []
        missing = 0
        dropped: list[Drop] = []
        for _, page in opened:
            changes = await timeline(page, "__changes")
            frames = await timeline(page, "__frames")
            seqs = await drawing_seqs(page)
            drawn = await timeline(page, "__drawn")
            dropped += await reconnects(page)
            for index, sent in enumerate(posted_at):
                shown_at = first_reaching(changes, base + index + 1)
                if shown_at is None:
                    missing += 1
                else:
                    dom_ms.append(shown_at - sent)
                    by_event[index].append(shown_at - sent)
                arrived_at = first_reaching(frames, base + index + 1)
                if arrived_at is not None:
                    message_ms.append(arrived_at - sent)
                carrying = first_reaching(seqs, base + index + 1)
                drawn_at = None if carrying is None else first_reaching(drawn, int(carrying))
                if drawn_at is not None:
                    drawn_ms.append(drawn_at - sent)
        pushed_ms = [
            arrived_at - sent
            for index, sent in enumerate(posted_at)
            if (arrived_at := first_reaching(pushed, base + index + 1)) is not None
        ]
        return LatencyRun(
            pages=pages,
            samples=samples,
            dom_ms=dom_ms,
            message_ms=message_ms,
            pushed_ms=pushed_ms,
            drawn_ms=drawn_ms,
            missing=missing,
            reconnects=dropped,
            busy_ms=busy / (len(opened) * samples),
            first_p50_ms=percentile(by_event[0], 0.5),
            last_p50_ms=percentile(by_event[-1], 0.5),
        )
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
            await listening
        for context, _page in opened:
            await context.close()
