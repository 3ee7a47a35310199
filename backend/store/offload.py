"""Heavy read work (folding, building and encoding thousands of records) off the event loop,
one at a time per worker process.

On the loop, 4 clients paging through 160,000 events and one asking for stats over every year
held it for seconds at a time, and a POST waited behind them (p99 9.6 ms -> 1.2 s). In a
thread the loop keeps running; one at a time, because the threads still share the GIL with
the loop, and each one more would take another share of it from the writes.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


async def off_loop(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`work(*args, **kwargs)` in a thread, after the heavy work already under way."""
    loop = asyncio.get_running_loop()
    gate = _GATES.get(loop)
    if gate is None:
        gate = _GATES[loop] = asyncio.Semaphore(1)
    async with gate:
        return await asyncio.to_thread(work, *args, **kwargs)
