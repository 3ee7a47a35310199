"""Dashboard benchmark: POST-to-screen latency with 1 and 20 pages open, and a 500 events/s burst.

Run with `python -m bench.dashboard`. A real `skywatch serve` (bench.server) and Debian's
Chromium driven by Playwright, all on this machine. Each page records, in its own wall clock,
when `#count-drones-launched` changes (a MutationObserver) and when a view message carrying
that counter arrives on its websocket; a bare websocket client in this process records when
the server pushed it; the load generator records the wall clock just before each POST. All
clocks are the same machine's, so the differences are latencies.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import sys
import time
from collections.abc import Sequence

import httpx
from playwright.async_api import async_playwright

from bench.common import AUTH, launch_chromium, percentile
from bench.dashboard_burst import BurstRun, measure_burst
from bench.dashboard_latency import LatencyRun, measure_latency
from bench.dashboard_report import report
from bench.report import write_section
from bench.server import running_server
from tests.helpers.chromium import CHROMIUM

# The scenarios are bench/dashboard_latency.py and bench/dashboard_burst.py (the pages they
# drive, bench/dashboard_page.py); the section they write, bench/dashboard_report.py.


async def run(
    *, port: int, samples: int, spacing: float, page_counts: Sequence[int], rate: int, seconds: int
) -> tuple[list[LatencyRun], BurstRun]:
    """One server, one browser: each latency scenario with fresh pages, then the burst."""
    with running_server(port=port) as url:
        async with (
            async_playwright() as driver,
            httpx.AsyncClient(base_url=url, headers=AUTH, timeout=30) as client,
        ):
            browser = await launch_chromium(driver)
            began = time.monotonic()
            try:
                latencies = []
                for pages in page_counts:
                    result = await measure_latency(
                        browser, url, client, pages=pages, samples=samples, spacing=spacing
                    )
                    print(
                        f"[{time.monotonic() - began:.0f} s] {pages} page(s): "
                        f"p50 {percentile(result.dom_ms, 0.5):.0f} ms, "
                        f"p95 {percentile(result.dom_ms, 0.95):.0f} ms, "
                        f"max {max(result.dom_ms, default=math.nan):.0f} ms",
                        flush=True,
                    )
                    latencies.append(result)
                burst = await measure_burst(browser, url, client, rate=rate, seconds=seconds)
                print(
                    f"[{time.monotonic() - began:.0f} s] burst: "
                    f"longest long task {max(burst.longtasks, default=0):.0f} ms, "
                    f"{burst.updates} updates, final {burst.final} of {burst.expected}",
                    flush=True,
                )
            finally:
                await browser.close()
    return latencies, burst


def main() -> int:
    """Run the scenarios and write the Dashboard section of docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=30, help="single events per scenario")
    parser.add_argument("--spacing", type=float, default=1.0, help="seconds between them")
    parser.add_argument("--pages", type=int, default=20, help="pages open in the second run")
    parser.add_argument("--rate", type=int, default=500, help="burst events per second")
    parser.add_argument("--seconds", type=int, default=10, help="burst length")
    parser.add_argument("--port", type=int, default=0, help="server port (0: any free one)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        print(f"bench: {CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    if args.rate % 10:
        parser.error("--rate must be a multiple of 10 (10 batches per second)")
    load = os.getloadavg()[0]  # other work on the machine skews every figure here
    runs, burst = asyncio.run(
        run(
            port=args.port,
            samples=args.samples,
            spacing=args.spacing,
            page_counts=(1, args.pages),
            rate=args.rate,
            seconds=args.seconds,
        )
    )
    body = report(runs, burst, samples=args.samples, spacing=args.spacing, load=load)
    if args.no_write:
        print(body)
    else:
        write_section("dashboard", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
