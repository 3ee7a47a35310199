"""What an anonymous client can make a real `skywatch serve` hold over HTTP is bounded (issue 15).

Each test runs one attack of the issue's table against a server on 127.0.0.1 with its limits
set low through their settings (so each is also shown to be configurable), and asserts what
the limit means: the refusal (431, 408, a closed connection), the server's resident memory
under a generous bound, and that a legitimate client is still answered.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.attack import (
    PeakRss,
    answer_of,
    blocking_answer,
    open_raw,
    rss_mb,
    send_until_refused,
    unfinished_head,
)
from tests.helpers.server_process import AUTH, SKYWATCH, ServerProcess, sqlite_server

HEAD_LIMIT = 16 * 1024
HEAD_TIMEOUT = 2.0
BODY_TIMEOUT = 2.0
EVENT = {"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00+03:00"}
# Growth allowed over the warmed-up server, with headroom for a loaded machine. Without the
# limits the same attacks grow it by 160 MiB and more.
GROWTH_BOUND_MB = 50.0


def start(
    tmp_path: Path, name: str, *, command_prefix: tuple[str, ...] = (), **settings: str
) -> ServerProcess:
    defaults = {
        "SKYWATCH_MAX_HEADER_BYTES": str(HEAD_LIMIT),
        "SKYWATCH_HEADER_TIMEOUT": str(HEAD_TIMEOUT),
        "SKYWATCH_BODY_TIMEOUT": str(BODY_TIMEOUT),
        "SKYWATCH_SQLITE_SYNCHRONOUS": "NORMAL",
    }
    process = sqlite_server(tmp_path, name, serve_args=(), **{**defaults, **settings})
    if command_prefix:
        process.command = lambda port: [
            *command_prefix,
            str(SKYWATCH),
            "serve",
            "--port",
            str(port),
        ]
    process.start()
    return process


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server with a 16 KiB head limit and 2 s head and body timeouts."""
    process = start(tmp_path, "hostile")
    try:
        yield process
    finally:
        process.stop()


def pid_of(server: ServerProcess) -> int:
    assert server.process is not None
    return server.process.pid


def warm_up(server: ServerProcess) -> float:
    """Serve a few requests so that the baseline includes what any request allocates."""
    with server.client(**AUTH) as client:
        for _ in range(20):
            assert client.post("/api/v1/events", json=EVENT).status_code in (200, 201)
            assert client.get("/api/v1/nights").status_code == 200
    return rss_mb(pid_of(server))


def test_a_head_over_the_limit_is_431(server: ServerProcess) -> None:
    whole = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: {'a' * 4 * HEAD_LIMIT}\r\n\r\n"
    answer = blocking_answer(server.port, whole.encode(), timeout=15)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert str(HEAD_LIMIT).encode() in answer
    # Just under the limit is a request like any other.
    fits = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: {'a' * (HEAD_LIMIT - 220)}\r\n\r\n"
    assert blocking_answer(server.port, fits.encode(), timeout=15).startswith(b"HTTP/1.1 200 ")


async def test_unfinished_heads_cost_no_memory(server: ServerProcess) -> None:
    baseline = warm_up(server)
    connections = [await open_raw(server.port) for _ in range(20)]
    async with PeakRss(pid_of(server)) as rss:
        # 20 heads of 8 MiB each, never finished: 160 MiB if the server kept them.
        head = unfinished_head("/api/v1/events", 8 * 1024 * 1024)
        await asyncio.gather(
            *(send_until_refused(writer, head, piece=64 * 1024) for _, writer in connections)
        )
        answers = [await answer_of(reader, wait=10) for reader, _ in connections]
    for _, writer in connections:
        writer.close()
    for answer in answers:
        assert answer is not None, "the server kept an oversized head open"
        assert answer == b"" or answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert rss.peak - baseline < GROWTH_BOUND_MB, (baseline, rss.peak)
    assert rss_mb(pid_of(server)) - baseline < GROWTH_BOUND_MB  # and after it ended
    with server.client() as client:
        assert client.get("/healthz").status_code == 200


async def test_a_silent_or_trickling_head_is_closed_after_the_head_timeout(
    server: ServerProcess,
) -> None:
    silent_reader, silent = await open_raw(server.port)
    reader, writer = await open_raw(server.port)
    writer.write(b"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")

    async def trickle() -> None:
        # A byte a second, forever (slowloris): the keep-alive timer never fires for it.
        try:
            for _ in range(30):
                writer.write(b"X")
                await writer.drain()
                await asyncio.sleep(1)
        except (ConnectionError, OSError):
            return

    trickling = asyncio.create_task(trickle())
    answer = await answer_of(reader, wait=HEAD_TIMEOUT + 10)
    trickling.cancel()
    assert answer is not None, "a trickling head was held open"
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert await answer_of(silent_reader, wait=HEAD_TIMEOUT + 10) is not None
    writer.close()
    silent.close()


async def test_an_unfinished_chunked_body_is_closed_after_the_body_timeout(
    server: ServerProcess,
) -> None:
    reader, writer = await open_raw(server.port)
    writer.write(
        b"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Authorization: {AUTH['Authorization']}\r\n".encode()
        + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"5\r\n[    \r\n"
    )
    await writer.drain()
    answer = await answer_of(reader, wait=BODY_TIMEOUT + 10)
    assert answer is not None, "an unfinished body was held open"
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    writer.close()
    with server.client() as client:
        assert client.get("/api/v1/events").json() == []


@pytest.mark.skipif(sys.platform != "linux", reason="prlimit is Linux's")
async def test_slowloris_under_a_descriptor_limit_leaves_room_for_real_requests(
    tmp_path: Path,
) -> None:
    # 256 descriptors, 300 slow heads: without a cap the server runs out of descriptors and
    # stops accepting; with it, slow heads are shed oldest first and real requests go through.
    # The head timeout is set long here, so that only the connection cap can save the day.
    server = start(
        tmp_path,
        "slowloris",
        command_prefix=("prlimit", "--nofile=256:256", "--"),
        SKYWATCH_HEADER_TIMEOUT="120",
    )
    try:
        slow = [await open_raw(server.port) for _ in range(300)]
        for _, writer in slow:
            writer.write(b"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")

        async def keep_trickling() -> None:
            while True:
                for _, writer in slow:
                    if not writer.is_closing():
                        writer.write(b"X")
                await asyncio.sleep(0.5)

        trickling = asyncio.create_task(keep_trickling())
        answered: list[int | str] = []
        limits = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(
            base_url=server.url, headers=AUTH, timeout=10, limits=limits
        ) as client:
            for index in range(20):
                try:
                    response = await client.post(
                        "/api/v1/events", json={**EVENT, "id": f"s{index}"}
                    )
                    answered.append(response.status_code)
                except httpx.TransportError as error:
                    answered.append(repr(error))
        trickling.cancel()
        assert answered == [201] * 20
        for _, writer in slow:
            writer.close()
    finally:
        server.stop()


async def unfinished_chunked_post(port: int, path: str, total: int, token: bool) -> bytes | None:
    """POST `total` bytes of a chunked body that never ends; the server's answer."""
    reader, writer = await open_raw(port)
    auth = f"Authorization: {AUTH['Authorization']}\r\n" if token else ""
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}".encode()
        + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"%x\r\n" % (64 * 1024) + b" " * (64 * 1024) + b"\r\n"
    await send_until_refused(writer, chunk * (total // (64 * 1024)), piece=len(chunk))
    answer = await answer_of(reader, wait=BODY_TIMEOUT + 10)
    writer.close()
    return answer


async def test_anonymous_bodies_are_small_on_every_route(tmp_path: Path) -> None:
    # A long body timeout: only the per-route limits can refuse these bodies.
    server = start(tmp_path, "bodies", SKYWATCH_BODY_TIMEOUT="120")
    try:
        baseline = warm_up(server)
        async with PeakRss(pid_of(server)) as rss:
            answers = await asyncio.gather(
                *(
                    unfinished_chunked_post(server.port, path, 2 * 1024 * 1024, token=False)
                    for path in ["/api/v1/replays", "/api/v1/reports"] * 25
                )
            )
        for answer in answers:
            assert answer is not None, "an anonymous body was held until it ended"
            # 429 once this address has had its 20 refused tokens: refused unread, like a 401.
            refusals = (b"HTTP/1.1 413 ", b"HTTP/1.1 401 ", b"HTTP/1.1 429 ")
            assert answer == b"" or answer.startswith(refusals), answer[:200]
        assert rss.peak - baseline < GROWTH_BOUND_MB, (baseline, rss.peak)
        assert rss_mb(pid_of(server)) - baseline < GROWTH_BOUND_MB
    finally:
        server.stop()
