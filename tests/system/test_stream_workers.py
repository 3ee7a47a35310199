"""The live stream against real server processes, with a client nobody here wrote.

Two uvicorn processes share PostgreSQL and Redis: an event posted to one reaches a websocket
held by the other. A client that stops reading is cut off with 4008 while another keeps
receiving. The clients are the `websockets` library's.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.conftest import create_postgres_database, drop_postgres_database
from tests.system.conftest import AUTH, TOKEN, ServerProcess

REDIS_URL = "redis://127.0.0.1:6379/0"
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


@pytest.fixture
def postgres_url() -> Iterator[str]:
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


async def test_an_event_posted_to_one_worker_reaches_a_client_of_another(
    servers: list[ConfiguredServer], tmp_path: Path, postgres_url: str
) -> None:
    first = start(servers, tmp_path, "first", postgres_url, SKYWATCH_REDIS_URL=REDIS_URL)
    second = start(servers, tmp_path, "second", postgres_url, SKYWATCH_REDIS_URL=REDIS_URL)
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
    servers: list[ConfiguredServer], tmp_path: Path, postgres_url: str
) -> None:
    first = start(servers, tmp_path, "first", postgres_url, SKYWATCH_REDIS_URL=REDIS_URL)
    second = start(servers, tmp_path, "second", postgres_url, SKYWATCH_REDIS_URL=REDIS_URL)
    async with connect(ws_url(first, "&since=0")) as ws:
        await post(first, [event(f"r{index}") for index in range(5)])
        seen = await receive_ids(ws, 5, 5)
    await post(second, [event(f"r{index}") for index in range(5, 10)])
    async with connect(ws_url(second, "&since=5")) as ws:
        seen += await receive_ids(ws, 5, 5)
    assert seen == [f"r{index}" for index in range(10)]


def _redis(*command: str) -> None:
    subprocess.run(command, check=False, capture_output=True, timeout=10)


async def test_clients_keep_receiving_while_redis_is_down(
    servers: list[ConfiguredServer], tmp_path: Path, postgres_url: str
) -> None:
    first = start(servers, tmp_path, "first", postgres_url, SKYWATCH_REDIS_URL=REDIS_URL)
    second = start(servers, tmp_path, "second", postgres_url, SKYWATCH_REDIS_URL=REDIS_URL)
    async with connect(ws_url(second)) as ws:
        await ws.recv()
        _redis("redis-cli", "-h", "127.0.0.1", "shutdown", "nosave")
        try:
            await post(first, event("while-down"))
            # The database poll (every second) carries it without Redis.
            assert await receive_ids(ws, 1, 5) == ["while-down"]
        finally:
            _redis(
                "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1",
                "--port", "6379", "--save", "", "--appendonly", "no",
            )  # fmt: skip
        await asyncio.sleep(3)  # the workers reconnect to Redis
        started = time.monotonic()
        await post(first, event("after"))
        assert await receive_ids(ws, 1, 5) == ["after"]
        assert time.monotonic() - started < 0.9


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
