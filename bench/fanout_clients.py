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
import sys
from pathlib import Path

import orjson
import uvloop

from bench.common import raise_open_files_limit
from bench.fanout_connections import AsyncioClient, Client, SansIOClient
from bench.fanout_receipts import SummarySwarm, Swarm

# What a process received is bench/fanout_receipts.py's; one connection,
# bench/fanout_connections.py's. Here: the process, and its line protocol with the parent.


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
