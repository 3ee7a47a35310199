"""One fan-out measurement: a fresh server for one target, the swarm on it, the figures.

bench/fanout.py calls `measure` once per target; `warm_up` is shared with bench/soak.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import uvloop
from websockets.asyncio.client import connect

from bench.common import websocket_url
from bench.fanout_run import Run, Target
from bench.fanout_send import send_http, send_ws
from bench.fanout_swarm import (
    drain,
    kill_swarm,
    start_swarm,
    stop_swarm,
    swarm_cpu_seconds,
    wait_ready,
)
from bench.procstat import busy_cpu_seconds, cpu_seconds, rss_kib
from bench.server import Server, server_warnings, serving


async def warm_up(ws_url: str, target: Target) -> None:
    """Open one connection (and read the snapshot) before measuring memory."""
    # One connection first, so that lazily imported code and first-use caches are not
    # counted as memory of the N idle connections measured next.
    compression = "deflate" if target.deflate else None
    async with connect(ws_url, compression=compression, proxy=None) as connection:
        if target.product:
            await connection.recv()


def _tally(run: Run, sent_at: dict[str, float], results: list[dict[str, Any]]) -> None:
    run.expected = len(sent_at) * run.clients
    codes: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for result in results:
        run.duplicates += int(result["duplicates"])
        run.frames += int(result["frames"])
        codes.update(result["close_codes"])
        failed.update(result["failed"])
        for event_id, delivery in result["events"].items():
            sent = sent_at.get(event_id)
            if sent is None:
                run.strays += int(delivery["connections"])
                continue
            run.received += int(delivery["connections"])
            run.latencies_ms.extend((received - sent) * 1000 for received in delivery["times"])
    run.latencies_ms.sort()
    run.close_codes = dict(codes)
    run.failed_connects = dict(failed)


async def _exercise(server: Server, run: Run, args: argparse.Namespace) -> None:
    """Connect the swarm to a running server, send, collect: fills in `run`."""
    ws_base = websocket_url(server.url)
    ws_url = ws_base + run.target.ws_path
    await warm_up(ws_url, run.target)
    await asyncio.sleep(1.0)
    run.rss_empty_kib = rss_kib(server.pid)
    with tempfile.TemporaryDirectory(prefix="skywatch-fanout-swarm-") as scratch:
        swarm = await start_swarm(ws_url, run, Path(scratch))
        try:
            await wait_ready(swarm, run)
            # Let the handshakes' transient buffers go before reading the idle footprint.
            await asyncio.sleep(2.0)
            run.rss_idle_kib = rss_kib(server.pid)
            server_cpu, swarm_cpu = cpu_seconds(server.pid), swarm_cpu_seconds(swarm)
            own_cpu, busy_cpu = cpu_seconds(os.getpid()), busy_cpu_seconds()
            started = time.monotonic()
            prefix = run.target.slug
            if run.target.product:
                sent_at = await send_http(server.url, run, prefix, args.drain_limit)
            else:
                sent_at = await send_ws(ws_base, run, prefix, args.baseline_batch_ms / 1000)
            run.sent = len(sent_at)
            await drain(swarm, run, quiet=args.drain, limit=args.drain_limit)
            window = time.monotonic() - started
            run.server_cpu_seconds = cpu_seconds(server.pid) - server_cpu
            run.swarm_cpu_seconds = swarm_cpu_seconds(swarm) - swarm_cpu
            run.server_cpu_percent = 100 * run.server_cpu_seconds / window
            run.swarm_cpu_percent = 100 * run.swarm_cpu_seconds / window
            run.sender_cpu_percent = 100 * (cpu_seconds(os.getpid()) - own_cpu) / window
            busy = 100 * (busy_cpu_seconds() - busy_cpu) / window
            ours = run.server_cpu_percent + run.swarm_cpu_percent + run.sender_cpu_percent
            # Other jobs (and uncharged kernel work) compete with the benchmark for the cores.
            run.others_cpu_percent = max(0.0, busy - ours)
            run.machine_cpu_percent = busy
            results = await stop_swarm(swarm)
        finally:
            await kill_swarm(swarm)
    _tally(run, sent_at, results)


def measure(target: Target, *, port: int, args: argparse.Namespace) -> Run:
    """Start a fresh server for `target`, run the swarm against it, stop it."""
    run = Run(
        target=target,
        clients=args.clients,
        processes=args.processes,
        client=args.client,
        rate=args.rate,
        seconds=args.seconds,
    )
    with serving(target.command, port=port) as server:
        uvloop.run(_exercise(server, run, args))
        run.server_warnings = server_warnings(server.log)
    return run
