"""The dashboard benchmark's burst scenario: one page through hundreds of events a second.

One of bench/dashboard.py's scenarios: how often the screen updates, and whether the page
stays responsive, while events pour in; the page instruments are dashboard_page.py's.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from playwright.async_api import Browser

from bench.common import elapsed_ms, wall_ms
from bench.dashboard_page import (
    COUNTER,
    INSTALL_PROBES,
    OBSERVE_COUNTER,
    READ_COUNTER,
    Drop,
    first_reaching,
    launches,
    number,
    open_pages,
    post,
    reconnects,
    timeline,
    wait_for_count,
)

PROBE_INTERVAL = 0.1


@dataclass(frozen=True)
class BurstRun:
    """One page through a burst of events."""

    rate: int
    seconds: int
    batch: int
    posted: int
    acknowledged: int
    failed_requests: int
    expected: int
    final: int
    settle_ms: float
    window_ms: float
    longtasks_supported: bool
    longtasks: list[float]
    update_times: list[float]
    view_messages: int
    evaluate_ms: list[float]
    timer_lag_ms: float
    reconnects: list[Drop]

    @property
    def updates(self) -> int:
        """Counter changes during the burst window."""
        return len(self.update_times)

    @property
    def gaps_ms(self) -> list[float]:
        """Time between consecutive counter changes."""
        ordered = sorted(self.update_times)
        return [later - earlier for earlier, later in itertools.pairwise(ordered)]

    @property
    def updates_per_second(self) -> float:
        """The mean update rate: one over the mean gap (no fencepost error on short runs)."""
        gaps = self.gaps_ms
        return 1000 * len(gaps) / sum(gaps) if gaps and sum(gaps) > 0 else 0.0

    @property
    def max_updates_per_second(self) -> int:
        """The most counter changes in any 1 s."""
        return max_in_window(self.update_times, 1000.0)


def max_in_window(times: Sequence[float], width_ms: float) -> int:
    """The most timestamps falling in any half-open window [t, t + width)."""
    ordered = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(ordered):
        while ordered[start] <= t - width_ms:
            start += 1
        best = max(best, end - start + 1)
    return best


async def measure_burst(
    browser: Browser, url: str, client: httpx.AsyncClient, *, rate: int, seconds: int
) -> BurstRun:
    """One page; `rate` events/s for `seconds` s as 10 evenly spaced batches per second."""
    batch = rate // 10
    context, page = (await open_pages(browser, url, 1))[0]
    probing: asyncio.Task[None] | None = None
    try:
        await asyncio.sleep(2)
        base = number(await page.evaluate(OBSERVE_COUNTER, COUNTER))
        supported = bool(await page.evaluate(INSTALL_PROBES))
        messages_before = int(await page.evaluate("() => window.skywatch.updates"))
        evaluate_ms: list[float] = []
        burst_over = asyncio.Event()

        async def probe() -> None:
            # Round trips through CDP into the page's main thread: what a user's click waits for.
            while not burst_over.is_set():
                began = time.perf_counter()
                await page.evaluate(READ_COUNTER)
                evaluate_ms.append(elapsed_ms(began))
                await asyncio.sleep(PROBE_INTERVAL)

        async def send(index: int, at: float) -> int:
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            return batch if await post(client, launches(f"burst-{run_id}-{index}", batch)) else 0

        run_id = time.time_ns()
        probing = asyncio.create_task(probe())
        burst_started = wall_ms()
        start = time.monotonic()
        sends = [send(index, start + index / 10) for index in range(seconds * 10)]
        acknowledged = sum(await asyncio.gather(*sends))
        posted = batch * seconds * 10
        acked_at = wall_ms()
        expected = base + acknowledged
        await wait_for_count(page, expected, timeout_ms=30_000)
        await asyncio.sleep(1)  # a trailing update, if any, belongs to the burst too
        burst_over.set()
        await probing
        final = number(await page.evaluate(READ_COUNTER))
        changes = await timeline(page, "__changes")
        shown_at = first_reaching(changes, expected)
        window_end = shown_at if shown_at is not None else wall_ms()
        in_window = [t for t, _ in changes if burst_started <= t <= window_end]
        raw_tasks = await page.evaluate("() => window.__longtasks")
        longtasks = [
            float(duration)
            for begun, duration in raw_tasks
            if burst_started <= float(begun) <= window_end
        ]
        raw_lag = await page.evaluate("() => window.__lag")
        lag = [float(late) for t, late in raw_lag if burst_started <= float(t) <= window_end]
        messages = int(await page.evaluate("() => window.skywatch.updates")) - messages_before
        return BurstRun(
            rate=rate,
            seconds=seconds,
            batch=batch,
            posted=posted,
            acknowledged=acknowledged,
            failed_requests=(posted - acknowledged) // batch,
            expected=expected,
            final=final,
            settle_ms=(shown_at - acked_at) if shown_at is not None else math.nan,
            window_ms=window_end - burst_started,
            longtasks_supported=supported,
            longtasks=longtasks,
            update_times=in_window,
            view_messages=messages,
            evaluate_ms=evaluate_ms,
            timer_lag_ms=max(lag, default=math.nan),
            reconnects=await reconnects(page),
        )
    finally:
        if probing is not None and not probing.done():
            # A failed burst leaves the probe running against a page about to close.
            probing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await probing
        await context.close()
