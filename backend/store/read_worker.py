"""The heaviest reads in a process of their own, at a lower CPU priority than the server's.

In a thread (store/offload.py) they still shared the GIL with the event loop, and on a
machine whose cores were busy they took the writes' CPU: a POST's p99 was five times its
unloaded figure while four clients paged through 160,000 events (docs/performance.md,
"Reads against writes"). A spawned process reads the same database through an engine of its
own, encodes the answer there and hands back bytes; it runs at a higher nice value, so when
the cores are short the server's writes and streams go first. Started on the first heavy
read, not with the app: most servers and every small test never need it.

One job at a time per server process, as in a thread: jobs waiting in the worker's queue
would hold their callers' requests open without bound.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from backend.store.db import create_engine

T = TypeVar("T")
# A job: a module-level coroutine function (or a functools.partial of one), so that it can
# be sent to the worker by reference.
Job = Callable[[AsyncEngine], Awaitable[T]]
# Added to the worker's nice value: CFS gives a nice-10 process about a tenth of a core's
# time against a busy nice-0 one.
NICENESS = 10
log = logging.getLogger(__name__)

# The worker process's own state, set by _start.
_loop: asyncio.AbstractEventLoop | None = None
_engine: AsyncEngine | None = None


def _start(database_url: str, niceness: int) -> None:
    global _loop, _engine
    os.nice(niceness)
    _loop = asyncio.new_event_loop()
    _engine = create_engine(database_url)


async def _own_pid(_engine: AsyncEngine) -> int:
    return os.getpid()


def _run(job: Job[T]) -> T:
    assert _loop is not None, "the worker was not started"
    assert _engine is not None, "the worker was not started"
    return _loop.run_until_complete(job(_engine))


class ReadWorker:
    """A one-process pool for heavy reads of one database, replaced if its process dies."""

    def __init__(self, database_url: str, *, niceness: int = NICENESS) -> None:
        self._database_url = database_url
        self._niceness = niceness
        self._pool: ProcessPoolExecutor | None = None
        self._gate = asyncio.Semaphore(1)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self._database_url, self._niceness),
            )
        return self._pool

    async def run(self, job: Job[T]) -> T:
        """`job(engine)` in the worker process, on its own engine; its result (pickled).

        A worker that died (the OOM killer, an operator) is replaced and the job tried once
        more; a second death is raised (BrokenProcessPool: the API answers 503).
        """
        async with self._gate:
            for attempt in (1, 2):
                try:
                    return await asyncio.wrap_future(self._executor().submit(_run, job))
                except BrokenProcessPool:
                    log.error("the read worker died (attempt %d); starting another", attempt)
                    self.close()
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")

    @property
    def started(self) -> bool:
        """Whether a worker process is running (or starting)."""
        return self._pool is not None

    async def pid(self) -> int:
        """The worker process's PID (starting it if need be)."""
        return await self.run(_own_pid)

    def close(self) -> None:
        """Stop the worker process (without waiting for a job under way)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
