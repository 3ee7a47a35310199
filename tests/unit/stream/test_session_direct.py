"""Stream sessions with a frame writer: batches written by the hub itself, ASGI when refused."""

from __future__ import annotations

import asyncio
from datetime import date

import orjson
from websockets.frames import Frame
from websockets.streams import StreamReader

from backend.stream.session import StreamSession
from tests.helpers.rig import Rig

NIGHT = date(2025, 7, 4)  # the night of the events Rig.post commits


class Writer:
    """A connection's frame writer that refuses frames while `paused`."""

    def __init__(self) -> None:
        self.paused = False
        self.frames: list[bytes] = []

    def write_frame(self, frame: bytes) -> bool:
        if self.paused:
            return False
        self.frames.append(frame)
        return True


def decode(frame: bytes) -> str:
    """The text of one server frame, parsed by the websockets library."""
    reader = StreamReader()
    reader.feed_data(frame)
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        next(parser)
    except StopIteration as done:
        parsed: Frame = done.value
        return bytes(parsed.data).decode()
    raise AssertionError("incomplete frame")


async def test_live_batches_are_written_directly_and_fall_back_when_refused(rig: Rig) -> None:
    writer = Writer()
    # Everything the client got, in order: frames written directly and frames sent via ASGI.
    received: list[str] = []
    via_asgi = 0

    async def send(text: str) -> None:
        nonlocal via_asgi
        received.extend(decode(frame) for frame in writer.frames)
        writer.frames.clear()
        received.append(text)
        via_asgi += 1

    session = StreamSession(
        engine=rig.engine, hub=rig.hub, send=send, night=NIGHT, send_timeout=5.0, writer=writer
    )
    task = asyncio.create_task(session.run(since=None, queue_limit=10_000))
    await asyncio.sleep(0.1)
    for index in range(30):
        writer.paused = 10 <= index < 15  # the client's buffer is full for a while
        await rig.post(2)
        await asyncio.sleep(0.03)
    writer.paused = False
    for _ in range(100):
        if session.sent == 60:
            break
        await asyncio.sleep(0.05)
    received.extend(decode(frame) for frame in writer.frames)
    task.cancel()
    messages = [orjson.loads(text) for text in received]
    assert messages[0]["type"] == "snapshot"
    seqs = [record["seq"] for message in messages[1:] for record in message["events"]]
    assert seqs == list(range(1, 61))
    assert session.sent == 60
    # Both paths were taken: the snapshot and the paused stretch through ASGI, the rest direct.
    assert 1 < via_asgi < len(messages) - 1
