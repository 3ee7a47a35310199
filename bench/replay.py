"""Replay benchmark: seeks on a night of 20,000 events, and a 3600x replay against its clock.

Run with `python -m bench.replay`. Seek time is what a screen waits for: the control POST
plus GET /replays/{id}/stats at the new position. Keeping up: for every event the replay
stream delivers, the lag between when the replay clock passed it and when it arrived.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from datetime import datetime, timedelta

import httpx
import orjson
from websockets.asyncio.client import connect

from bench.common import AUTH, NIGHT, elapsed_ms, percentile, websocket_url
from bench.report import write_section
from bench.server import running_server

START = datetime.fromisoformat("2025-07-03T18:00:00+03:00")
SPAN = timedelta(hours=12)


def _events(count: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    kinds = ["launch", "launch", "shot_down", "suppressed", "impact", "debris"]
    events: list[dict[str, object]] = []
    for index in range(count):
        kind = rng.choice(kinds)
        at = START + SPAN * rng.random()
        event: dict[str, object] = {
            "id": f"b{index}",
            "kind": kind,
            "occurred_at": at.isoformat(),
            "region": rng.choice(["UA-30", "UA-32", "UA-63", "UA-51", "UA-46"]),
        }
        if kind in ("launch", "shot_down", "suppressed"):
            event["weapon"] = rng.choice(["drone", "decoy", "cruise_missile"])
        events.append(event)
    return events


async def _seeks(client: httpx.AsyncClient, count: int) -> list[float]:
    created = await client.post("/api/v1/replays", json={"night": NIGHT, "speed": 60})
    session = created.json()["id"]
    await client.post(f"/api/v1/replays/{session}/control", json={"action": "pause"})
    rng = random.Random(11)
    timings = []
    for _ in range(count):
        target = (START + SPAN * rng.random()).isoformat()
        started = time.perf_counter()
        await client.post(
            f"/api/v1/replays/{session}/control", json={"action": "seek", "position": target}
        )
        response = await client.get(f"/api/v1/replays/{session}/stats")
        timings.append(elapsed_ms(started))
        assert response.status_code == 200
    return timings


async def _keep_up(client: httpx.AsyncClient, url: str, total: int) -> tuple[list[float], int]:
    created = (await client.post("/api/v1/replays", json={"night": NIGHT, "speed": 3600})).json()
    anchor_position = datetime.fromisoformat(created["position"].replace("Z", "+00:00"))
    anchor_wall = time.time()
    lags: list[float] = []
    received = 0
    stream = websocket_url(url, f"/api/v1/replays/{created['id']}/stream")
    async with connect(stream, max_size=None) as socket:
        deadline = time.monotonic() + SPAN.total_seconds() / 3600 + 20
        while received < total and time.monotonic() < deadline:
            message = orjson.loads(await asyncio.wait_for(socket.recv(), 30))
            now = time.time()
            batch = message.get("recent", []) if message["type"] == "snapshot" else []
            batch = batch or message.get("events", [])
            for record in batch:
                occurred = datetime.fromisoformat(record["occurred_at"].replace("Z", "+00:00"))
                due = anchor_wall + (occurred - anchor_position).total_seconds() / 3600
                lags.append(max(now - due, 0.0) * 1000)
            received += len(batch)
    return lags, received


async def _run(count: int, seeks: int) -> str:
    with running_server(port=8767) as url:
        async with httpx.AsyncClient(base_url=url, timeout=60, headers=AUTH) as client:
            events = _events(count)
            for start in range(0, count, 1000):
                response = await client.post("/api/v1/events", json=events[start : start + 1000])
                assert response.status_code == 201, response.text
            timings = await _seeks(client, seeks)
            lags, received = await _keep_up(client, url, count)
    p95 = percentile(timings, 0.95)
    return (
        "## Replay (`bench/replay.py`)\n\n"
        f"A night of {count:,} events spread over 12 hours, in a fresh server on SQLite.\n\n"
        "| measure | p50 | p95 | max | target |\n|---|---|---|---|---|\n"
        f"| seek: control POST + GET stats at the new position ({seeks} seeks) "
        f"| {percentile(timings, 0.5):.1f} ms | {p95:.1f} ms | {max(timings):.1f} ms "
        f"| p95 < 100 ms: {'met' if p95 < 100 else 'missed'} |\n"
        f"| 3600x replay: delivery lag behind the replay clock ({received:,} of {count:,} "
        f"events received) | {percentile(lags, 0.5):.0f} ms | {percentile(lags, 0.95):.0f} ms "
        f"| {max(lags):.0f} ms | keeps up: the lag stays at the stream's poll interval "
        f"(250 ms) plus delivery |\n"
    )


def main() -> int:
    """Run and write the Replay section of docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--seeks", type=int, default=100)
    args = parser.parse_args()
    body = asyncio.run(_run(args.events, args.seeks))
    print(body)
    write_section("replay", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
