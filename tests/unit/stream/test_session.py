"""A stream session whose client stops reading is cut off; the others are not slowed."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import orjson
import pytest

from backend.stream.session import SendText, StreamSession, TooSlowError
from tests.helpers.rig import Rig

NIGHT = date(2025, 7, 4)  # the night of the events Rig.post commits


async def test_a_stalled_client_is_cut_off_while_a_reader_keeps_receiving(rig: Rig) -> None:
    stalled = asyncio.Event()  # never set: this client's transport never takes a frame
    received: list[int] = []
    all_received = asyncio.Event()
    stalled_frames: list[str] = []

    async def stalled_send(text: str) -> None:
        stalled_frames.append(text)
        if len(stalled_frames) > 1:
            await stalled.wait()

    async def reading_send(text: str) -> None:
        message = orjson.loads(text)
        if message["type"] == "events":
            received.extend(record["seq"] for record in message["events"])
            if len(received) >= 40:
                all_received.set()

    def session(send: SendText, timeout: float) -> StreamSession:
        return StreamSession(
            engine=rig.engine,
            hub=rig.hub,
            send=send,
            night=NIGHT,
            send_timeout=timeout,
        )

    slow = asyncio.create_task(session(stalled_send, 0.5).run(since=0, queue_limit=5))
    fast = asyncio.create_task(session(reading_send, 5.0).run(since=0, queue_limit=10_000))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    for _ in range(40):
        await rig.post()
        await asyncio.sleep(0.01)
    with pytest.raises(TooSlowError) as cut:
        await asyncio.wait_for(slow, 10)
    assert "since=" in str(cut.value)
    await asyncio.wait_for(all_received.wait(), 10)
    assert received == list(range(1, 41))
    # The stalled client did not hold the reader back by its send timeout or more.
    assert time.monotonic() - started < 5
    fast.cancel()
