"""A bounded inbox: what one consumer has not taken yet, never more than a limit.

Every consumer of a fan-out (a stream client of the hub, a dashboard page of a view) gets
one. A consumer that lets more than its limit pile up is marked overflowed and its items are
dropped: it is cut off (and reconnects), so a frozen consumer costs the others nothing and
memory stays bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SubscriberOverflowError(Exception):
    """The consumer fell more than its limit behind and was dropped."""


def _one(_item: object) -> int:
    return 1


class BoundedInbox(Generic[T]):
    """Items in arrival order; `size` says how much of the limit an item takes (default 1)."""

    def __init__(self, limit: int, *, size: Callable[[T], int] = _one) -> None:
        self.limit = limit
        self.overflowed = False
        self._size = size
        self._items: deque[T] = deque()
        self._pending = 0
        self._ready = asyncio.Event()

    @property
    def empty(self) -> bool:
        """Whether nothing waits to be taken."""
        return not self._items

    def push(self, item: T) -> bool:
        """Queue an item; False (and overflowed) when it would exceed the limit.

        An item always fits an empty inbox: one burst larger than the limit must not cut
        off a consumer that is keeping up.
        """
        if self.overflowed:
            return False
        size = self._size(item)
        if self._items and self._pending + size > self.limit:
            self.overflowed = True
            self._items.clear()
            self._pending = 0
            self._ready.set()
            return False
        self._items.append(item)
        self._pending += size
        self._ready.set()
        return True

    async def next(self, max_wait: float | None = None) -> list[T]:
        """Every queued item, waiting up to `max_wait` seconds for one ([] if none came).

        Raises SubscriberOverflowError once the inbox has overflowed.
        """
        if not self._items and not self.overflowed:
            # asyncio.timeout, not wait_for: no extra task per wake-up for each of many clients.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max_wait):
                    await self._ready.wait()
        if self.overflowed:
            raise SubscriberOverflowError
        self._ready.clear()
        items = list(self._items)
        self._items.clear()
        self._pending = 0
        return items
