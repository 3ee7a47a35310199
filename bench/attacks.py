"""Attack benchmark (issue 15): what anonymous clients make a `skywatch serve` hold, with the
product's default limits, and what a legitimate client's POSTs cost meanwhile.

Run with `python -m bench.attacks`; writes the "attacks" section of docs/reliability.md. Each
attack runs against a fresh server (SQLite, one worker, default limits); the server's VmRSS
is sampled every 50 ms; a legitimate client posts single events one after another over a
keep-alive connection throughout, and its p50/p99 are set beside the same client's on the
idle server. The legitimate client runs in a process of its own (bench/legitimate_client.py): on the
benchmark's event loop it timed the attackers' work too (150 websocket clients writing 4 MiB
each) and read p99 671 ms for a server answering in tens. Attackers, the legitimate client
and the server still share the machine's cores, so latencies include that contention.

The short attacks (heads, fragments, /replays bodies: one wave is over in a second or two)
are sustained: wave after wave for SUSTAIN_SECONDS, as an attacker who means it would, so
that the legitimate client's p99 is a percentile of several hundred POSTs rather than the
slowest of the few dozen one wave allows, and memory kept between waves shows.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bench.common import BENCH_TOKEN
from bench.legitimate_client import LegitimateClient
from bench.report import write_section
from bench.server import serving
from tests.helpers.attack import (
    PeakRss,
    answer_of,
    open_raw,
    rss_mb,
    send_until_refused,
    unfinished_head,
)

RELIABILITY_MD = Path(__file__).resolve().parent.parent / "docs" / "reliability.md"
Attack = Callable[[int], Awaitable[str]]
# One wave of a short attack: how many of its connections were refused, of how many.
Wave = Callable[[int], Awaitable[tuple[int, int]]]
SUSTAIN_SECONDS = 10.0


@dataclass(frozen=True)
class Result:
    """One attack against one fresh server."""

    name: str
    outcome: str
    baseline_mb: float
    peak_mb: float
    after_mb: float
    idle_p50: float
    idle_p99: float
    p50: float
    p99: float
    posts: int
    failed: int


def _p(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[q - 1]


def sustained(wave: Wave, refused: str) -> Attack:
    """Waves of `wave`, one after another, until SUSTAIN_SECONDS have passed."""

    async def attack(port: int) -> str:
        start = time.monotonic()
        waves = held = total = 0
        while time.monotonic() - start < SUSTAIN_SECONDS:
            done, of = await wave(port)
            waves, held, total = waves + 1, held + done, total + of
        seconds = time.monotonic() - start
        return f"{held} of {total} {refused}; {waves} waves in {seconds:.0f} s"

    return attack


async def _heads(port: int) -> tuple[int, int]:
    conns = [await open_raw(port) for _ in range(20)]
    head = unfinished_head("/api/v1/events", 32 * 1024 * 1024)
    await asyncio.gather(*(send_until_refused(w, head, piece=256 * 1024) for _, w in conns))
    answers = [await answer_of(r, wait=15) for r, _ in conns]
    for _, writer in conns:
        writer.close()
    refused = sum(
        1 for a in answers if a is not None and (a == b"" or a.startswith(b"HTTP/1.1 431"))
    )
    return refused, len(conns)


async def _fragments(port: int) -> tuple[int, int]:
    url = f"ws://127.0.0.1:{port}/api/v1/stream?night=2025-07-04"

    async def one() -> int | None:
        """The close code of one stream, or 429 when its handshake was refused (a ban)."""

        async def pieces() -> object:
            for _ in range(64):
                yield "f" * 65536
                await asyncio.sleep(0)

        try:
            async with connect(url, max_size=None, open_timeout=20) as ws:
                await ws.recv()
                with contextlib.suppress(ConnectionClosed):
                    await ws.send(pieces())  # type: ignore[arg-type]
                    await asyncio.wait_for(ws.recv(), 10)
            return ws.close_code
        except InvalidStatus as refused:
            return refused.response.status_code
        except (OSError, TimeoutError, ConnectionClosed):
            return None

    codes = await asyncio.gather(*(one() for _ in range(150)))
    closed = sum(1 for code in codes if code in (1009, 1006, 429))
    return closed, len(codes)


async def _slowloris(port: int) -> str:
    conns = []
    for _ in range(1100):
        try:
            conns.append(await open_raw(port))
        except OSError:
            break
    for _, writer in conns:
        writer.write(b"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    for _ in range(6):
        for _, writer in conns:
            if not writer.is_closing():
                writer.write(b"X")
        await asyncio.sleep(5)
    open_after = sum(1 for r, _ in conns if not r.at_eof())
    for _, writer in conns:
        writer.close()
    return f"{len(conns)} slow heads for 30 s; {open_after} still open at the end"


async def _unfinished_bodies(port: int) -> tuple[int, int]:
    async def one() -> bytes | None:
        reader, writer = await open_raw(port)
        writer.write(
            b"POST /api/v1/replays HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"%x\r\n" % 65536 + b" " * 65536 + b"\r\n"
        await send_until_refused(writer, chunk * 128, piece=len(chunk))
        answer = await answer_of(reader, wait=40)
        writer.close()
        return answer

    answers = await asyncio.gather(*(one() for _ in range(100)))
    refused = sum(1 for a in answers if a is not None)
    return refused, len(answers)


async def _never_ending_body(port: int) -> str:
    reader, writer = await open_raw(port)
    writer.write(
        b"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Authorization: Bearer {BENCH_TOKEN}\r\n".encode()
        + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n[    \r\n"
    )
    start = time.monotonic()
    answer = await answer_of(reader, wait=90)
    writer.close()
    held = time.monotonic() - start
    return "held over 90 s" if answer is None else f"closed after {held:.0f} s (408)"


ATTACKS: list[tuple[str, Attack, tuple[str, ...]]] = [
    ("waves of 20 unfinished 32 MiB heads", sustained(_heads, "refused (431 or closed)"), ()),
    (
        "waves of 150 never-finished fragmented websocket messages",
        sustained(_fragments, "closed (1009) before 4 MiB, or refused (429)"),
        (),
    ),
    ("slowloris: 1,100 heads, a byte every 5 s, ulimit -n 1024", _slowloris, ("1024",)),
    (
        "waves of 100 anonymous unfinished 8 MiB bodies to /replays",
        sustained(_unfinished_bodies, "refused (413) before 8 MiB"),
        (),
    ),
    ("a chunked body never terminated", _never_ending_body, ()),
]


async def _measure(url: str, pid: int, name: str, attack: Attack, port: int) -> Result:
    idle = LegitimateClient(url)
    await idle.posting()
    await asyncio.sleep(5)
    idle_latencies, _ = await idle.stop()
    baseline = rss_mb(pid)
    loaded = LegitimateClient(url)
    await loaded.posting()
    async with PeakRss(pid) as rss:
        outcome = await attack(port)
    latencies, failed = await loaded.stop()
    await asyncio.sleep(2)
    return Result(
        name=name,
        outcome=outcome,
        baseline_mb=baseline,
        peak_mb=rss.peak,
        after_mb=rss_mb(pid),
        idle_p50=_p(idle_latencies, 50),
        idle_p99=_p(idle_latencies, 99),
        p50=_p(latencies, 50),
        p99=_p(latencies, 99),
        posts=len(latencies),
        failed=failed,
    )


def _run(name: str, attack: Attack, nofile: tuple[str, ...]) -> Result:
    command = None
    if nofile:
        skywatch = str(Path(sys.executable).with_name("skywatch"))

        def command(port: int) -> list[str]:
            limit = f"--nofile={nofile[0]}:{nofile[0]}"
            return ["prlimit", limit, "--", skywatch, "serve", "--port", str(port)]

    with serving(command) as server:
        port = int(server.url.rsplit(":", 1)[1])
        return asyncio.run(_measure(server.url, server.pid, name, attack, port))


def _table(results: list[Result]) -> str:
    lines = [
        "| attack | outcome | RSS before / peak / 2 s after | legitimate POSTs during "
        "(failed) | POST p50 / p99 idle | POST p50 / p99 during | p99 ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.outcome} | {r.baseline_mb:.0f} / {r.peak_mb:.0f} / "
            f"{r.after_mb:.0f} MiB | {r.posts} ({r.failed}) | {r.idle_p50:.1f} / "
            f"{r.idle_p99:.1f} ms | {r.p50:.1f} / {r.p99:.1f} ms | {r.p99 / r.idle_p99:.1f}x |"
        )
    return "\n".join(lines)


def main() -> int:
    """Run every attack and write the attacks section of docs/reliability.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="run the attacks whose name contains this")
    args = parser.parse_args()
    results = []
    for name, attack, nofile in ATTACKS:
        if args.only and args.only not in name:
            continue
        result = _run(name, attack, nofile)
        print(result, flush=True)
        results.append(result)
    body = (
        "## Attacks (`bench/attacks.py`)\n\n"
        "Default limits, one worker, SQLite; see the module docstring for the method.\n\n"
        + _table(results)
    )
    write_section("attacks", body, RELIABILITY_MD)
    return 0


if __name__ == "__main__":
    sys.exit(main())
