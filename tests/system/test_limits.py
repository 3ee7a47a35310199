"""Limits against a real uvicorn: chunked bodies and websockets per client address.

In-process tests (tests/api/test_limits.py) cannot show what uvicorn does with a body that
has no Content-Length or with a refused handshake; these talk to `skywatch serve` over TCP.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus
from websockets.http11 import Response

from tests.helpers.server_process import AUTH, ServerProcess, sqlite_server

BODY_LIMIT = 64 * 1024
STREAMS = 3


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server with a 64 KiB body limit and 3 websockets per client address."""
    process = sqlite_server(
        tmp_path,
        "limits",
        SKYWATCH_MAX_BODY_BYTES=str(BODY_LIMIT),
        SKYWATCH_MAX_STREAMS_PER_CLIENT=str(STREAMS),
    )
    try:
        process.start()
        yield process
    finally:
        process.stop()


def post_chunked(server: ServerProcess, path: str, total: int) -> bytes:
    """POST `total` bytes with Transfer-Encoding: chunked over a raw socket; the answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: {AUTH['Authorization']}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        conn.sendall(head.encode())
        chunk = b"[" + b" " * 16_382 + b"\n"
        # The server may answer and close before the body ends: that is the point.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for _ in range(total // len(chunk)):
                conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            conn.sendall(b"0\r\n\r\n")
        answer = b""
        with contextlib.suppress(ConnectionResetError):
            while data := conn.recv(65536):
                answer += data
                if b"\r\n\r\n" in answer:
                    break
        return answer


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/replays"])
def test_a_chunked_body_over_the_limit_is_413(server: ServerProcess, path: str) -> None:
    answer = post_chunked(server, path, 16 * BODY_LIMIT)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:300]
    with server.client() as client:
        assert client.get("/api/v1/events").json() == []
        assert client.get("/api/v1/healthz").status_code == 200


@contextlib.asynccontextmanager
async def stream(server: ServerProcess, path: str) -> AsyncIterator[ClientConnection]:
    """A websocket on `path` that has received its first message."""
    async with connect(f"ws://127.0.0.1:{server.port}{path}", open_timeout=10) as ws:
        await asyncio.wait_for(ws.recv(), 10)
        yield ws


async def refused(server: ServerProcess, path: str) -> Response | None:
    """The HTTP answer refusing a handshake on `path`, or None when it was accepted."""
    try:
        async with connect(f"ws://127.0.0.1:{server.port}{path}", open_timeout=10):
            return None
    except InvalidStatus as error:
        return error.response


def replay_path(server: ServerProcess) -> str:
    event = {"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00+03:00"}
    with server.client(**AUTH) as client:
        assert client.post("/api/v1/events", json=event).status_code == 201
        session = client.post("/api/v1/replays", json={"night": "2025-07-04"}).json()
    return f"/api/v1/replays/{session['id']}/stream"


async def test_streams_per_address_are_limited_on_every_route(server: ServerProcess) -> None:
    routes = ["/api/v1/stream?night=2025-07-04", "/dashboard/stream", replay_path(server)]
    async with contextlib.AsyncExitStack() as others:
        first = await others.enter_async_context(stream(server, routes[0]))
        for path in routes[1:]:
            await others.enter_async_context(stream(server, path))
        for path in routes:
            answer = await refused(server, path)
            assert answer is not None, f"{path} accepted a stream over the limit"
            assert answer.status_code == 429
            assert answer.headers["Retry-After"]
            assert f"at most {STREAMS}" in json.loads(answer.body or b"{}")["detail"]
        await first.close()
        # Released once the server has seen the close: a moment, not a restart.
        deadline = time.monotonic() + 5
        while (answer := await refused(server, routes[1])) is not None:
            assert time.monotonic() < deadline, "the closed stream was never released"
            await asyncio.sleep(0.05)
