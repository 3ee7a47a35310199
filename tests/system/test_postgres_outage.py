"""PostgreSQL stops under a running server: 503s meanwhile, and recovery without a restart.

The server is a real `skywatch serve` process on a PostgreSQL cluster of this module's own
(tests/helpers/throwaway.py), which the test stops the way a crash does (`pg_ctl stop -m
immediate`) and starts again. While it is down, writes and reads that need it answer 503
with Retry-After and store nothing, /healthz says so, and a connected viewer stays
connected. Once it is back, the same server process takes writes again within
RECOVERY_SECONDS and the viewer receives every acknowledged event, in seq order, with no gap.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.helpers.outage_checks import assert_unavailable, launch, stored
from tests.helpers.server_process import AUTH, ServerProcess, StartServer
from tests.helpers.throwaway import ThrowawayPostgres, throwaway_postgres

NIGHT = "2025-07-04"
# Promised: after PostgreSQL accepts connections again, a POST succeeds within this time,
# and a viewer connected all along receives the next event within it too.
RECOVERY_SECONDS = 5.0
# How long the outage lasts at least: long enough for the hub's poll (every second) and
# the pooled connections to all have met the dead database.
OUTAGE_SECONDS = 2.5
RECEIVE_SECONDS = 10.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[ThrowawayPostgres]:
    """This module's own PostgreSQL: nobody else's tests notice when it stops."""
    with throwaway_postgres() as postgres:
        yield postgres


@pytest.fixture
def outage_server(cluster: ThrowawayPostgres, start_server: StartServer) -> ServerProcess:
    """A server on a fresh database of the module's cluster (restarted if a test left it down)."""
    if not cluster.running:
        cluster.start()
    return start_server(cluster.create_database())


@dataclass
class Ledger:
    """What the server acknowledged (id -> seq, count) and what it refused with a 503."""

    seqs: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)

    async def post(self, client: httpx.AsyncClient, events: list[dict[str, Any]]) -> int:
        """POST the events; record the answer; its status (201 or 503, else the test fails)."""
        response = await client.post("/api/v1/events", json=events)
        ids = [str(event["id"]) for event in events]
        if response.status_code == 201:
            body = response.json()
            assert body["accepted"] == len(events), body
            for event, seq in zip(events, body["seqs"], strict=True):
                self.seqs[str(event["id"])] = seq
                self.counts[str(event["id"])] = int(event["count"])
        else:
            assert_unavailable(response)
            self.refused.update(ids)
        return response.status_code

    def ordered(self) -> list[tuple[int, str]]:
        """(seq, id) of every acknowledged event, in seq order."""
        return sorted((seq, event_id) for event_id, seq in self.seqs.items())


def ws_url(server: ServerProcess, query: str = "") -> str:
    return f"ws://127.0.0.1:{server.port}/api/v1/stream?night={NIGHT}{query}"


async def receive_until(ws: ClientConnection, last_seq: int) -> list[tuple[int, str]]:
    """(seq, id) of each event received until one with `last_seq`; only events frames."""
    received: list[tuple[int, str]] = []
    deadline = time.monotonic() + RECEIVE_SECONDS
    while not received or received[-1][0] < last_seq:
        message = json.loads(await asyncio.wait_for(ws.recv(), deadline - time.monotonic()))
        assert message["type"] == "events", message
        received += [(record["seq"], record["id"]) for record in message["events"]]
    return received


async def assert_silent(ws: ClientConnection, seconds: float = 0.5) -> None:
    """Nothing more arrives: what came was all of it (no duplicate trailing behind)."""
    try:
        extra = await asyncio.wait_for(ws.recv(), seconds)
    except TimeoutError:
        return
    pytest.fail(f"unexpected frame: {extra!r}")


def launched(server: ServerProcess) -> int:
    """Drones launched in NIGHT, per /stats."""
    with server.client() as client:
        response = client.get("/api/v1/stats", params={"night": NIGHT})
    assert response.status_code == 200, response.text
    return int(sum(response.json()["launched"].values()))


async def check_down(
    server: ServerProcess, client: httpx.AsyncClient, ledger: Ledger, live: ClientConnection
) -> None:
    """Every promise that holds while the database is down, checked until OUTAGE_SECONDS."""
    down_since = time.monotonic()
    attempt = 0
    while attempt < 2 or time.monotonic() - down_since < OUTAGE_SECONDS:
        # A single event and a batch: the batch must be refused whole, too.
        assert await ledger.post(client, [launch(f"down-{attempt}", count=5)]) == 503
        batch = [launch(f"down-{attempt}-batch-{index}", count=7) for index in range(3)]
        assert await ledger.post(client, batch) == 503
        assert_unavailable(await client.get("/api/v1/stats", params={"night": NIGHT}))
        for path in ("/healthz", "/api/v1/healthz"):
            health = await client.get(path)
            assert health.status_code == 503, health.text
        attempt += 1
        await asyncio.sleep(0.2)
    # The viewer connected all along is still connected and answers pings.
    await asyncio.wait_for(await live.ping(), 5)
    # A viewer arriving now cannot get a snapshot: it is closed with a close frame (1011,
    # "reconnect with since"), not left hanging or dropped without one.
    with pytest.raises(ConnectionClosed) as closed:
        async with connect(ws_url(server)) as late:
            await asyncio.wait_for(late.recv(), RECEIVE_SECONDS)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1011
    assert server.process is not None
    assert server.process.poll() is None, "server died"


async def test_postgres_outage_answers_503_and_recovers_without_restart(
    outage_server: ServerProcess, cluster: ThrowawayPostgres
) -> None:
    server = outage_server
    pid = server.process.pid if server.process else None
    ledger = Ledger()
    async with (
        httpx.AsyncClient(base_url=server.url, headers=AUTH, timeout=30) as client,
        connect(ws_url(server)) as live,
    ):
        assert json.loads(await live.recv())["type"] == "snapshot"
        assert await ledger.post(client, [launch("before-1", count=3)]) == 201
        assert await ledger.post(client, [launch("before-2"), launch("before-3", count=2)]) == 201
        received = await receive_until(live, ledger.ordered()[-1][0])
        before_outage = received[-1][0]

        cluster.stop("immediate")
        try:
            await check_down(server, client, ledger, live)
        finally:
            cluster.start()
        back = time.monotonic()

        # The first POST after the database returns is retried until accepted: every 503
        # on the way is recorded (and checked as not stored below).
        attempt = 0
        while await ledger.post(client, [launch(f"recovering-{attempt}", count=4)]) != 201:
            assert time.monotonic() - back < RECOVERY_SECONDS, "writes did not recover"
            attempt += 1
            await asyncio.sleep(0.1)
        write_recovery = time.monotonic() - back
        for path in ("/healthz", "/api/v1/healthz"):
            health = await client.get(path)
            assert health.status_code == 200, health.text
        received += await receive_until(live, ledger.ordered()[-1][0])
        stream_recovery = time.monotonic() - back
        assert stream_recovery < RECOVERY_SECONDS

        assert await ledger.post(client, [launch("after-1", count=6)]) == 201
        assert await ledger.post(client, [launch("after-2"), launch("after-3", count=9)]) == 201
        received += await receive_until(live, ledger.ordered()[-1][0])
        await assert_silent(live)

    # The viewer connected all along got every acknowledged event once, in seq order, and
    # the seqs have no hole (a refused write takes no seq).
    assert received == ledger.ordered()
    assert [seq for seq, _ in received] == list(range(1, len(received) + 1))

    # A viewer resuming from before the outage gets exactly what it missed.
    async with connect(ws_url(server, f"&since={before_outage}")) as resumed:
        missed = await receive_until(resumed, ledger.ordered()[-1][0])
        await assert_silent(resumed)
    assert missed == [item for item in ledger.ordered() if item[0] > before_outage]

    counts = stored(server)
    assert dict(counts) == dict.fromkeys(ledger.seqs, 1), "acknowledged != stored exactly once"
    assert ledger.refused
    assert not ledger.refused & counts.keys(), "a refused event was stored"
    assert launched(server) == sum(ledger.counts.values())
    assert server.process is not None
    assert server.process.pid == pid, "the server was restarted"
    print(f"writes recovered {write_recovery:.2f}s, stream {stream_recovery:.2f}s after restart")


async def wait_until(condition: Callable[[], bool], seconds: float) -> None:
    """Poll `condition` until it holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        if condition():
            return
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


@dataclass
class Request:
    """One POST of the load test and the status it got."""

    events: list[dict[str, Any]]
    status: int = 0


async def post_in_a_loop(
    client: httpx.AsyncClient, name: str, requests: list[Request], stop: asyncio.Event
) -> None:
    """POST single events and batches of three until `stop`; every answer is 2xx or 503."""
    number = 0
    while not stop.is_set():
        size = 1 if number % 2 == 0 else 3
        request = Request([launch(f"{name}-{number}-{index}", count=2) for index in range(size)])
        requests.append(request)
        response = await client.post("/api/v1/events", json=request.events)
        request.status = response.status_code
        if response.status_code != 201:
            assert_unavailable(response)
            await asyncio.sleep(0.05)  # a client honouring Retry-After would wait longer
        number += 1


async def test_writes_in_flight_when_postgres_crashes_are_whole_or_absent(
    outage_server: ServerProcess, cluster: ThrowawayPostgres
) -> None:
    """Concurrent clients through a crash: 201 or 503 (never 500), no half-stored batch."""
    server = outage_server
    requests: list[Request] = []
    stop = asyncio.Event()

    def acknowledged() -> int:
        return sum(1 for request in requests if request.status == 201)

    async with httpx.AsyncClient(base_url=server.url, headers=AUTH, timeout=30) as client:
        posting = [
            asyncio.create_task(post_in_a_loop(client, f"c{index}", requests, stop))
            for index in range(4)
        ]
        try:
            await wait_until(lambda: acknowledged() >= 100, seconds=30)
            # In a thread: the clients keep posting while the database crashes under them.
            await asyncio.to_thread(cluster.stop, "immediate")
            await asyncio.sleep(OUTAGE_SECONDS)
            before_return = acknowledged()
            await asyncio.to_thread(cluster.start)
            await wait_until(lambda: acknowledged() >= before_return + 100, RECOVERY_SECONDS)
        finally:
            stop.set()
            await asyncio.gather(*posting)

        refused = [request for request in requests if request.status == 503]
        assert refused, "no request met the outage"
        counts = stored(server)
        for request in requests:
            ids = [str(event["id"]) for event in request.events]
            if request.status == 201:
                assert all(counts[event_id] == 1 for event_id in ids), ids
            else:
                # A 503 while the commit was on the wire cannot know how it ended, so the
                # client retries with the same ids; what it must never find is half a batch.
                assert len({counts[event_id] for event_id in ids}) == 1, ids
        # Retrying every refused request (ids are idempotency keys) completes the store.
        for request in refused:
            response = await client.post("/api/v1/events", json=request.events)
            assert response.status_code in (200, 201), response.text

    every_id = [str(event["id"]) for request in requests for event in request.events]
    assert stored(server) == Counter(every_id)
    assert launched(server) == 2 * len(every_id)
