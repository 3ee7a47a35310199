"""Live-stream fan-out benchmark: event latency to 1,000 websocket clients, product vs baseline.

Run with `python -m bench.fanout [--clients 1000] [--rate 100] [--seconds 30]`. For the product
(`skywatch serve`, and optionally uvicorn with per-message deflate on) and for a minimal
`websockets` broadcast server (`bench/fanout_baseline.py`) in turn: start the server, connect
a swarm of clients (`bench/fanout_clients.py`, several processes), send events at a fixed
rate, then compute send-to-receipt latency over every (event, client) pair, lost and
duplicated deliveries, and the server's resident memory per idle connection.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import uvloop
from websockets.asyncio.client import connect

from bench.common import (
    BENCH_TOKEN,
    NIGHT,
    OCCURRED_AT,
    percentile,
    raise_open_files_limit,
    verdict,
    websocket_url,
)
from bench.report import machine, write_section
from bench.server import Command, Server, server_warnings, serving

STREAM_PATH = f"/api/v1/stream?night={NIGHT}"
P99_TARGET_MS = 50.0
RATIO_TARGET = 1.5
RSS_TARGET_KIB = 100.0
READY_TIMEOUT = 180.0
SENDER_CONNECTIONS = 16
POST_HEAD = (
    b"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    + f"Authorization: Bearer {BENCH_TOKEN}\r\n".encode()
    + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


@dataclass(frozen=True)
class Target:
    """One server to measure."""

    label: str
    slug: str  # event id prefix
    product: bool
    deflate: bool = False

    @property
    def command(self) -> Command | None:
        """port -> the command line that starts this server; None for `skywatch serve`."""
        if not self.product:
            return self._baseline
        return self._deflate if self.deflate else None

    @staticmethod
    def _baseline(port: int) -> list[str]:
        return [sys.executable, "-m", "bench.fanout_baseline", "--port", str(port)]

    @staticmethod
    def _deflate(port: int) -> list[str]:
        # `skywatch serve` has no switch for deflate: same uvicorn settings, deflate on.
        return [
            *(sys.executable, "-m", "uvicorn", "backend.main:create_app", "--factory"),
            *("--port", str(port), "--ws", "backend.stream.ws_protocol:StreamWebSocketProtocol"),
            *("--ws-ping-interval", "20", "--ws-ping-timeout", "20", "--no-proxy-headers"),
            *("--ws-per-message-deflate", "true", "--no-access-log"),
        ]

    @property
    def ws_path(self) -> str:
        """Where the clients subscribe."""
        return STREAM_PATH if self.product else "/stream"


@dataclass
class Run:
    """The figures of one target."""

    target: Target
    clients: int
    processes: int
    client: str
    rate: int
    seconds: int
    sent: int = 0
    failed_sends: dict[str, int] = field(default_factory=dict)
    send_seconds: float = 0.0
    drain_seconds: float = 0.0
    drain_cut: bool = False  # deliveries were still arriving when the drain limit struck
    connected: int = 0
    failed_connects: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    expected: int = 0
    received: int = 0
    duplicates: int = 0
    strays: int = 0
    frames: int = 0
    close_codes: dict[str, int] = field(default_factory=dict)
    rss_empty_kib: int = 0
    rss_idle_kib: int = 0
    server_cpu_percent: float = 0.0
    swarm_cpu_percent: float = 0.0
    server_cpu_seconds: float = 0.0
    swarm_cpu_seconds: float = 0.0
    sender_cpu_percent: float = 0.0
    others_cpu_percent: float = 0.0
    machine_cpu_percent: float = 0.0
    acks_ms: list[float] = field(default_factory=list)
    server_warnings: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        """(event, client) deliveries that never arrived."""
        return self.expected - self.received

    @property
    def rss_per_connection_kib(self) -> float:
        """Server memory added per idle connection."""
        return (self.rss_idle_kib - self.rss_empty_kib) / max(self.connected, 1)

    @property
    def server_us_per_frame(self) -> float:
        """Server CPU time per frame delivered to one client: the per-send cost.

        CPU time, unlike latency, hardly depends on what else the machine runs meanwhile.
        """
        return 1e6 * self.server_cpu_seconds / max(self.frames, 1)

    @property
    def swarm_us_per_frame(self) -> float:
        """Client swarm CPU time per frame received (the load generator's own cost)."""
        return 1e6 * self.swarm_cpu_seconds / max(self.frames, 1)

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile of the delivery latencies (bench.common.percentile)."""
        return percentile(self.latencies_ms, share)


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def _cpu_seconds(pid: int) -> float:
    # Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime, stime.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _busy_cpu_seconds() -> float:
    # First line of /proc/stat: the whole machine's jiffies; idle and iowait are not busy.
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / CLOCK_TICKS


def _event(event_id: str, sent: float) -> dict[str, Any]:
    return {
        "id": event_id,
        "kind": "launch",
        "weapon": "drone",
        "count": 1,
        "occurred_at": OCCURRED_AT,
        "note": f"sent_at={sent:.6f}",
    }


async def _paced(rate: int, seconds: int) -> AsyncIterator[int]:
    """0, 1, 2... at `rate` per second; a late tick fires at once, but none after `seconds`."""
    start = time.monotonic()
    for index in range(rate * seconds):
        delay = start + index / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        elif time.monotonic() - start >= seconds:
            return
        yield index


async def _post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes) -> int:
    """One POST of an event on a keep-alive HTTP/1.1 connection; the answer's status."""
    writer.write(POST_HEAD % len(body) + body)
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _send_http(url: str, run: Run, prefix: str, backlog_limit: float) -> dict[str, float]:
    """POST run.rate events/s, open loop (a slow answer does not delay the next event).

    Raw HTTP/1.1 on a few keep-alive connections rather than httpx: on this 2-core machine
    httpx's client took about ten times the CPU per request, which the server then lacked.
    """
    sent_at: dict[str, float] = {}
    failures: Counter[str] = Counter()
    queue: asyncio.Queue[tuple[str, float] | None] = asyncio.Queue()
    address = urlsplit(url)

    async def poster() -> None:
        connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while (item := await queue.get()) is not None:
            event_id, sent = item
            try:
                if connection is None:
                    connection = await asyncio.open_connection(address.hostname, address.port)
                outcome = str(await _post(*connection, orjson.dumps(_event(event_id, sent))))
            except (OSError, EOFError, ValueError, IndexError) as error:
                outcome = type(error).__name__
                if connection is not None:
                    connection[1].close()
                connection = None
            queue.task_done()
            if outcome != "201":
                # Not stored, so not expected on the stream either.
                failures[outcome] += 1
                del sent_at[event_id]
                continue
            run.acks_ms.append((time.time() - sent) * 1000)
        if connection is not None:
            connection[1].close()

    # A fixed set of connections, each posting in turn, like a real publisher. When the server
    # is slow, events wait in the queue; their send time is taken on schedule, so that wait
    # counts in the latency.
    posters = [asyncio.create_task(poster()) for _ in range(SENDER_CONNECTIONS)]
    try:
        start = time.monotonic()
        async for index in _paced(run.rate, run.seconds):
            event_id, sent = f"{prefix}-{index:06d}", time.time()
            sent_at[event_id] = sent
            queue.put_nowait((event_id, sent))
        run.send_seconds = time.monotonic() - start
        # A server far behind would keep the sender busy for minutes: give it `backlog_limit`
        # seconds, then drop what was never sent (neither sent nor expected, but counted).
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(backlog_limit):
                await queue.join()
        while not queue.empty():
            if (item := queue.get_nowait()) is not None:
                del sent_at[item[0]]
                failures["never sent (sender backlog)"] += 1
        for _ in posters:
            queue.put_nowait(None)
        await asyncio.gather(*posters)
    finally:
        for task in posters:
            task.cancel()
    run.acks_ms.sort()
    run.failed_sends = dict(failures)
    return sent_at


async def _send_ws(url: str, run: Run, prefix: str, batch: float) -> dict[str, float]:
    """Send run.rate events/s over the baseline's publisher connection, a frame per `batch` s.

    With `batch` 0 every event is its own frame; above 0 events wait to share a frame, as the
    product's hub coalesces what commits within its minimum fetch interval.
    """
    sent_at: dict[str, float] = {}
    pending: list[dict[str, Any]] = []
    start = flushed = time.monotonic()
    async with connect(f"{url}/publish", compression=None, proxy=None) as publisher:

        async def flush() -> None:
            nonlocal pending, flushed
            frame = {"type": "events", "seq": len(sent_at), "events": pending}
            await publisher.send(orjson.dumps(frame).decode())
            pending, flushed = [], time.monotonic()

        start = flushed = time.monotonic()
        async for index in _paced(run.rate, run.seconds):
            event_id, sent = f"{prefix}-{index:06d}", time.time()
            pending.append(_event(event_id, sent))
            sent_at[event_id] = sent
            if time.monotonic() - flushed >= batch:
                await flush()
        if pending:
            await flush()
        run.send_seconds = time.monotonic() - start
    return sent_at


@dataclass
class Swarm:
    """The client processes of one run."""

    processes: list[asyncio.subprocess.Process]
    outputs: list[Path]


async def _start_swarm(ws_url: str, run: Run, scratch: Path, extra: tuple[str, ...] = ()) -> Swarm:
    """Start run.processes client processes sharing run.clients connections to `ws_url`."""
    swarm = Swarm(processes=[], outputs=[])
    shares = [run.clients // run.processes] * run.processes
    for index in range(run.clients % run.processes):
        shares[index] += 1
    for index, share in enumerate(shares):
        output = scratch / f"swarm-{index}.json"
        command = [sys.executable, "-m", "bench.fanout_clients", "--url", ws_url]
        command += ["--connections", str(share), "--out", str(output)]
        if run.target.product:
            command.append("--wait-first")
        if run.target.deflate:
            command.append("--deflate")
        command += ["--client", run.client, *extra]
        process = await asyncio.create_subprocess_exec(
            *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        swarm.processes.append(process)
        swarm.outputs.append(output)
    return swarm


async def _line(process: asyncio.subprocess.Process, within: float) -> str:
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), within)
    if not line:
        raise RuntimeError(f"client process {process.pid} exited early ({await process.wait()})")
    return line.decode().strip()


async def _wait_ready(swarm: Swarm, run: Run) -> None:
    for process in swarm.processes:
        _word, connected, _failed = (await _line(process, READY_TIMEOUT)).split()
        run.connected += int(connected)


async def _deliveries(swarm: Swarm) -> int:
    for process in swarm.processes:
        assert process.stdin is not None
        process.stdin.write(b"count\n")
        await process.stdin.drain()
    total = 0
    for process in swarm.processes:
        _word, count = (await _line(process, 60)).split()
        total += int(count)
    return total


async def _drain(swarm: Swarm, run: Run, *, quiet: float, limit: float) -> None:
    """Wait until every delivery arrived, or none arrived for `quiet` s, or `limit` s passed."""
    started = progressed = time.monotonic()
    delivered = -1
    while True:
        now_delivered = await _deliveries(swarm)
        if now_delivered >= run.sent * run.clients:
            break
        if now_delivered > delivered:
            delivered, progressed = now_delivered, time.monotonic()
        elif time.monotonic() - progressed > quiet:
            break
        if time.monotonic() - started >= limit:
            run.drain_cut = True
            break
        await asyncio.sleep(0.5)
    run.drain_seconds = time.monotonic() - started


async def _stop_swarm(swarm: Swarm) -> list[dict[str, Any]]:
    for process in swarm.processes:
        assert process.stdin is not None
        process.stdin.write(b"stop\n")
        await process.stdin.drain()
    for process in swarm.processes:
        await _line(process, 120)
        await process.wait()
    return [orjson.loads(output.read_bytes()) for output in swarm.outputs]


async def _kill_swarm(swarm: Swarm) -> None:
    # After an error (or Ctrl-C) midway: no client process may outlive the benchmark.
    for process in swarm.processes:
        if process.returncode is None:
            process.kill()
            await process.wait()


def _swarm_cpu(swarm: Swarm) -> float:
    return sum(_cpu_seconds(process.pid) for process in swarm.processes)


async def _warm_up(ws_url: str, target: Target) -> None:
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
    await _warm_up(ws_url, run.target)
    await asyncio.sleep(1.0)
    run.rss_empty_kib = _rss_kib(server.pid)
    with tempfile.TemporaryDirectory(prefix="skywatch-fanout-swarm-") as scratch:
        swarm = await _start_swarm(ws_url, run, Path(scratch))
        try:
            await _wait_ready(swarm, run)
            # Let the handshakes' transient buffers go before reading the idle footprint.
            await asyncio.sleep(2.0)
            run.rss_idle_kib = _rss_kib(server.pid)
            server_cpu, swarm_cpu = _cpu_seconds(server.pid), _swarm_cpu(swarm)
            own_cpu, busy_cpu = _cpu_seconds(os.getpid()), _busy_cpu_seconds()
            started = time.monotonic()
            prefix = run.target.slug
            if run.target.product:
                sent_at = await _send_http(server.url, run, prefix, args.drain_limit)
            else:
                sent_at = await _send_ws(ws_base, run, prefix, args.baseline_batch_ms / 1000)
            run.sent = len(sent_at)
            await _drain(swarm, run, quiet=args.drain, limit=args.drain_limit)
            window = time.monotonic() - started
            run.server_cpu_seconds = _cpu_seconds(server.pid) - server_cpu
            run.swarm_cpu_seconds = _swarm_cpu(swarm) - swarm_cpu
            run.server_cpu_percent = 100 * run.server_cpu_seconds / window
            run.swarm_cpu_percent = 100 * run.swarm_cpu_seconds / window
            run.sender_cpu_percent = 100 * (_cpu_seconds(os.getpid()) - own_cpu) / window
            busy = 100 * (_busy_cpu_seconds() - busy_cpu) / window
            ours = run.server_cpu_percent + run.swarm_cpu_percent + run.sender_cpu_percent
            # Other jobs (and uncharged kernel work) compete with the benchmark for the cores.
            run.others_cpu_percent = max(0.0, busy - ours)
            run.machine_cpu_percent = busy
            results = await _stop_swarm(swarm)
        finally:
            await _kill_swarm(swarm)
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


def _ms(value: float) -> str:
    return f"{value:.1f} ms"


def _codes(run: Run) -> str:
    if not run.close_codes:
        return "none"
    return ", ".join(f"{code} x{count}" for code, count in sorted(run.close_codes.items()))


def _cpu(run: Run) -> str:
    shares = (run.server_cpu_percent, run.swarm_cpu_percent, run.sender_cpu_percent)
    return " / ".join(f"{share:.0f}%" for share in (*shares, run.others_cpu_percent))


def _table(runs: list[Run]) -> str:
    lines = [
        "| server | clients | events/s | seconds | p50 | p99 | max | lost | duplicates "
        "| frames per client | early closes | CPU server / clients / sender / rest "
        "| RSS per idle connection |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run.target.label} | {run.connected:,} of {run.clients:,} "
            f"| {run.sent / run.send_seconds:,.0f} | {run.seconds} "
            f"| {_ms(run.percentile(0.5))} | {_ms(run.percentile(0.99))} "
            f"| {_ms(run.percentile(1.0))} | {run.lost:,} | {run.duplicates:,} "
            f"| {run.frames / max(run.connected, 1):,.0f} | {_codes(run)} | {_cpu(run)} "
            f"| {run.rss_per_connection_kib:.1f} KiB |"
        )
    return "\n".join(lines)


def _saturated(run: Run) -> bool:
    # Within 10% of every core busy: latencies then measure the queue for the CPU.
    return run.machine_cpu_percent >= 0.9 * 100 * CORES


def _targets(runs: list[Run]) -> list[str]:
    product, baseline = runs[0], runs[1]
    p99, base_p99 = product.percentile(0.99), baseline.percentile(0.99)
    ratio = p99 / base_p99
    rss = product.rss_per_connection_kib
    lines = [
        f"- p99 <= {P99_TARGET_MS:.0f} ms: product p99 {_ms(p99)}: "
        f"{verdict(p99 <= P99_TARGET_MS)}.",
        f"- product p99 <= {RATIO_TARGET}x baseline p99: {ratio:.2f}x ({_ms(p99)} vs "
        f"{_ms(base_p99)}): {verdict(ratio <= RATIO_TARGET)}"
        + (", but see the caveat below." if _saturated(baseline) else "."),
        f"- <= {RSS_TARGET_KIB:.0f} KiB per idle connection: product {rss:.1f} KiB (VmRSS "
        f"{product.rss_empty_kib:,} KiB after one warm-up connection, "
        f"{product.rss_idle_kib:,} KiB with {product.connected:,} idle clients): "
        f"{verdict(rss <= RSS_TARGET_KIB)}.",
        f"- 0 lost: product {product.lost:,} lost, {product.duplicates:,} duplicates, early "
        f"closes {_codes(product)}: {verdict(product.lost == 0)}.",
    ]
    if len(runs) > 2 and runs[2].target.deflate:
        deflate = runs[2]
        lines.append(
            f"- Per-message deflate (not a target, the reason it is off): p99 "
            f"{_ms(deflate.percentile(0.99))} with it vs {_ms(p99)} without, "
            f"{deflate.rss_per_connection_kib:.1f} vs {rss:.1f} KiB per idle connection."
        )
    if _saturated(baseline):
        lines.append(
            f"- Caveat: the baseline run kept the machine's {CORES} cores "
            f"{baseline.machine_cpu_percent / CORES:.0f}% busy (server, clients and other "
            "processes together), so its latencies are mostly queueing for the CPU and the "
            "ratio above compares two overloaded runs rather than two fan-out designs."
        )
    return lines


def _details(run: Run) -> str:
    extra = []
    if run.target.product:
        extra.append(
            f"POSTs answered (201) at p50 {_ms(percentile(run.acks_ms, 0.5))}, "
            f"p99 {_ms(percentile(run.acks_ms, 0.99))}"
        )
    extra.append(
        f"CPU per delivered frame: server {run.server_us_per_frame:.1f} us, clients "
        f"{run.swarm_us_per_frame:.1f} us"
    )
    if run.failed_sends:
        extra.append(f"failed sends {run.failed_sends}")
    if run.failed_connects:
        extra.append(f"failed connects {run.failed_connects}")
    if run.strays:
        extra.append(f"{run.strays:,} deliveries of ids never sent")
    if run.server_warnings:
        extra.append(f"{len(run.server_warnings)} WARNING/ERROR lines in the server log")
    if run.drain_cut:
        extra.append(
            f"deliveries were still arriving when the {run.drain_seconds:.0f} s drain limit "
            f"ended the run, so most of its {run.lost:,} lost were late rather than dropped"
        )
    if _saturated(run):
        extra.append(f"machine CPU-saturated ({run.machine_cpu_percent / CORES:.0f}% busy)")
    return (
        f"- {run.target.label}: {run.sent:,} events sent in {run.send_seconds:.1f} s, then "
        f"{run.drain_seconds:.1f} s of draining; {run.received:,} of {run.expected:,} "
        f"deliveries" + "".join(f"; {item}" for item in extra) + "."
    )


def _body(runs: list[Run], args: argparse.Namespace) -> str:
    batching = (
        f"one frame per {args.baseline_batch_ms:g} ms carrying the events sent meanwhile"
        if args.baseline_batch_ms
        else "one frame per event"
    )
    client, client_note = "asyncio client", ""
    if args.client == "sansio":
        client = "Sans-I/O protocol driven from the socket callback"
        client_note = (
            ": its asyncio client, with a task switch and a queue per message, could not "
            "read this many frames per second on this machine and measured its own backlog"
        )
    method = (
        f"{args.clients:,} websocket clients subscribe, spread over {args.processes} client "
        f"processes (`bench/fanout_clients.py`, uvloop, the `websockets` library's {client})"
        f"{client_note}. "
        "The product's clients subscribe to "
        f"`{STREAM_PATH}` and count as connected once their snapshot arrived. Then {args.rate} "
        f"events/s are sent for {args.seconds} s (open loop: a slow answer does not delay the "
        "next event), each carrying its send time; the clients then get until every delivery "
        f"arrived, or {args.drain:g} s without a new one, or {args.drain_limit:g} s in all. "
        "Latency is receipt time on a client minus send time, over every delivered (event, "
        "client) pair; lost is events x clients minus deliveries. On the product each event "
        "is its own `POST /api/v1/events`, answered after the fsync'd group commit, so the "
        "latency includes HTTP, the commit and the hub's read of the change feed, and events "
        "that commit close together share a frame (see frames per client). The POSTs go out "
        f"over {SENDER_CONNECTIONS} keep-alive connections in plain HTTP/1.1 (httpx took "
        "about ten times the CPU per request here, taken from the server); an event waiting "
        "for a free connection is timed from its scheduled send time. The baseline "
        "(`bench/fanout_baseline.py`) is the `websockets` library alone, on the same loop "
        "(uvloop) and settings as the product (no per-message deflate, pings every 20 s): a "
        f"publisher websocket sends {batching} and `broadcast()` copies it to every client; "
        "no HTTP, no database. The deflate row runs the product under uvicorn directly "
        "(`python -m uvicorn backend.main:create_app --factory --ws websockets-sansio "
        "--ws-per-message-deflate true`, otherwise the settings of `skywatch serve`), its "
        "clients offering permessage-deflate. RSS per idle connection is the server's VmRSS "
        "with every client connected and idle minus its VmRSS after one warm-up connection, "
        "divided by the clients. Server, sender and clients share the machine, so CPU is "
        "given as percent of one core over sending plus draining, for the server, the client "
        "processes, the sender (the benchmark process) and the rest of the machine's busy "
        "time (other jobs, and kernel work charged to no process, such as part of the "
        "loopback traffic), all competing for the same cores. Early closes are close codes "
        "received before the benchmark closed the connections itself (4008: too slow; 1006: "
        "no close frame)."
    )
    return (
        "## Live stream fan-out (`bench/fanout.py`)\n\n"
        + method
        + f"\n\nProduct code: {_revision()}.\n\n"
        + _table(runs)
        + "\n\nTargets:\n\n"
        + "\n".join(_targets(runs))
        + "\n\nDetails:\n\n"
        + "\n".join(_details(run) for run in runs)
    )


def _revision() -> str:
    """The commit the product ran from, and whether backend/ had uncommitted changes."""
    root = Path(__file__).resolve().parent.parent

    def git(*arguments: str) -> str:
        done = subprocess.run(["git", *arguments], cwd=root, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "backend")
    return f"commit {commit}" + (" plus uncommitted changes in backend/" if dirty else "")


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _baseline_label(batch_ms: float) -> str:
    if batch_ms:
        return f"websockets baseline, {batch_ms:g} ms batches"
    return "websockets baseline"


def main() -> int:
    """Measure the product and the baseline, and write the fan-out section."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=100, help="events per second")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--processes", type=int, default=4, help="client swarm processes")
    parser.add_argument(
        "--client", choices=("sansio", "asyncio"), default="sansio", help="swarm connections"
    )
    parser.add_argument(
        "--drain", type=float, default=5.0, help="stop waiting after this long without news"
    )
    parser.add_argument(
        "--drain-limit", type=float, default=15.0, help="wait at most this long after sending"
    )
    parser.add_argument("--port", type=int, default=0, help="first port; 0: any free ones")
    parser.add_argument(
        "--baseline-batch-ms",
        type=float,
        default=0.0,
        help="baseline: events share a frame per this many ms (0: a frame per event)",
    )
    parser.add_argument("--no-deflate", action="store_true", help="skip the deflate row")
    parser.add_argument("--print-only", action="store_true", help="do not write the docs")
    parser.add_argument(
        "--only",
        action="append",
        choices=("product", "baseline", "deflate"),
        help="measure only these (repeatable); prints the figures, writes no docs",
    )
    args = parser.parse_args()
    # 1,000 sockets plus the swarm's pipes; children (server, swarm) inherit the raised limit.
    raise_open_files_limit()
    # SIGTERM unwinds like Ctrl-C, so the finally blocks stop the server and the swarm.
    signal.signal(signal.SIGTERM, _interrupt)
    targets = [
        Target("skywatch serve", "product", product=True),
        Target(_baseline_label(args.baseline_batch_ms), "baseline", product=False),
    ]
    if not args.no_deflate:
        targets.append(Target("skywatch, deflate on", "deflate", product=True, deflate=True))
    if args.only:
        targets = [target for target in targets if target.slug in args.only]
    runs = []
    for offset, target in enumerate(targets):
        run = measure(target, port=args.port + offset if args.port else 0, args=args)
        print(
            f"{target.label}: p50 {_ms(run.percentile(0.5))}, p99 {_ms(run.percentile(0.99))}, "
            f"max {_ms(run.percentile(1.0))}, lost {run.lost:,}, duplicates {run.duplicates}, "
            f"early closes {_codes(run)}, {run.rss_per_connection_kib:.1f} KiB/connection, "
            f"CPU server/clients/sender/rest {_cpu(run)}; frames/client "
            f"{run.frames / max(run.connected, 1):.0f}; CPU per frame server "
            f"{run.server_us_per_frame:.1f} us, clients {run.swarm_us_per_frame:.1f} us; POST p50 "
            f"{_ms(percentile(run.acks_ms, 0.5))} p99 {_ms(percentile(run.acks_ms, 0.99))}; "
            f"sent {run.sent} in {run.send_seconds:.1f} s, drained {run.drain_seconds:.1f} s",
            flush=True,
        )
        runs.append(run)
    if args.only:
        return 0
    body = _body(runs, args)
    if args.print_only:
        print(body)
    else:
        write_section("fanout", body)
    print(f"measured on {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
