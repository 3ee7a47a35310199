"""What an anonymous client can make a real `skywatch serve` hold over websockets (issue 15).

The service never reads what a client sends on a stream but its close, so a message over
SKYWATCH_WS_MAX_BYTES closes the connection (1009) before it is held; a handshake naming an
absurd replay session is closed with 4004 and a short reason, not a traceback; an address
that broke the rule is refused new streams (429) for SKYWATCH_WS_BAN_SECONDS.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.helpers.attack import PeakRss, rss_mb
from tests.helpers.server_events import launches, post
from tests.helpers.server_process import ServerProcess, sqlite_server

WS_LIMIT = 8 * 1024
STREAM = "/api/v1/stream?night=2025-07-04"
# Growth allowed over the warmed-up server (generous for a loaded machine); without the
# limit the attack below makes the server hold 30 x 4 MiB.
GROWTH_BOUND_MB = 50.0


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server taking client websocket messages of at most 8 KiB, banning no one for them
    (so that one test may break the rule many times; the bans have a test of their own)."""
    process = sqlite_server(
        tmp_path, "ws", SKYWATCH_WS_MAX_BYTES=str(WS_LIMIT), SKYWATCH_WS_BAN_SECONDS="0"
    )
    try:
        process.start()
        yield process
    finally:
        process.stop()


def pid_of(server: ServerProcess) -> int:
    assert server.process is not None
    return server.process.pid


async def fragments(count: int, size: int) -> AsyncIterator[str]:
    """The pieces of one text message that is never finished in time."""
    piece = "f" * size
    for _ in range(count):
        yield piece
        await asyncio.sleep(0)


async def never_finished(ws: ClientConnection) -> int | None:
    """Send a 4 MiB fragmented message; the close code the server answered it with."""
    try:
        await ws.send(fragments(64, 64 * 1024))
        await asyncio.wait_for(ws.recv(), 10)
    except ConnectionClosed:
        pass
    except TimeoutError:
        return None
    await ws.wait_closed()
    return ws.close_code


async def test_a_fragmented_message_over_the_limit_closes_the_stream(
    server: ServerProcess,
) -> None:
    url = f"ws://127.0.0.1:{server.port}{STREAM}"
    async with connect(url) as warm:
        await warm.recv()
    baseline = rss_mb(pid_of(server))
    streams = []
    for _ in range(30):
        ws = await connect(url, max_size=None, open_timeout=10)
        await ws.recv()  # the snapshot
        streams.append(ws)
    async with PeakRss(pid_of(server)) as rss:
        codes = await asyncio.gather(*(never_finished(ws) for ws in streams))
    # Closed by the server: 1009 (message too big), or 1006 when its close frame was lost to
    # the reset of a socket the client was still writing to.
    assert None not in codes
    assert set(codes) <= {1009, 1006}, codes
    assert rss.peak - baseline < GROWTH_BOUND_MB, (baseline, rss.peak)
    assert rss_mb(pid_of(server)) - baseline < GROWTH_BOUND_MB  # and after it ended
    # A message within the limit is taken (and ignored) like any other; one just over it
    # is answered with 1009.
    async with connect(url) as ws:
        await ws.recv()
        await ws.send("x" * (WS_LIMIT // 2))
        await asyncio.wait_for(await ws.ping(), 10)
        await ws.send("x" * (WS_LIMIT + 1))
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
    assert ws.close_code == 1009


async def test_an_address_that_broke_the_rule_opens_no_new_stream_for_a_while(
    tmp_path: Path,
) -> None:
    banned = sqlite_server(
        tmp_path, "bans", SKYWATCH_WS_MAX_BYTES=str(WS_LIMIT), SKYWATCH_WS_BAN_SECONDS="2"
    )
    banned.start()
    try:
        url = f"ws://127.0.0.1:{banned.port}{STREAM}"
        async with connect(url) as watcher:
            await watcher.recv()
            async with connect(url) as offender:
                await offender.recv()
                await offender.send("x" * (WS_LIMIT + 1))
                with pytest.raises(ConnectionClosed):
                    await asyncio.wait_for(offender.recv(), 10)
            assert offender.close_code == 1009
            # Refused before any websocket is set up, with the wait named, and a second late
            # (a lower bound: a busy machine only makes it later).
            began = time.monotonic()
            with pytest.raises(InvalidStatus) as refused:
                await connect(url, open_timeout=10)
            assert time.monotonic() - began >= 0.9
            answer = refused.value.response
            assert answer.status_code == 429
            assert 1 <= int(answer.headers["Retry-After"]) <= 2
            # Its HTTP requests are served, and its stream already open stays live.
            post(banned, launches(1))
            assert "drone" in str(await asyncio.wait_for(watcher.recv(), 10))
        # Once the ban is over, the address opens streams again.
        reopened = None
        statuses = []
        for _ in range(200):
            try:
                reopened = await connect(url, open_timeout=10)
                break
            except InvalidStatus as still:
                statuses.append(still.response.status_code)
                await asyncio.sleep(0.1)
        assert reopened is not None
        assert set(statuses) <= {429}
        await reopened.recv()
        await reopened.close()
        # One line when the ban began, none per refused handshake.
        assert banned.log_text().count("broke the websocket protocol") == 1
    finally:
        banned.stop()


@pytest.mark.parametrize("length", [200, 3000])
async def test_a_long_replay_session_id_is_closed_4004_in_one_line(
    server: ServerProcess, length: int
) -> None:
    url = f"ws://127.0.0.1:{server.port}/api/v1/replays/{'a' * length}/stream"
    before = len(server.log_text())
    for _ in range(10):
        async with connect(url, open_timeout=10) as ws:
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 10)
        assert ws.close_code == 4004
        assert ws.close_reason == "no such replay session"
    logged = server.log_text()[before:]
    assert "Traceback" not in logged
    assert "ProtocolError" not in logged


def handshake(port: int, host: str) -> bytes:
    """The status line answering a websocket handshake naming `host` (and its own Origin)."""
    request = (
        f"GET {STREAM} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request.encode())
        return conn.recv(65536).split(b"\r\n")[0]


def test_a_rebound_host_name_is_refused(server: ServerProcess) -> None:
    # DNS rebinding: evil.example now resolves to 127.0.0.1; its page's Origin matches Host.
    assert handshake(server.port, "evil.example") == b"HTTP/1.1 400 Bad Request"
    assert handshake(server.port, f"evil.example:{server.port}") == b"HTTP/1.1 400 Bad Request"
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
        assert handshake(server.port, host) == b"HTTP/1.1 101 Switching Protocols"
    with httpx.Client(base_url=server.url, timeout=10) as client:
        assert client.get("/api/v1/nights", headers={"Host": "evil.example"}).status_code == 400
        assert client.get("/api/v1/nights").status_code == 200


def test_allowed_hosts_are_configurable(tmp_path: Path) -> None:
    process = sqlite_server(tmp_path, "hosts", SKYWATCH_ALLOWED_HOSTS="skywatch.example.org")
    try:
        process.start()
        with httpx.Client(base_url=process.url, timeout=10) as client:
            named = {"Host": "skywatch.example.org"}
            assert client.get("/api/v1/nights", headers=named).status_code == 200
            assert client.get("/api/v1/nights", headers={"Host": "evil.example"}).status_code == 400
    finally:
        process.stop()
