"""The live stream against real server processes, with a client nobody here wrote.

Two uvicorn processes share PostgreSQL and Redis: an event posted to one reaches a websocket
held by the other. A client that stops reading is cut off with 4008 while another keeps
receiving. The clients are the `websockets` library's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from backend.stream.bus import CHANNEL
from backend.stream.tasks import cancel_all
from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.helpers.server_process import AUTH, TOKEN, ServerProcess
from tests.helpers.throwaway import ThrowawayRedis

NIGHT = "2025-07-04"


class ConfiguredServer(ServerProcess):
    """A server process with extra SKYWATCH_* settings."""

    def __init__(self, *, settings: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings

    def environment(self) -> dict[str, str]:
        """The base environment plus this server's settings."""
        return {**super().environment(), **self.settings}


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[ConfiguredServer]]:
    """Servers started by the test; all stopped afterwards."""
    started: list[ConfiguredServer] = []
    yield started
    for server in started:
        server.stop()


def start(
    servers: list[ConfiguredServer], tmp_path: Path, name: str, database_url: str, **settings: str
) -> ConfiguredServer:
    server = ConfiguredServer(
        settings=settings,
        name=name,
        database_url=database_url,
        data_dir=tmp_path / f"{name}-data",
        log=tmp_path / f"{name}.log",
        token=TOKEN,
    )
    servers.append(server)
    server.start()
    return server


def ws_url(server: ServerProcess, query: str = "") -> str:
    return f"ws://127.0.0.1:{server.port}/api/v1/stream?night={NIGHT}{query}"


def event(event_id: str, note: str = "") -> dict[str, Any]:
    return {
        "id": event_id,
        "kind": "launch",
        "weapon": "drone",
        "occurred_at": "2025-07-03T22:00:00+03:00",
        **({"note": note} if note else {}),
    }


async def post(server: ServerProcess, body: Any) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        response = await client.post("/api/v1/events", json=body, headers=AUTH)
        assert response.status_code == 201, response.text


async def receive_ids(ws: ClientConnection, count: int, seconds: float) -> list[str]:
    """Event ids from events frames until `count` have arrived."""
    ids: list[str] = []
    deadline = time.monotonic() + seconds
    while len(ids) < count:
        message = json.loads(await asyncio.wait_for(ws.recv(), deadline - time.monotonic()))
        if message["type"] == "events":
            ids += [record["id"] for record in message["events"]]
    return ids


async def drain(ws: ClientConnection) -> None:
    """Read until the server closes the connection."""
    while True:
        await asyncio.wait_for(ws.recv(), 30)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis of this module's own: no cross-talk with other runs on the machine's Redis."""
    server = ThrowawayRedis(tmp_path_factory.mktemp("redis") / "redis.log")
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


async def test_an_event_posted_to_one_worker_reaches_a_client_of_another(
    servers: list[ConfiguredServer], tmp_path: Path, postgres_url: str, redis_url: str
) -> None:
    first = start(servers, tmp_path, "first", postgres_url, SKYWATCH_REDIS_URL=redis_url)
    second = start(servers, tmp_path, "second", postgres_url, SKYWATCH_REDIS_URL=redis_url)
    async with connect(ws_url(second)) as ws:
        assert json.loads(await ws.recv())["type"] == "snapshot"
        started = time.monotonic()
        await post(first, event("cross-1"))
        assert await receive_ids(ws, 1, 5) == ["cross-1"]
        # Through Redis this is milliseconds; the database poll alone would take up to 1 s.
        assert time.monotonic() - started < 0.9
        await post(second, [event("cross-2"), event("cross-3")])
        await post(first, event("cross-4"))
        assert await receive_ids(ws, 3, 5) == ["cross-2", "cross-3", "cross-4"]


async def test_resume_on_another_worker_has_no_gap(
    servers: list[ConfiguredServer], tmp_path: Path, postgres_url: str, redis_url: str
) -> None:
    first = start(servers, tmp_path, "first", postgres_url, SKYWATCH_REDIS_URL=redis_url)
    second = start(servers, tmp_path, "second", postgres_url, SKYWATCH_REDIS_URL=redis_url)
    async with connect(ws_url(first, "&since=0")) as ws:
        await post(first, [event(f"r{index}") for index in range(5)])
        seen = await receive_ids(ws, 5, 5)
    await post(second, [event(f"r{index}") for index in range(5, 10)])
    async with connect(ws_url(second, "&since=5")) as ws:
        seen += await receive_ids(ws, 5, 5)
    assert seen == [f"r{index}" for index in range(10)]


@dataclass
class Viewer:
    """A live-stream client that records every event it receives, as (seq, id)."""

    ws: ClientConnection
    received: list[tuple[int, str]] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)

    async def read(self) -> None:
        """Record until the connection closes."""
        with contextlib.suppress(ConnectionClosed):
            async for text in self.ws:
                message = json.loads(text)
                self.frames.append(message["type"])
                if message["type"] == "events":
                    self.received += [(record["seq"], record["id"]) for record in message["events"]]

    async def has(self, ids: set[str], seconds: float) -> float:
        """Seconds until every id in `ids` has arrived; fails after `seconds`."""
        started = time.monotonic()
        while not ids <= {event_id for _, event_id in self.received}:
            missing = ids - {event_id for _, event_id in self.received}
            assert time.monotonic() - started < seconds, f"never received {sorted(missing)}"
            await asyncio.sleep(0.01)
        return time.monotonic() - started


async def post_seqs(server: ServerProcess, ids: list[str]) -> list[tuple[int, str]]:
    """POST one event per id (a batch when several); (seq, id) of each, all accepted."""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        response = await client.post(
            "/api/v1/events", json=[event(event_id) for event_id in ids], headers=AUTH
        )
    assert response.status_code == 201, response.text
    return list(zip(response.json()["seqs"], ids, strict=True))


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[ThrowawayRedis]:
    """A Redis of this test's own, which it stops and starts: the machine's is shared."""
    server = ThrowawayRedis(tmp_path / "redis.log")
    server.start()
    yield server
    server.stop()


async def wait_for_subscribers(server: ThrowawayRedis, count: int, seconds: float) -> None:
    """Wait until `count` workers are subscribed to the commit channel again."""
    deadline = time.monotonic() + seconds
    while True:
        if server.subscribers(CHANNEL) >= count:
            return
        assert time.monotonic() < deadline, "the workers did not resubscribe"
        await asyncio.sleep(0.05)


# Bus reconnect attempts back off up to 5 s (backend/stream/bus.py), so that is the longest a worker
# may take to notice Redis is back; the catch-up read after it takes milliseconds.
REDIS_RECOVERY_SECONDS = 8.0
REDIS_OUTAGE_SECONDS = 3.0


@pytest.mark.parametrize("poll_interval", ["1", "60"], ids=["poll-1s", "poll-off"])
async def test_clients_keep_receiving_while_redis_is_down(
    servers: list[ConfiguredServer],
    tmp_path: Path,
    postgres_url: str,
    own_redis: ThrowawayRedis,
    poll_interval: str,
) -> None:
    """Redis dies: both workers take events and serve their own viewers; all catch up after.

    With the default 1 s poll the other worker's viewers also keep receiving meanwhile; with
    the poll out of the way (60 s) only the catch-up on the bus's reconnect can bring them
    the events they missed, so that is what the second case proves.
    """
    settings = {"SKYWATCH_REDIS_URL": own_redis.url, "SKYWATCH_HUB_POLL_INTERVAL": poll_interval}
    first = start(servers, tmp_path, "first", postgres_url, **settings)
    second = start(servers, tmp_path, "second", postgres_url, **settings)
    async with (
        connect(ws_url(first, "&since=0")) as first_ws,
        connect(ws_url(second, "&since=0")) as second_ws,
    ):
        viewers = {"first": Viewer(first_ws), "second": Viewer(second_ws)}
        reading = [asyncio.create_task(viewer.read()) for viewer in viewers.values()]
        try:
            acknowledged = await post_seqs(first, ["up-1"])
            for viewer in viewers.values():
                assert await viewer.has({"up-1"}, 0.9) < 0.9  # through Redis

            own_redis.stop()
            down_ids: dict[str, set[str]] = {"first": set(), "second": set()}
            for index in range(3):
                for name, server in (("first", first), ("second", second)):
                    ids = [f"down-{name}-{index}-{part}" for part in range(1 + index)]
                    acknowledged += await post_seqs(server, ids)
                    down_ids[name].update(ids)
                    # A worker's own viewers need neither Redis nor the poll.
                    assert await viewers[name].has(set(ids), 0.9) < 0.9
                await asyncio.sleep(REDIS_OUTAGE_SECONDS / 3)
            if poll_interval == "1":
                # The database poll carries the other worker's events, a second or so late.
                assert await viewers["first"].has(down_ids["second"], 2.5) < 2.5
                assert await viewers["second"].has(down_ids["first"], 2.5) < 2.5
            else:
                # The setup check: the first worker's viewer still misses the second's last
                # events, so only the catch-up after Redis returns can bring them.
                assert not down_ids["second"] <= {
                    event_id for _, event_id in viewers["first"].received
                }
            own_redis.start()  # the same port: the workers reconnect by themselves
            every_id = {event_id for _, event_id in acknowledged}
            for name, viewer in viewers.items():
                caught_up = await viewer.has(every_id, REDIS_RECOVERY_SECONDS)
                assert caught_up < REDIS_RECOVERY_SECONDS
                print(f"{name} caught up {caught_up:.2f}s after Redis returned")
            # Once both are subscribed again, cross-worker delivery is back to Redis speed.
            await wait_for_subscribers(own_redis, 2, REDIS_RECOVERY_SECONDS)
            for source, target in (("first", "second"), ("second", "first")):
                server = first if source == "first" else second
                acknowledged += await post_seqs(server, [f"after-{source}"])
                assert await viewers[target].has({f"after-{source}"}, 0.9) < 0.9
            await asyncio.sleep(0.5)  # room for a duplicate to show up
        finally:
            await cancel_all(reading)
    # Every viewer: all acknowledged events once each, in seq order, no hole in the seqs.
    acknowledged.sort()
    assert [seq for seq, _ in acknowledged] == list(range(1, len(acknowledged) + 1))
    for name, viewer in viewers.items():
        assert viewer.received == acknowledged, name
        assert set(viewer.frames) == {"events"}, name


async def test_a_client_that_stops_reading_is_cut_off_alone(
    servers: list[ConfiguredServer], tmp_path: Path
) -> None:
    server = start(
        servers,
        tmp_path,
        "server",
        f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        SKYWATCH_STREAM_QUEUE_LIMIT="2000",
        SKYWATCH_STREAM_SEND_TIMEOUT="1",
    )
    note = "n" * 1000
    total = 30_000
    # max_queue=1: the library stops reading the socket, so the server's sends back up.
    async with (
        connect(ws_url(server), max_queue=1, compression=None) as stalled,
        connect(ws_url(server), compression=None) as reader,
    ):
        await stalled.recv()
        await reader.recv()
        reading = asyncio.create_task(receive_ids(reader, total, 120))
        for start_index in range(0, total, 1000):
            await post(server, [event(f"s{start_index + i}", note) for i in range(1000)])
        ids = await reading
        assert ids == [f"s{index}" for index in range(total)]
        with pytest.raises(ConnectionClosed) as closed:
            await drain(stalled)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4008
    assert "since=" in closed.value.rcvd.reason
