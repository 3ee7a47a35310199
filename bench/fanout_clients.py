"""Fan-out client swarm: K websocket connections to one URL, timing every event they receive.

Run by `bench/fanout.py`, one process per share of the clients. Protocol with the parent:
once every connection is open (and, with --wait-first, has its first message: the product's
snapshot), the process prints `ready <connected> <failed>`. Then it reads commands on stdin:
`count` prints `count <deliveries so far>`; `stop` (or EOF) closes the connections, writes
the results as JSON to --out and prints `done`.

With --summary (the soak benchmark, bench/soak.py) nothing is kept per event: each
delivery's latency is taken from the send time the event carries in its note (the sender
and the clients share the machine's clock) and counted in a histogram of 0.1 ms buckets per
minute of sending; order, duplicates and deliveries come from each connection's last seq,
since the stream sends every connection its events in seq order. Memory then stays flat
however long the run.

Two implementations of a connection, both the `websockets` library: `asyncio` is its
asyncio client (a task and a message queue per connection), `sansio` drives its Sans-I/O
`ClientProtocol` straight from the socket callback, with no task switch per message. The
swarm must read every frame much faster than the server writes it, or the latencies
measure the swarm's own backlog.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import orjson
import uvloop
from websockets.asyncio.client import ClientConnection, connect
from websockets.client import ClientProtocol
from websockets.exceptions import ConnectionClosed
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.uri import parse_uri

from bench.common import raise_open_files_limit

MAX_SIZE = 2**24
OPEN_TIMEOUT = 60.0


SENT_AT = "sent_at="
BUCKETS_PER_MS = 10


@dataclass
class Seen:
    """What one connection has received so far."""

    ids: set[str] = field(default_factory=set)  # full mode only
    last_seq: int = 0  # summary mode only


class Swarm:
    """What all connections of this process received, and how they ended."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.connected = 0
        self.failed: Counter[str] = Counter()
        # Event id -> receive time on each connection that got it (first receipt only).
        self.times: defaultdict[str, list[float]] = defaultdict(list)
        self.duplicates = 0
        self.frames = 0
        self.deliveries = 0
        self.unexpected_first: Counter[str] = Counter()
        # Close codes of connections that ended before we asked them to.
        self.close_codes: Counter[str] = Counter()
        self.stopping = False
        self.settled = asyncio.Event()

    def attempt_done(self, error: BaseException | None) -> None:
        """One connection attempt finished, either way."""
        if error is None:
            self.connected += 1
        else:
            self.failed[type(error).__name__] += 1
        if self.connected + sum(self.failed.values()) == self.size:
            self.settled.set()

    def first(self, data: bytes) -> None:
        """Check the first message (the product's snapshot)."""
        kind = str(orjson.loads(data).get("type"))
        if kind != "snapshot":
            self.unexpected_first[kind] += 1

    def deliver(self, seen: Seen, data: bytes, received: float) -> None:
        """Record the events of one frame that reached one connection at `received`."""
        self.frames += 1
        frame = orjson.loads(data)
        if frame.get("type") != "events":
            return
        for record in frame["events"]:
            event_id = record["id"]
            if event_id in seen.ids:
                self.duplicates += 1
                continue
            seen.ids.add(event_id)
            self.deliveries += 1
            self.times[event_id].append(received)

    def closed_early(self, code: int) -> None:
        """A connection ended with `code` (1006: without a close frame)."""
        if not self.stopping:
            self.close_codes[str(code)] += 1

    def results(self) -> dict[str, Any]:
        """The JSON-able results the parent reads."""
        return {
            "connections": self.size,
            "connected": self.connected,
            "failed": dict(self.failed),
            "frames": self.frames,
            "duplicates": self.duplicates,
            "unexpected_first": dict(self.unexpected_first),
            "close_codes": dict(self.close_codes),
            "events": {
                event_id: {"times": times, "connections": len(times)}
                for event_id, times in self.times.items()
            },
        }


class SummarySwarm(Swarm):
    """A swarm that keeps histograms and counters instead of every receipt time."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        # (minute the event was sent, latency in 0.1 ms buckets) -> deliveries.
        self.histogram: Counter[tuple[int, int]] = Counter()
        self.out_of_order = 0

    def deliver(self, seen: Seen, data: bytes, received: float) -> None:
        """Count the events of one frame that reached one connection at `received`."""
        self.frames += 1
        frame = orjson.loads(data)
        if frame.get("type") != "events":
            return
        for record in frame["events"]:
            seq = int(record["seq"])
            if seq <= seen.last_seq:
                # The stream never repeats a seq on one connection, nor goes back.
                self.duplicates += 1
                continue
            seen.last_seq = seq
            self.deliveries += 1
            note = record.get("note") or ""
            if note.startswith(SENT_AT):
                sent = float(note[len(SENT_AT) :])
                bucket = max(0, round((received - sent) * 1000 * BUCKETS_PER_MS))
                self.histogram[(int(sent // 60), bucket)] += 1

    def results(self) -> dict[str, Any]:
        """Counters and the histogram as [minute, bucket, deliveries] rows."""
        result = super().results()
        result["events"] = {}
        result["deliveries"] = self.deliveries
        result["histogram"] = [[*key, count] for key, count in self.histogram.items()]
        return result


class AsyncioClient:
    """One connection on the `websockets` asyncio client."""

    def __init__(self, swarm: Swarm, url: str, *, wait_first: bool, deflate: bool) -> None:
        self.swarm = swarm
        self.url = url
        self.wait_first = wait_first
        self.deflate = deflate
        self.connection: ClientConnection | None = None
        self.seen = Seen()

    async def open(self) -> None:
        """Connect (and read the first message when asked to)."""
        self.connection = await connect(
            self.url,
            compression="deflate" if self.deflate else None,
            # The server pings (the client answers by itself); no client pings to add noise.
            ping_interval=None,
            open_timeout=OPEN_TIMEOUT,
            max_size=MAX_SIZE,
            proxy=None,
        )
        if self.wait_first:
            self.swarm.first(await self.connection.recv(decode=False))

    async def listen(self) -> None:
        """Record every frame until the connection ends."""
        assert self.connection is not None
        try:
            while True:
                data = await self.connection.recv(decode=False)
                self.swarm.deliver(self.seen, data, time.time())
        except ConnectionClosed as closed:
            self.swarm.closed_early(closed.rcvd.code if closed.rcvd is not None else 1006)

    async def close(self) -> None:
        """Close the connection normally."""
        if self.connection is not None:
            await self.connection.close()


class SansIOClient(asyncio.Protocol):
    """One connection on the `websockets` Sans-I/O protocol, read in the socket callback."""

    def __init__(self, swarm: Swarm, url: str, *, wait_first: bool, deflate: bool) -> None:
        self.swarm = swarm
        self.url = url
        self.wait_first = wait_first
        extensions = [ClientPerMessageDeflateFactory()] if deflate else None
        self.protocol = ClientProtocol(parse_uri(url), extensions=extensions, max_size=MAX_SIZE)
        self.transport: asyncio.Transport | None = None
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.ended: asyncio.Future[None] = loop.create_future()
        self.fragments: list[bytes] = []
        self.seen = Seen()
        self.established = False

    async def open(self) -> None:
        """Connect and shake hands (and read the first message when asked to)."""
        uri = parse_uri(self.url)
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(OPEN_TIMEOUT):
            await loop.create_connection(lambda: self, uri.host, uri.port)
            await self.opened

    async def listen(self) -> None:
        """Frames are handled in data_received; this only waits for the end."""
        await self.ended

    async def close(self) -> None:
        """Send a close frame; drop the socket if the server does not close it soon."""
        if self.transport is None or self.ended.done():
            return
        self.protocol.send_close(1000)
        self._flush()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await asyncio.shield(self.ended)
        if not self.transport.is_closing():
            self.transport.abort()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Send the opening handshake."""
        # uvloop's transports do not subclass asyncio.Transport, hence a cast, not a check.
        self.transport = cast(asyncio.Transport, transport)
        self.protocol.send_request(self.protocol.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        """Parse what arrived; every frame in it arrived now."""
        received = time.time()
        self.protocol.receive_data(data)
        for event in self.protocol.events_received():
            if not isinstance(event, Frame):
                self._handshake_done()
            elif event.opcode in (Opcode.TEXT, Opcode.BINARY, Opcode.CONT):
                self.fragments.append(bytes(event.data))
                if event.fin:
                    message, self.fragments = b"".join(self.fragments), []
                    self._message(message, received)
        # Pongs and the closing handshake's answer, queued by the protocol.
        self._flush()

    def eof_received(self) -> bool | None:
        """Let the protocol see the end of the stream."""
        self.protocol.receive_eof()
        self._flush()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        """Record how the connection ended."""
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed during the handshake"))
        if self.established:
            close = self.protocol.close_rcvd
            self.swarm.closed_early(close.code if close is not None else 1006)
        if not self.ended.done():
            self.ended.set_result(None)

    def _handshake_done(self) -> None:
        if self.protocol.state is not State.OPEN:
            error = self.protocol.handshake_exc or ConnectionError("handshake failed")
            self.opened.set_exception(error)
        elif not self.wait_first:
            self.established = True
            self.opened.set_result(None)

    def _message(self, data: bytes, received: float) -> None:
        if not self.established:
            self.swarm.first(data)
            self.established = True
            self.opened.set_result(None)
        else:
            self.swarm.deliver(self.seen, data, received)

    def _flush(self) -> None:
        assert self.transport is not None
        for data in self.protocol.data_to_send():
            if data:
                self.transport.write(data)
            elif self.transport.can_write_eof():
                self.transport.write_eof()


Client = AsyncioClient | SansIOClient


async def _connect_and_listen(swarm: Swarm, client: Client, gate: asyncio.Semaphore) -> None:
    try:
        # The gate keeps handshakes from piling into the listen backlog all at once.
        async with gate:
            await client.open()
    except Exception as error:
        swarm.attempt_done(error)
        return
    swarm.attempt_done(None)
    await client.listen()


async def run(args: argparse.Namespace) -> Swarm:
    """Connect, report ready, collect until told to stop."""
    swarm = SummarySwarm(args.connections) if args.summary else Swarm(args.connections)
    gate = asyncio.Semaphore(args.concurrency)
    kind = SansIOClient if args.client == "sansio" else AsyncioClient
    clients = [
        kind(swarm, args.url, wait_first=args.wait_first, deflate=args.deflate)
        for _ in range(args.connections)
    ]
    tasks = [asyncio.create_task(_connect_and_listen(swarm, client, gate)) for client in clients]
    await swarm.settled.wait()
    print(f"ready {swarm.connected} {sum(swarm.failed.values())}", flush=True)
    while (await asyncio.to_thread(sys.stdin.readline)).strip() == "count":
        print(f"count {swarm.deliveries}", flush=True)
    swarm.stopping = True
    await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)
    await asyncio.gather(*tasks, return_exceptions=True)
    return swarm


def main() -> int:
    """Parse the arguments and run the swarm on uvloop."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--connections", type=int, default=250)
    parser.add_argument("--out", required=True)
    parser.add_argument("--client", choices=("sansio", "asyncio"), default="sansio")
    parser.add_argument("--wait-first", action="store_true", help="ready after 1st message")
    parser.add_argument("--deflate", action="store_true", help="offer per-message deflate")
    parser.add_argument("--concurrency", type=int, default=50, help="handshakes at once")
    parser.add_argument(
        "--summary", action="store_true", help="histograms, not every receipt (long runs)"
    )
    args = parser.parse_args()
    raise_open_files_limit()
    # uvloop: the swarm's own overhead is measurement noise, so keep it as small as possible.
    swarm = uvloop.run(run(args))
    Path(args.out).write_bytes(orjson.dumps(swarm.results()))
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
