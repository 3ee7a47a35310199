"""The frame writer of backend/stream/ws_protocol.py on a real uvicorn server and websockets client.

These also guard uvicorn upgrades: the writer leans on attributes of uvicorn's
websockets-sansio protocol that are not public API.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from uvicorn.importer import import_from_string
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.frames import Frame, Opcode

from backend.cli import main as cli
from backend.stream.session import FRAME_WRITER
from backend.stream.ws_protocol import StreamWebSocketProtocol

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def text_frame(text: str) -> bytes:
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


class App:
    """Accepts, writes three frames through the writer, one through ASGI, then waits."""

    def __init__(self) -> None:
        self.writers: list[Any] = []
        self.after_close: list[bool] = []
        self.close = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "websocket"
        await receive()  # websocket.connect
        writer = scope["extensions"].get(FRAME_WRITER)
        self.writers.append(writer)
        await send({"type": "websocket.accept"})
        if writer is not None:
            assert all(writer.write_frame(text_frame(f"direct {n}")) for n in range(3))
        await send({"type": "websocket.send", "text": "via asgi"})
        await self.close.wait()
        await send({"type": "websocket.close", "code": 4008, "reason": "bye"})
        if writer is not None:
            self.after_close.append(writer.write_frame(text_frame("too late")))
        with contextlib.suppress(Exception):
            await receive()


@contextlib.asynccontextmanager
async def serving(app: App, **options: Any) -> AsyncIterator[str]:
    config = uvicorn.Config(
        app, port=0, ws=StreamWebSocketProtocol, log_level="warning", lifespan="off", **options
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"ws://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        await task


async def test_direct_frames_arrive_in_order_with_asgi_sends_and_close() -> None:
    app = App()
    async with (
        serving(app, ws_per_message_deflate=False) as url,
        connect(url, compression=None) as ws,
    ):
        received = [await ws.recv() for _ in range(4)]
        assert received == ["direct 0", "direct 1", "direct 2", "via asgi"]
        app.close.set()
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4008, "bye")
    assert app.after_close == [False]


async def test_pings_still_work_around_direct_frames() -> None:
    app = App()
    async with (
        serving(app, ws_ping_interval=0.1, ws_ping_timeout=1.0) as url,
        connect(url, compression=None, ping_interval=None) as ws,
    ):
        for _ in range(4):
            await ws.recv()
        await asyncio.sleep(0.5)  # several server pings, each answered by the client
        writer = app.writers[0]
        assert writer.last_ping_rtt > 0
        assert writer.write_frame(text_frame("still open"))
        assert await ws.recv() == "still open"
        app.close.set()


async def test_no_writer_when_deflate_is_negotiated() -> None:
    app = App()
    async with (
        serving(app, ws_per_message_deflate=True) as url,
        connect(url, compression="deflate") as ws,
    ):
        assert await ws.recv() == "via asgi"
        app.close.set()
    assert app.writers == [None]


async def test_a_paused_transport_takes_no_frame() -> None:
    app = App()
    async with serving(app) as url, connect(url, compression=None) as ws:
        for _ in range(4):
            await ws.recv()
        writer = app.writers[0]
        writer.pause_writing()  # what the transport does above its high-water mark
        assert not writer.write_frame(text_frame("must wait"))
        writer.resume_writing()
        assert writer.write_frame(text_frame("now"))
        assert await ws.recv() == "now"
        app.close.set()


async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
    """Refuses every stream with a JSON reason (the denial response), as the app does."""
    await receive()  # websocket.connect
    start = {"type": "websocket.http.response.start", "status": 400}
    await send({**start, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "websocket.http.response.body", "body": b'{"detail": "night"}'})


async def test_a_refusal_with_a_reason_is_not_logged_as_a_server_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = uvicorn.Config(refuse, port=0, ws=StreamWebSocketProtocol, lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    # uvicorn's own log config keeps its loggers from propagating: captured where they log.
    uvicorn_log = logging.getLogger("uvicorn.error")
    uvicorn_log.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="uvicorn.error"):
            for _ in range(3):
                with pytest.raises(InvalidStatus) as refused:
                    await connect(f"ws://127.0.0.1:{port}/?night=bogus")
                assert refused.value.response.status_code == 400
                assert refused.value.response.body == b'{"detail": "night"}'
            await asyncio.sleep(0.1)  # the app's task has returned
    finally:
        uvicorn_log.removeHandler(caplog.handler)
        server.should_exit = True
        await task
    refusals = [r for r in caplog.records if "connection rejected (400" in r.getMessage()]
    assert len(refusals) == 3
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.records


def test_skywatch_serve_uses_the_stream_protocol(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Without it the stream still works, only with ASGI sends: nothing else would notice.
    options: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: options.update(kwargs))
    monkeypatch.setenv("SKYWATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SKYWATCH_API_TOKENS", "token")
    monkeypatch.delenv("SKYWATCH_DATABASE_URL", raising=False)
    # serve sets these for its workers. monkeypatch restores only what it touched, and an
    # absent variable's delenv records nothing: setenv first, so the teardown removes them.
    for variable in ("SKYWATCH_BOUND_HOST", "PROMETHEUS_MULTIPROC_DIR"):
        monkeypatch.setenv(variable, "")
        monkeypatch.delenv(variable)
    assert cli.main(["serve"]) == 0
    assert import_from_string(options["ws"]) is StreamWebSocketProtocol
