"""StreamAdmission: websockets set up a few at a time, each leaving with its first frame."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from backend.api.middleware import stream_admission
from backend.api.middleware.stream_admission import StreamAdmission


class _SetUps:
    """A stream app that waits for `go` before its first frame, then stays open until `end`."""

    def __init__(self, first: str = "websocket.send") -> None:
        self.first = first
        self.go = asyncio.Event()
        self.end = asyncio.Event()
        self.setting_up = 0
        self.most_at_once = 0
        self.set_up = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            return
        self.setting_up += 1
        self.most_at_once = max(self.most_at_once, self.setting_up)
        await send({"type": "websocket.accept"})
        await self.go.wait()
        self.setting_up -= 1
        await send({"type": self.first, "text": "snapshot"})
        self.set_up += 1
        await self.end.wait()


async def _receive() -> dict[str, str]:
    return {"type": "websocket.connect"}


async def _send(message: Any) -> None:
    return None


def _streams(gate: StreamAdmission, n: int) -> list[asyncio.Task[None]]:
    scope = {"type": "websocket", "path": "/api/v1/stream"}
    return [asyncio.create_task(gate(scope, _receive, _send)) for _ in range(n)]


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_at_most_n_set_ups_at_once_and_an_open_stream_holds_no_turn() -> None:
    app = _SetUps()
    gate = StreamAdmission(app, at_once=3)
    tasks = _streams(gate, 10)
    await _settle()
    assert app.setting_up == 3  # the other seven wait their turn
    app.go.set()
    await _settle()
    # Each stream left the gate with its snapshot: all ten are open and set up.
    assert app.set_up == 10
    assert app.most_at_once == 3
    app.end.set()
    await asyncio.gather(*tasks)


@pytest.mark.parametrize("first", ["websocket.close", "websocket.http.response.start"])
async def test_a_close_or_refusal_leaves_the_gate(first: str) -> None:
    app = _SetUps(first=first)
    gate = StreamAdmission(app, at_once=1)
    tasks = _streams(gate, 3)
    app.go.set()
    await _settle()
    assert app.set_up == 3
    app.end.set()
    await asyncio.gather(*tasks)


async def test_a_route_that_ends_or_fails_before_its_first_frame_leaves_the_gate() -> None:
    calls = 0

    async def fails(scope: Any, receive: Any, send: Any) -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("boom")

    gate = StreamAdmission(fails, at_once=1)
    results = await asyncio.gather(*_streams(gate, 3), return_exceptions=True)
    assert calls == 3
    assert all(isinstance(r, RuntimeError) for r in results)


async def test_a_stuck_set_up_holds_the_others_only_for_the_turn_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stream_admission, "TURN_WAIT_SECONDS", 0.05)
    app = _SetUps()
    gate = StreamAdmission(app, at_once=1)
    tasks = _streams(gate, 3)
    await asyncio.sleep(0.3)
    assert app.setting_up == 3  # past the wait, the two behind the stuck one went ahead
    app.go.set()
    app.end.set()
    await asyncio.gather(*tasks)


async def test_http_passes_straight_through() -> None:
    app = _SetUps()
    gate = StreamAdmission(app, at_once=1)
    _streams(gate, 1)  # holds the only turn
    await _settle()
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    await gate({"type": "http", "path": "/api/v1/events"}, _receive, send)
    assert sent[0]["status"] == 204
    app.go.set()
    app.end.set()


def test_each_event_loop_gets_a_gate_of_its_own() -> None:
    gate = StreamAdmission(_SetUps(), at_once=1)

    async def two_streams() -> int:
        app = gate.app = _SetUps()
        tasks = _streams(gate, 2)
        await _settle()  # the second waits for the first's turn: the semaphore has a loop now
        app.go.set()
        app.end.set()
        await asyncio.gather(*tasks)
        return app.set_up

    # Two loops in turn (as test clients do): a semaphore of the first would refuse the second.
    assert asyncio.run(two_streams()) == 2
    assert asyncio.run(two_streams()) == 2
