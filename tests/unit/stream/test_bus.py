"""The Redis bus (backend/stream/bus.py), real Redis: cursors between workers, never blocking."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
import redis.asyncio as redis

from backend.stream import bus as bus_module
from backend.stream.bus import RedisBus
from tests.helpers.server_process import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"
WAIT_SECONDS = 5


@pytest.fixture(autouse=True)
def channel(monkeypatch: pytest.MonkeyPatch) -> str:
    """A channel of this test's own: pub/sub channels are shared by every database number, so
    the real one would hear (and disturb) any other server or test using this Redis."""
    name = f"skywatch-test:{uuid.uuid4().hex}"
    monkeypatch.setattr(bus_module, "CHANNEL", name)
    return name


@dataclass
class Worker:
    """One bus and what it was told: remote cursors, and each (re)connection."""

    bus: RedisBus
    remote: list[int] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    connected: asyncio.Event = field(default_factory=asyncio.Event)

    async def received(self, count: int) -> list[int]:
        """The remote cursors once at least `count` have arrived."""
        async with asyncio.timeout(WAIT_SECONDS):
            while len(self.remote) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.remote


@asynccontextmanager
async def worker(url: str = REDIS_URL) -> AsyncIterator[Worker]:
    """A started bus on `url`, stopped afterwards."""
    holder: list[Worker] = []

    def on_remote(cursor: int) -> None:
        holder[0].remote.append(cursor)
        holder[0].arrived.set()

    def on_reconnect() -> None:
        holder[0].connected.set()

    holder.append(Worker(RedisBus(url, on_remote=on_remote, on_reconnect=on_reconnect)))
    await holder[0].bus.start()
    try:
        yield holder[0]
    finally:
        async with asyncio.timeout(WAIT_SECONDS):
            await holder[0].bus.stop()


async def subscribed(*workers: Worker) -> None:
    """Wait until every worker listens (a message published before that is not heard)."""
    async with asyncio.timeout(WAIT_SECONDS):
        for each in workers:
            await each.connected.wait()
            assert each.bus.connected


async def test_a_published_cursor_reaches_the_other_worker() -> None:
    async with worker() as sender, worker() as receiver:
        await subscribed(sender, receiver)
        sender.bus.publish(5)
        assert await receiver.received(1) == [5]


async def test_cursors_go_both_ways() -> None:
    async with worker() as first, worker() as second:
        await subscribed(first, second)
        first.bus.publish(3)
        assert 3 in await second.received(1)
        second.bus.publish(9)
        await until(lambda: 9 in first.remote, first.arrived)


async def test_publishes_made_at_once_are_coalesced_into_the_latest() -> None:
    async with worker() as sender, worker() as receiver:
        await subscribed(sender, receiver)
        for cursor in (1, 2, 3):
            sender.bus.publish(cursor)
        sender.bus.publish(2)  # not above what was announced: nothing to say
        await receiver.received(1)
        sender.bus.publish(4)
        assert await receiver.received(2) == [3, 4]


async def test_a_cursor_not_above_the_last_published_is_not_sent() -> None:
    async with worker() as sender, worker() as receiver:
        await subscribed(sender, receiver)
        sender.bus.publish(10)
        assert await receiver.received(1) == [10]
        sender.bus.publish(10)
        sender.bus.publish(7)
        sender.bus.publish(11)  # the marker: whatever was sent before it has arrived by now
        assert await receiver.received(2) == [10, 11]


async def test_a_malformed_message_is_ignored(channel: str) -> None:
    async with worker() as sender, worker() as receiver:
        await subscribed(sender, receiver)
        client = redis.Redis.from_url(REDIS_URL)
        try:
            await client.publish(channel, "not a cursor")
        finally:
            await client.aclose()
        sender.bus.publish(6)
        assert await receiver.received(1) == [6]


async def test_publishing_never_blocks_when_redis_is_unreachable(bus_log: Logged) -> None:
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    async with worker(unreachable) as lonely:
        for cursor in range(1, 101):
            lonely.bus.publish(cursor)  # returns at once: nothing awaited, nothing raised
        await until(lambda: bus_log.said("redis publish failed"), bus_log.changed)
        await until(lambda: bus_log.said("redis unavailable"), bus_log.changed)
        assert not lonely.bus.connected
        assert not lonely.connected.is_set()
        # The loop is still serving: another commit is announced without raising either.
        lonely.bus.publish(101)
        await asyncio.sleep(0)
    assert lonely.remote == []


async def test_a_worker_on_a_reachable_redis_is_unaffected_by_one_on_an_unreachable_one() -> None:
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    async with worker(unreachable) as lonely, worker() as sender, worker() as receiver:
        await subscribed(sender, receiver)
        lonely.bus.publish(1)
        sender.bus.publish(2)
        assert await receiver.received(1) == [2]


async def until(condition: Callable[[], bool], changed: asyncio.Event) -> None:
    """Wait (bounded) until `condition` holds, looking again whenever `changed` is set."""
    async with asyncio.timeout(WAIT_SECONDS):
        while not condition():
            changed.clear()
            await changed.wait()


class Logged(logging.Handler):
    """The bus's log messages, with an event set at each one."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.changed = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.changed.set()

    def said(self, text: str) -> bool:
        """Whether some message so far contains `text`."""
        return any(text in message for message in self.messages)


@pytest.fixture
def bus_log() -> Iterator[Logged]:
    """What backend.stream.bus logs during the test."""
    handler = Logged()
    logger = logging.getLogger(bus_module.__name__)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
