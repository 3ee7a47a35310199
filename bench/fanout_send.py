"""The fan-out benchmark's senders: events at a fixed rate, each stamped with its send time.

`send_http` POSTs to the product as a publisher would; `send_ws` feeds the baseline's
publisher socket. Both are open loop (a slow answer does not delay the next event), so a
slow server shows as latency instead of as a lower rate. The soak benchmark uses
`send_http` too.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import orjson
from websockets.asyncio.client import connect

from bench.common import BENCH_TOKEN, OCCURRED_AT
from bench.fanout_run import Run

SENDER_CONNECTIONS = 16
POST_HEAD = (
    b"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    + f"Authorization: Bearer {BENCH_TOKEN}\r\n".encode()
    + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
)


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


async def send_http(url: str, run: Run, prefix: str, backlog_limit: float) -> dict[str, float]:
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


async def send_ws(url: str, run: Run, prefix: str, batch: float) -> dict[str, float]:
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
