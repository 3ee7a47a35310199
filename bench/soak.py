"""Live-stream soak: many viewers and a steady event rate for minutes, watching memory.

Run with `python -m bench.soak [--clients 1000] [--rate 200] [--seconds 600]`. A fresh
`skywatch serve` (bench/server.py), the fan-out benchmark's client swarm (bench/fanout_clients.py
in --summary mode, so the clients' own memory stays flat) and its open-loop HTTP sender
(bench/fanout_send.py). The server's resident memory is sampled throughout; at the end the section
"soak" of docs/performance.md gets memory over time (start, peak, end, per minute), delivery
latency (p50, p99, max; overall and per minute), and lost and duplicate deliveries.
Not a timed test: the full run is ten minutes of a quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvloop

from bench.common import (
    NIGHT,
    histogram_percentile,
    interrupt,
    raise_open_files_limit,
    verdict,
    websocket_url,
)
from bench.fanout_measure import warm_up
from bench.fanout_receipts import BUCKETS_PER_MS
from bench.fanout_report import format_codes
from bench.fanout_run import STREAM_PATH, Run, Target
from bench.fanout_send import send_http
from bench.fanout_swarm import (
    drain,
    kill_swarm,
    start_swarm,
    stop_swarm,
    swarm_cpu_seconds,
    wait_ready,
)
from bench.procstat import cpu_seconds, rss_kib
from bench.report import machine, revision, write_section
from bench.server import Server, server_warnings, serving

RSS_SAMPLE_SECONDS = 5.0
FULL = (1000, 200, 600)  # the soak: viewers, events/s, seconds (the defaults)
PRODUCT = Target("skywatch serve", "soak", product=True)


@dataclass
class Soak:
    """The figures of one soak run."""

    run: Run
    started: float = 0.0  # wall clock when sending began
    rss_kib: list[tuple[float, int]] = field(default_factory=list)  # (seconds in, VmRSS)
    rss_before_kib: int = 0  # with every client connected, before the first event
    stored: int = 0
    delivered: int = 0
    histogram: Counter[tuple[int, int]] = field(default_factory=Counter)

    @property
    def expected(self) -> int:
        """Deliveries due: every stored event to every connected client."""
        return self.stored * self.run.connected

    @property
    def lost(self) -> int:
        """Deliveries that never arrived."""
        return self.expected - self.delivered


def percentile(histogram: Counter[int], share: float) -> float:
    """Nearest-rank percentile in ms of a histogram of 0.1 ms buckets (NaN if empty)."""
    return histogram_percentile(histogram, share) / BUCKETS_PER_MS


async def _sample_rss(pid: int, soak: Soak, stop: asyncio.Event) -> None:
    start = time.monotonic()
    while not stop.is_set():
        soak.rss_kib.append((time.monotonic() - start, rss_kib(pid)))
        try:
            async with asyncio.timeout(RSS_SAMPLE_SECONDS):
                await stop.wait()
        except TimeoutError:
            pass
    soak.rss_kib.append((time.monotonic() - start, rss_kib(pid)))


async def _stored_events(url: str) -> int:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        response = await client.get("/api/v1/nights")
        response.raise_for_status()
        for night in response.json():
            if night["night"] == NIGHT:
                return int(night["events"])
    return 0


async def _exercise(server: Server, soak: Soak, args: argparse.Namespace) -> None:
    run = soak.run
    ws_url = websocket_url(server.url, STREAM_PATH)
    await warm_up(ws_url, PRODUCT)
    with tempfile.TemporaryDirectory(prefix="skywatch-soak-swarm-") as scratch:
        swarm = await start_swarm(ws_url, run, Path(scratch), extra=("--summary",))
        try:
            await wait_ready(swarm, run)
            await asyncio.sleep(2.0)
            soak.rss_before_kib = rss_kib(server.pid)
            server_cpu, swarm_cpu = cpu_seconds(server.pid), swarm_cpu_seconds(swarm)
            stop = asyncio.Event()
            sampler = asyncio.create_task(_sample_rss(server.pid, soak, stop))
            soak.started = time.time()
            sent_at = await send_http(server.url, run, "soak", args.drain_limit)
            run.sent = len(sent_at)
            await drain(swarm, run, quiet=args.drain, limit=args.drain_limit)
            stop.set()
            await sampler
            run.server_cpu_seconds = cpu_seconds(server.pid) - server_cpu
            run.swarm_cpu_seconds = swarm_cpu_seconds(swarm) - swarm_cpu
            results = await stop_swarm(swarm)
        finally:
            await kill_swarm(swarm)
    soak.stored = await _stored_events(server.url)
    _tally(soak, results)


def _tally(soak: Soak, results: list[dict[str, Any]]) -> None:
    codes: Counter[str] = Counter()
    for result in results:
        soak.run.duplicates += int(result["duplicates"])
        soak.run.frames += int(result["frames"])
        soak.delivered += int(result["deliveries"])
        codes.update(result["close_codes"])
        for minute, bucket, count in result["histogram"]:
            soak.histogram[(int(minute), int(bucket))] += int(count)
    soak.run.close_codes = dict(codes)


def measure(args: argparse.Namespace) -> Soak:
    """Start a fresh server, soak it, stop it."""
    run = Run(
        target=PRODUCT,
        clients=args.clients,
        processes=args.processes,
        client="sansio",
        rate=args.rate,
        seconds=args.seconds,
    )
    soak = Soak(run=run)
    with serving(port=args.port) as server:
        uvloop.run(_exercise(server, soak, args))
        run.server_warnings = server_warnings(server.log)
    return soak


def _overall(soak: Soak) -> Counter[int]:
    merged: Counter[int] = Counter()
    for (_minute, bucket), count in soak.histogram.items():
        merged[bucket] += count
    return merged


def _minutes(soak: Soak) -> list[str]:
    """One table row per minute of sending: latency of what was sent then, memory at its end."""
    by_minute: dict[int, Counter[int]] = {}
    for (minute, bucket), count in soak.histogram.items():
        by_minute.setdefault(minute, Counter())[bucket] += count
    rows = []
    for minute in sorted(by_minute):
        histogram = by_minute[minute]
        end = minute * 60 + 60 - soak.started  # seconds into sending when this minute ended
        rss = [kib for at, kib in soak.rss_kib if at <= end]
        clock = datetime.fromtimestamp(minute * 60, UTC).strftime("%H:%M")
        rows.append(
            f"| {clock} | {sum(histogram.values()):,} | {percentile(histogram, 0.5):.1f} ms "
            f"| {percentile(histogram, 0.99):.1f} ms | {percentile(histogram, 1.0):.1f} ms "
            f"| {(rss[-1] if rss else soak.rss_before_kib) / 1024:,.1f} MiB |"
        )
    return rows


def _body(soak: Soak, args: argparse.Namespace) -> str:
    run = soak.run
    overall = _overall(soak)
    samples = [kib for _, kib in soak.rss_kib]
    peak = max(samples, default=0)
    end = samples[-1] if samples else 0
    acked = len(run.acks_ms)
    met = soak.lost == 0 and not run.duplicates
    method = (
        f"A fresh `skywatch serve` (SQLite, one worker); {args.clients:,} websocket viewers on "
        f"`{STREAM_PATH}` over {args.processes} client processes (the fan-out benchmark's "
        "swarm, `bench/fanout_clients.py --summary`: latency histograms and per-connection "
        "seq checks instead of every receipt, so the clients' memory stays flat); then "
        f"{args.rate} events/s, each its own `POST /api/v1/events`, open loop, for "
        f"{args.seconds} s, from the fan-out benchmark's sender. Latency is receipt on a viewer "
        "minus the event's scheduled send time (carried in its note), over every (event, "
        "viewer) pair, in 0.1 ms buckets. Lost is stored events (`GET /api/v1/nights` at the "
        "end) times connected viewers minus deliveries; a duplicate is a seq at or below one "
        "the same viewer already had. Server memory is its VmRSS, sampled every "
        f"{RSS_SAMPLE_SECONDS:g} s; start is with every viewer connected, before the first "
        "event. The load generator shares the machine with the server."
    )
    lines = [
        "## Live stream soak (`bench/soak.py`)",
        "",
        method,
        "",
        f"Product code: {revision()}.",
        "",
        "| viewers | events/s | seconds | p50 | p99 | max | lost | duplicates "
        "| RSS start | RSS peak | RSS end |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {run.connected:,} of {run.clients:,} | {run.sent / max(run.send_seconds, 1e-9):,.0f} "
        f"| {args.seconds} | {percentile(overall, 0.5):.1f} ms "
        f"| {percentile(overall, 0.99):.1f} ms | {percentile(overall, 1.0):.1f} ms "
        f"| {soak.lost:,} | {run.duplicates:,} | {soak.rss_before_kib / 1024:,.1f} MiB "
        f"| {peak / 1024:,.1f} MiB | {end / 1024:,.1f} MiB |",
        "",
        "Per minute of sending (UTC): deliveries of the events sent in it, their latency, "
        "and the server's memory at its end:",
        "",
        "| minute | deliveries | p50 | p99 | max | RSS |",
        "|---|---|---|---|---|---|",
        *_minutes(soak),
        "",
        f"- {run.sent:,} events sent in {run.send_seconds:.1f} s ({acked:,} answered 201, "
        f"{soak.stored:,} stored), then {run.drain_seconds:.1f} s of draining; "
        f"{soak.delivered:,} of {soak.expected:,} deliveries"
        + (f"; failed sends {run.failed_sends}" if run.failed_sends else "")
        + (f"; early closes {format_codes(run)}" if run.close_codes else "; no early closes")
        + (
            f"; {len(run.server_warnings)} WARNING/ERROR lines in the server log"
            if run.server_warnings
            else ""
        )
        + ".",
        f"- CPU per delivered frame: server {run.server_us_per_frame:.1f} us, clients "
        f"{run.swarm_us_per_frame:.1f} us ({run.frames / max(run.connected, 1):,.0f} frames "
        "per viewer).",
        f"- 0 lost and 0 duplicates: {verdict(met)}.",
    ]
    if (args.clients, args.rate, args.seconds) != FULL:
        lines.append(
            f"- A shortened run: the soak proper is {FULL[0]:,} viewers and {FULL[1]} events/s "
            f"for {FULL[2] // 60} minutes (`python -m bench.soak` without arguments)."
        )
    return "\n".join(lines)


def main() -> int:
    """Soak the live stream and write the soak section."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=FULL[0], help="viewers")
    parser.add_argument("--rate", type=int, default=FULL[1], help="events per second")
    parser.add_argument("--seconds", type=int, default=FULL[2], help="how long to send")
    parser.add_argument("--processes", type=int, default=4, help="client swarm processes")
    parser.add_argument(
        "--drain", type=float, default=5.0, help="stop waiting after this long without news"
    )
    parser.add_argument(
        "--drain-limit", type=float, default=30.0, help="wait at most this long after sending"
    )
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--print-only", action="store_true", help="do not write the docs")
    args = parser.parse_args()
    raise_open_files_limit()
    signal.signal(signal.SIGTERM, interrupt)
    soak = measure(args)
    body = _body(soak, args)
    if args.print_only:
        print(body)
    else:
        write_section("soak", body)
        print(body)
    print(f"measured on {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
