"""A legitimate writer for the benchmarks that load the server (bench/attacks.py,
bench/reads.py): single-event POSTs one after another, timed in a process of its own.

On the benchmark's own event loop the client timed the load's work too: 150 websocket
attackers writing 4 MiB each read as a p99 of 671 ms for a server answering in tens, and four
readers parsing 3 MB pages as the writes' wait. A spawned process has an event loop nobody
else uses; it still shares the machine's cores with the load and the server.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event as EventFlag

import httpx

from bench.common import BENCH_TOKEN, OCCURRED_AT

# Between POSTs: a writer that leaves the server a moment, as an upstream feed does.
PAUSE_SECONDS = 0.01


async def _post_loop(url: str, stop: asyncio.Event) -> tuple[list[float], int]:
    """Single-event POSTs one after another until `stop`; latencies in ms and failures."""
    latencies: list[float] = []
    failed = 0
    headers = {"Authorization": f"Bearer {BENCH_TOKEN}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        while not stop.is_set():
            start = time.perf_counter()
            try:
                event = {"kind": "launch", "weapon": "drone", "occurred_at": OCCURRED_AT}
                response = await client.post("/api/v1/events", json=event)
                ok = response.status_code in (200, 201)
            except httpx.TransportError:
                ok = False
            if ok:
                latencies.append((time.perf_counter() - start) * 1000)
            else:
                failed += 1
            await asyncio.sleep(PAUSE_SECONDS)
    return latencies, failed


def _post_until(url: str, started: EventFlag, stop: EventFlag, results: Connection) -> None:
    """A process's whole life: POST until `stop` is set, then send (latencies, failures)."""

    async def run() -> tuple[list[float], int]:
        flag = asyncio.Event()
        started.set()

        async def watch() -> None:
            await asyncio.to_thread(stop.wait)
            flag.set()

        watcher = asyncio.create_task(watch())
        outcome = await _post_loop(url, flag)
        await watcher
        return outcome

    results.send(asyncio.run(run()))
    results.close()


class LegitimateClient:
    """`_post_loop` in a process of its own, with an event loop the load does not share."""

    def __init__(self, url: str) -> None:
        context = multiprocessing.get_context("spawn")
        self._started = context.Event()
        self._stop = context.Event()
        self._results, sending = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_post_until, args=(url, self._started, self._stop, sending), daemon=True
        )
        self._process.start()
        sending.close()

    async def posting(self) -> None:
        """Wait until the process is up and posting (its imports take a second or so)."""
        await asyncio.to_thread(self._started.wait, 60)
        await asyncio.sleep(0.5)

    async def stop(self) -> tuple[list[float], int]:
        """Stop posting; the latencies (ms) and failures."""
        self._stop.set()
        outcome: tuple[list[float], int] = await asyncio.to_thread(self._results.recv)
        await asyncio.to_thread(self._process.join, 30)
        return outcome
