"""Slow stream clients cost the server a bounded amount of memory, whatever is posted.

A client that stops reading is cut off (4008) after SKYWATCH_STREAM_SEND_TIMEOUT or when
SKYWATCH_STREAM_QUEUE_LIMIT changes pile up for it, whichever comes first; until then uvicorn
stops writing to it once its transport buffer is full. Here five such clients sit on a real
server, with its default limits, while 30,000 events of about 1.2 KB (36 MB of frames per
client) are posted and a sixth client reads them all; the server's resident memory is sampled
throughout. Buffering every frame for every stalled client would grow it by 180 MB or more.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.helpers.server_process import AUTH, ServerProcess, sqlite_server

NIGHT = "2025-07-04"
STALLED = 5
TOTAL = 30_000
BATCH = 1_000
NOTE = "n" * 1000
# Peak growth over the warmed-up server. Measured (SQLite, 2 cores): 11 MiB with no stalled
# client, 65 MiB with 5, 79 MiB with 20: the hub keeps changes until the slowest subscriber
# is cut off (at most the queue limit, shared by all), each stalled client adds about 1 MiB.
# Unbounded per-client buffering would be 36 MiB per client; an unbounded queue over 150 MiB.
GROWTH_BOUND_MB = 100.0


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server with the default stream limits (SQLite, synchronous NORMAL for speed)."""
    process = sqlite_server(tmp_path, "memory", SKYWATCH_SQLITE_SYNCHRONOUS="NORMAL")
    try:
        process.start()
        yield process
    finally:
        process.stop()


def rss_mb(pid: int) -> float:
    """Resident set size of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def events(prefix: str, start: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{prefix}{start + index}",
            "kind": "launch",
            "weapon": "drone",
            "occurred_at": "2025-07-03T22:00:00+03:00",
            "note": NOTE,
        }
        for index in range(BATCH)
    ]


async def post_all(server: ServerProcess, prefix: str, total: int) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=60, headers=AUTH) as client:
        for start in range(0, total, BATCH):
            response = await client.post("/api/v1/events", json=events(prefix, start))
            assert response.status_code == 201, response.text


async def read_events(ws: ClientConnection, count: int) -> int:
    received = 0
    while received < count:
        message = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if message["type"] == "events":
            received += len(message["events"])
    return received


async def drain(ws: ClientConnection) -> None:
    """Read until the server closes the connection."""
    while True:
        await asyncio.wait_for(ws.recv(), 30)


async def sample_peak(pid: int, stop: asyncio.Event) -> float:
    peak = 0.0
    while not stop.is_set():
        peak = max(peak, rss_mb(pid))
        await asyncio.sleep(0.05)
    return peak


async def test_stalled_clients_keep_server_memory_bounded(server: ServerProcess) -> None:
    assert server.process is not None
    pid = server.process.pid
    url = f"ws://127.0.0.1:{server.port}/api/v1/stream?night={NIGHT}"
    # Warm up every path (ingest, fan-out, caches) so that growth is what the clients cost.
    async with connect(url, compression=None) as warm:
        await warm.recv()
        await post_all(server, "w", 5 * BATCH)
        await read_events(warm, 5 * BATCH)
    await asyncio.sleep(0.5)
    baseline = rss_mb(pid)
    stop = asyncio.Event()
    sampling = asyncio.create_task(sample_peak(pid, stop))
    async with contextlib.AsyncExitStack() as stack:
        # max_queue=1: the library stops reading the socket, so the server's sends back up.
        stalled = [
            await stack.enter_async_context(connect(url, max_queue=1, compression=None))
            for _ in range(STALLED)
        ]
        for ws in stalled:
            await ws.recv()  # the snapshot; then never another read
        reader = await stack.enter_async_context(connect(url, compression=None))
        await reader.recv()
        reading = asyncio.create_task(read_events(reader, TOTAL))
        started = time.monotonic()
        await post_all(server, "s", TOTAL)
        assert await reading == TOTAL
        codes = []
        for ws in stalled:
            with pytest.raises(ConnectionClosed) as closed:
                await drain(ws)
            codes.append(closed.value.rcvd.code if closed.value.rcvd else None)
        elapsed = time.monotonic() - started
    stop.set()
    peak = await sampling
    growth = peak - baseline
    print(
        f"\nRSS baseline {baseline:.1f} MiB, peak {peak:.1f} MiB, growth {growth:.1f} MiB "
        f"with {STALLED} stalled clients and {TOTAL} events in {elapsed:.1f} s"
    )
    assert codes == [4008] * STALLED
    assert growth < GROWTH_BOUND_MB, f"server RSS grew {growth:.1f} MiB"
