"""A reconnect storm (issue 15): N viewers of a 20,000-event night connect at once, as every
screen does after a server restart; how long until each has its snapshot, and how many were
refused or closed. Snapshots are folded once per night and shared (backend/stream/snapshots.py).

Run with `python -m bench.reconnects [--viewers 1000]`; prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
import orjson
import websockets

from bench.common import AUTH, NIGHT, OCCURRED_AT, percentile, raise_open_files_limit, websocket_url
from bench.server import running_server

EVENT = {"kind": "launch", "weapon": "drone", "occurred_at": OCCURRED_AT, "region": "UA-30"}


async def _viewer(url: str, started: float) -> float | str:
    try:
        async with websockets.connect(url, max_size=None, open_timeout=60) as socket:
            message = orjson.loads(await asyncio.wait_for(socket.recv(), 60))
            if message.get("type") != "snapshot":
                return f"first message {message.get('type')}"
            return time.perf_counter() - started
    except Exception as error:  # counted and named, the storm goes on
        return type(error).__name__


async def storm(viewers: int, events: int) -> None:
    """Fill a night, then connect `viewers` at once."""
    with running_server() as url:
        async with httpx.AsyncClient(base_url=url, headers=AUTH, timeout=120) as client:
            for _ in range(events // 10_000):
                (await client.post("/api/v1/events", json=[EVENT] * 10_000)).raise_for_status()
        stream = websocket_url(url, f"/api/v1/stream?night={NIGHT}")
        started = time.perf_counter()
        results = await asyncio.gather(*(_viewer(stream, started) for _ in range(viewers)))
    served = [value for value in results if isinstance(value, float)]
    failures: dict[str, int] = {}
    for value in results:
        if isinstance(value, str):
            failures[value] = failures.get(value, 0) + 1
    print(f"{viewers} viewers of a {events:,}-event night connecting at once:")
    if served:
        print(
            f"  snapshot received by {len(served)}: p50 {percentile(served, 0.5):.2f} s, "
            f"p99 {percentile(served, 0.99):.2f} s, last {max(served):.2f} s"
        )
    print(f"  failed: {failures or 'none'}")


def main() -> int:
    """Run one storm and print it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    raise_open_files_limit()
    asyncio.run(storm(args.viewers, args.events))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
