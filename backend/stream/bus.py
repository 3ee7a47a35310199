"""Tells other workers about commits through Redis pub/sub; the database stays the truth.

A message only says "changes up to cursor N are committed"; a worker that misses one (Redis
restarting, a network blip) catches up at the next message or at its hub's periodic poll.
Publishing never blocks or fails a write: a commit is acknowledged whether or not Redis is up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import redis.asyncio as redis

from backend import metrics
from backend.stream.tasks import cancel_all

log = logging.getLogger(__name__)
CHANNEL = "skywatch:commits"
_RECONNECT_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)


class RedisBus:
    """Publishes local commit cursors and feeds remote ones to `on_remote`."""

    def __init__(
        self, url: str, *, on_remote: Callable[[int], None], on_reconnect: Callable[[], None]
    ) -> None:
        self._client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        # The listener waits for messages indefinitely, so no read timeout; health checks and
        # TCP keepalive find a dead connection instead.
        self._listener = redis.Redis.from_url(
            url, socket_connect_timeout=2, socket_keepalive=True, health_check_interval=15
        )
        self._on_remote = on_remote
        self._on_reconnect = on_reconnect
        self._latest = 0
        self._publish_wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.connected = False
        self._outage = metrics.OUTAGE.labels(operation="redis subscription")
        self._outage.set(0)

    async def start(self) -> None:
        """Start listening and publishing in the background."""
        self._tasks = [
            asyncio.create_task(self._listen_loop(), name="bus-listen"),
            asyncio.create_task(self._publish_loop(), name="bus-publish"),
        ]

    async def stop(self) -> None:
        """Stop the tasks and close the connection."""
        await cancel_all(self._tasks)
        await self._client.aclose()
        await self._listener.aclose()

    def publish(self, cursor: int) -> None:
        """Announce a local commit; coalesced, never blocking the caller."""
        if cursor > self._latest:
            self._latest = cursor
            self._publish_wake.set()

    async def _publish_loop(self) -> None:
        sent = 0
        while True:
            await self._publish_wake.wait()
            self._publish_wake.clear()
            if self._latest <= sent:
                continue
            cursor = self._latest
            try:
                await self._client.publish(CHANNEL, str(cursor))
                sent = cursor
            except (redis.RedisError, OSError) as error:
                # Other workers catch up by their poll; keep serving and retry on next commit.
                log.warning("redis publish failed: %s", type(error).__name__)
                await asyncio.sleep(_RECONNECT_SECONDS[0])

    async def _listen_loop(self) -> None:
        failures = 0
        while True:
            try:
                async with self._listener.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.connected = True
                    self._outage.set(0)
                    failures = 0
                    # Whatever was announced while we were away: read it from the database.
                    self._on_reconnect()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._deliver(message.get("data"))
            except (redis.RedisError, OSError) as error:
                self.connected = False
                self._outage.set(1)
                delay = _RECONNECT_SECONDS[min(failures, len(_RECONNECT_SECONDS) - 1)]
                failures += 1
                log.warning(
                    "redis unavailable (%s); retrying in %.1fs", type(error).__name__, delay
                )
                await asyncio.sleep(delay)

    def _deliver(self, data: object) -> None:
        try:
            cursor = int(data.decode() if isinstance(data, bytes) else str(data))
        except ValueError:
            log.warning("ignoring malformed bus message")
            return
        self._on_remote(cursor)
