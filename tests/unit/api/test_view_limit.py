"""ViewLimit: distinct views per process and per address, joining an open view always free."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from backend.api.middleware.view_limit import ViewLimit, view_of


def _scope(path: str, query: str = "", address: str = "10.0.0.1") -> dict[str, Any]:
    return {
        "type": "websocket",
        "path": path,
        "query_string": query.encode(),
        "client": (address, 1234),
        "extensions": {"websocket.http.response": {}},
    }


def test_the_view_of_each_stream_route() -> None:
    assert view_of(_scope("/api/v1/stream", "night=2025-07-04")) == "night:2025-07-04"
    assert view_of(_scope("/dashboard/stream", "night=2025-07-04&lang=uk")) == "night:2025-07-04"
    assert view_of(_scope("/api/v1/stream")) == "night:"
    assert view_of(_scope("/api/v1/replays/abc/stream")) == "replay:abc"
    assert view_of(_scope("/dashboard/replay/abc/stream")) == "replay:abc"
    assert view_of(_scope("/api/v1/replays/abc")) is None


class _Streams:
    """An app whose streams stay open until released; records what each handshake got."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.served = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.served += 1
        await self.release.wait()


async def _open(limit: ViewLimit, scope: dict[str, Any]) -> tuple[asyncio.Task[None], list[Any]]:
    sent: list[Any] = []

    async def receive() -> dict[str, str]:
        return {"type": "websocket.connect"}

    async def send(message: Any) -> None:
        sent.append(message)

    task = asyncio.create_task(limit(scope, receive, send))
    await asyncio.sleep(0)
    return task, sent


def _status(sent: list[Any]) -> int | None:
    return next((m["status"] for m in sent if m["type"] == "websocket.http.response.start"), None)


async def test_views_are_capped_per_address_and_per_process() -> None:
    app = _Streams()
    limit = ViewLimit(app, per_process=3, per_address=2)
    night = "/api/v1/stream"
    opened = [
        await _open(limit, _scope(night, "night=2025-07-01")),
        await _open(limit, _scope(night, "night=2025-07-02")),
        # The same view again, from the same address and another: joining is free.
        await _open(limit, _scope(night, "night=2025-07-01")),
        await _open(limit, _scope("/dashboard/stream", "night=2025-07-02", address="10.0.0.2")),
    ]
    assert app.served == 4
    _, third = await _open(limit, _scope(night, "night=2025-07-03"))
    assert _status(third) == 429  # a third view for 10.0.0.1
    detail = orjson.loads(next(m["body"] for m in third if "body" in m))["detail"]
    assert "at most 2" in detail
    opened.append(await _open(limit, _scope(night, "night=2025-07-03", address="10.0.0.2")))
    _, fourth = await _open(limit, _scope("/api/v1/replays/r1/stream", address="10.0.0.3"))
    assert _status(fourth) == 429  # a fourth view for the process
    assert app.served == 5
    app.release.set()
    await asyncio.gather(*(task for task, _ in opened))
    _, later = await _open(limit, _scope("/api/v1/replays/r1/stream", address="10.0.0.3"))
    assert _status(later) is None  # every view closed: room again
    assert app.served == 6
