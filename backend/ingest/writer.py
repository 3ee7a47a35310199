"""Group commit: one task writes every request queued meanwhile in a single transaction.

A POST answers only after its transaction has committed, yet concurrent POSTs share that
commit (and its fsync), so durability does not cost throughput. Seqs are allocated inside the
transaction under a write lock (SQLite's BEGIN IMMEDIATE, a PostgreSQL advisory lock), which
makes them strictly increasing in commit order, also across processes: a reader holding
cursor N never later finds a newly committed seq below N.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from backend import metrics
from backend.domain.records import IdConflictError, Row
from backend.ingest.plan import (
    InsertRequest,
    LockedWriteStore,
    RetractOutcome,
    WriteOutcome,
)
from backend.ingest.sqlalchemy_store import CoreWriteStore
from backend.ingest.sqlite_store import SqliteWriteStore
from backend.ingest.write_health import WriteHealth
from backend.store.db import is_sqlite

log = logging.getLogger(__name__)

__all__ = [
    "GroupCommitWriter",
    "IdConflictError",
    "RetractOutcome",
    "StoreUnavailableError",
    "WriteOutcome",
]


class StoreUnavailableError(Exception):
    """The database did not take the write; nothing of the request was stored."""


def sqlite_directory(engine: AsyncEngine) -> Path | None:
    """The directory of the engine's SQLite file (None for PostgreSQL or memory)."""
    if is_sqlite(engine) and engine.url.database not in (None, "", ":memory:"):
        return Path(str(engine.url.database)).parent
    return None


def store_for(engine: AsyncEngine, *, sqlite_synchronous: str) -> LockedWriteStore:
    """The fastest store for the engine's database."""
    if is_sqlite(engine) and engine.url.database not in (None, "", ":memory:"):
        path = make_url(engine.url).database
        assert path is not None
        return SqliteWriteStore(path, synchronous=sqlite_synchronous)
    return CoreWriteStore(engine)


@dataclass(slots=True)
class _Insert:
    request: InsertRequest
    future: asyncio.Future[WriteOutcome]


@dataclass(slots=True)
class _Retract:
    event_id: str
    future: asyncio.Future[RetractOutcome | None]


_Job = _Insert | _Retract


class GroupCommitWriter:
    """Owns all writes of one process; start() in the lifespan, stop() drains it."""

    def __init__(
        self,
        store: LockedWriteStore,
        *,
        max_group_events: int = 20_000,
        on_commit: Callable[[int], None] | None = None,
        on_rows: Callable[[list[Row]], None] | None = None,
        health: WriteHealth | None = None,
    ) -> None:
        self._store = store
        self.health = health or WriteHealth()
        self._max_group_events = max_group_events
        self._on_commit = on_commit
        # The inserted rows themselves (with their seqs), just before on_commit hears of them.
        self._on_rows = on_rows
        self._queue: asyncio.Queue[_Job | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.groups_committed = 0

    async def start(self) -> None:
        """Start the writer task."""
        self._task = asyncio.create_task(self._run(), name="group-commit-writer")

    async def stop(self) -> None:
        """Finish what is queued, then end the writer task and close the store."""
        if self._task is not None:
            await self._queue.put(None)
            await self._task
            self._task = None
        await self._store.close()

    async def insert(self, rows: list[Row], *, client_ids: list[str]) -> WriteOutcome:
        """Store rows atomically; raise IdConflictError or StoreUnavailableError."""
        future: asyncio.Future[WriteOutcome] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Insert(InsertRequest(rows, client_ids), future))
        return await future

    async def retract(self, event_id: str) -> RetractOutcome | None:
        """Mark an event retracted; None when no event has that id."""
        future: asyncio.Future[RetractOutcome | None] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Retract(event_id, future))
        return await future

    async def _run(self) -> None:
        stopping = False
        while not stopping:
            job = await self._queue.get()
            if job is None:
                break
            if isinstance(job, _Retract):
                await self._do_retract(job)
                continue
            group, stopping, pending_retract = self._take_group(job)
            await self._commit_inserts(group)
            if pending_retract is not None:
                await self._do_retract(pending_retract)

    def _take_group(self, first: _Insert) -> tuple[list[_Insert], bool, _Retract | None]:
        """The first insert plus every insert already queued, up to the group size."""
        group = [first]
        size = len(first.request.rows)
        while size < self._max_group_events and not self._queue.empty():
            job = self._queue.get_nowait()
            if job is None:
                return group, True, None
            if isinstance(job, _Retract):
                return group, False, job
            group.append(job)
            size += len(job.request.rows)
        return group, False, None

    async def _commit_inserts(self, group: list[_Insert]) -> None:
        started = time.perf_counter()
        try:
            plan = await self._store.insert_group([job.request for job in group])
        except Exception as error:
            if len(group) > 1:
                # One request's failure must not fail the others: try each on its own.
                for job in group:
                    await self._commit_inserts([job])
                return
            _fail(group[0].future, error, self.health)
            return
        self.health.succeeded()
        self.groups_committed += 1
        metrics.GROUP_COMMIT_SECONDS.observe(time.perf_counter() - started)
        metrics.GROUP_COMMIT_EVENTS.observe(sum(len(job.request.rows) for job in group))
        for job, answer in zip(group, plan.answers, strict=True):
            if isinstance(answer, IdConflictError):
                _fail(job.future, answer, self.health)
            elif not job.future.done():
                job.future.set_result(answer)
        if plan.new_rows:
            self._hand_over(plan.new_rows)
            self._notify(plan.last_seq)

    async def _do_retract(self, job: _Retract) -> None:
        try:
            outcome = await self._store.retract(job.event_id)
        except Exception as error:
            _fail(job.future, error, self.health)
            return
        self.health.succeeded()
        if not job.future.done():
            job.future.set_result(outcome)
        if outcome is not None and outcome.newly_retracted:
            self._notify(outcome.retracted_seq)

    def _hand_over(self, rows: list[Row]) -> None:
        if self._on_rows is not None:
            try:
                self._on_rows(rows)
            except Exception:
                log.exception("committed-rows listener failed")

    def _notify(self, last_seq: int) -> None:
        if self._on_commit is not None:
            try:
                self._on_commit(last_seq)
            except Exception:
                log.exception("commit listener failed")


def _fail(future: asyncio.Future[Any], error: BaseException, health: WriteHealth) -> None:
    if isinstance(error, DBAPIError | sqlite3.Error | OSError | TimeoutError):
        # Logged as an outage (start, once a minute, end), not once per failed request.
        health.failed(error)
    if future.done():
        return
    if isinstance(error, IdConflictError | StoreUnavailableError):
        future.set_exception(error)
    elif isinstance(error, DBAPIError | sqlite3.Error | OSError | TimeoutError):
        future.set_exception(StoreUnavailableError(type(error).__name__))
    else:
        log.error("write failed", exc_info=error)
        future.set_exception(StoreUnavailableError("write failed"))
    # The requester may have gone away; mark the exception seen so asyncio does not warn.
    with contextlib.suppress(asyncio.CancelledError, Exception):
        future.exception()
