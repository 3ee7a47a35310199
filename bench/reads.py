"""Reads against writes (issue 15): a writer's POST latency (timed in a process of its own,
bench/legitimate_client.py) alone, then while 4 anonymous clients page
through 160,000 stored events (GET /api/v1/events, 10,000 a page, following Link rel=next)
and one asks for stats over every year. Target: POST p99 under read load within 2x unloaded.

Run with `python -m bench.reads`; writes the reads section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import httpx

from bench.common import AUTH, OCCURRED_AT, percentile
from bench.legitimate_client import PAUSE_SECONDS, LegitimateClient
from bench.report import write_section
from bench.server import running_server

EVENT = {"kind": "launch", "weapon": "drone", "occurred_at": OCCURRED_AT, "region": "UA-30"}
STORED = 160_000
READERS = 4
# Each way (alone, under reads): at about 60 POSTs a second, a p99 over hundreds.
SECONDS = 10.0
SETTLE_SECONDS = 10.0


async def _store(client: httpx.AsyncClient, count: int) -> None:
    for _ in range(count // 10_000):
        response = await client.post("/api/v1/events", json=[EVENT] * 10_000)
        response.raise_for_status()


async def _reader(url: str, stop: asyncio.Event, pages: list[int]) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        while not stop.is_set():
            target: str | None = "/api/v1/events?limit=10000"
            while target is not None and not stop.is_set():
                response = await client.get(target)
                response.raise_for_status()
                pages.append(len(response.content))
                link = response.headers.get("link")
                target = link.split(";")[0].strip("<>") if link else None


async def _stats_reader(url: str, stop: asyncio.Event, answers: list[float]) -> None:
    window = {"from": "2000-01-01T00:00:00Z", "to": "2999-12-30T00:00:00Z"}
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        while not stop.is_set():
            started = time.perf_counter()
            (await client.get("/api/v1/stats", params=window)).raise_for_status()
            answers.append((time.perf_counter() - started) * 1000)


async def _timed_posts(url: str, seconds: float) -> list[float]:
    """The legitimate writer's POST latencies (ms) over `seconds`, every one answered 201."""
    writer = LegitimateClient(url)
    await writer.posting()
    await asyncio.sleep(seconds)
    latencies, failed = await writer.stop()
    assert failed == 0, f"{failed} POSTs failed"
    return latencies


async def measure(stored: int, seconds: float) -> dict[str, Any]:
    """Unloaded and loaded POST latencies against one fresh server."""
    with running_server() as url:
        async with httpx.AsyncClient(base_url=url, headers=AUTH, timeout=120) as client:
            await _store(client, stored)
        # Untimed: the first commits after the bulk store checkpoint its write-ahead log
        # (SQLite copies some 100 MB back into the database, half a second), and the server
        # folds what was stored into its summaries: neither is the writes' unloaded figure.
        await _timed_posts(url, SETTLE_SECONDS)
        unloaded = await _timed_posts(url, seconds)
        stop = asyncio.Event()
        pages: list[int] = []
        stats: list[float] = []
        readers = [asyncio.create_task(_reader(url, stop, pages)) for _ in range(READERS)]
        readers.append(asyncio.create_task(_stats_reader(url, stop, stats)))
        await asyncio.sleep(2)  # the readers are under way
        loaded = await _timed_posts(url, seconds)
        stop.set()
        await asyncio.gather(*readers)
    return {"unloaded": unloaded, "loaded": loaded, "pages": pages, "stats": stats}


def _section(figures: dict[str, Any], stored: int) -> str:
    unloaded, loaded = figures["unloaded"], figures["loaded"]
    ratio = percentile(loaded, 0.99) / percentile(unloaded, 0.99)
    megabytes = sum(figures["pages"]) / 1e6
    verdict = "met" if ratio <= 2 else "missed"
    return "\n".join(
        [
            "## Reads against writes (`bench/reads.py`)",
            "",
            f"{stored:,} events stored on SQLite, one worker. One client POSTs single events "
            f"one after another with {PAUSE_SECONDS * 1000:g} ms between them, in a process "
            "of its own "
            f"(bench/legitimate_client.py), for {figures['seconds']:g} s alone "
            f"({len(unloaded)} POSTs), then as long while {READERS} "
            "anonymous clients page through every event (`GET /api/v1/events?limit=10000`, "
            "following `Link: rel=next`) and one asks `GET /api/v1/stats` over 2000-2999, "
            f"all at once, without pause ({len(loaded)} POSTs).",
            "",
            "| POSTs | p50 | p99 | max |",
            "|---|---|---|---|",
            *(
                f"| {label} | {percentile(values, 0.5):.1f} ms | {percentile(values, 0.99):.1f}"
                f" ms | {max(values):.1f} ms |"
                for label, values in (("alone", unloaded), ("under read load", loaded))
            ),
            "",
            f"Read meanwhile: {len(figures['pages'])} pages ({megabytes:,.0f} MB), "
            f"{len(figures['stats'])} stats answers (p50 "
            f"{percentile(figures['stats'] or [0.0], 0.5):,.0f} ms). Target: loaded p99 within "
            f"2x of unloaded: {ratio:.2f}x, **{verdict}**.",
        ]
    )


def main() -> int:
    """Run once and write the section."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stored", type=int, default=STORED)
    parser.add_argument("--seconds", type=float, default=SECONDS, help="each way")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args()
    figures = {**asyncio.run(measure(args.stored, args.seconds)), "seconds": args.seconds}
    section = _section(figures, args.stored)
    print(section)
    if not args.no_write:
        write_section("reads", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
