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
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from backend.db import SQLITE_IMMEDIATE
from backend.models import events_table
from backend.records import CONTENT_FIELDS, Row, content_of

log = logging.getLogger(__name__)
T = TypeVar("T")

_WRITE_LOCK_KEY = 7_040_725
_LOOKUP_CHUNK = 500
_INTEGRITY_RETRIES = 3


class IdConflictError(Exception):
    """Posted ids that already exist with other content: (index in the request, id)."""

    def __init__(self, conflicts: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(conflicts)} id(s) already exist with different content")
        self.conflicts = conflicts


class StoreUnavailableError(Exception):
    """The database did not take the write; nothing of the request was stored."""


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """Committed result of one insert request."""

    accepted: int
    duplicates: int
    seqs: list[int]


@dataclass(frozen=True, slots=True)
class RetractOutcome:
    """Committed result of a retraction."""

    id: str
    seq: int
    retracted_seq: int
    newly_retracted: bool


@dataclass(slots=True)
class _Insert:
    rows: list[Row]
    future: asyncio.Future[WriteOutcome]


@dataclass(slots=True)
class _Retract:
    event_id: str
    future: asyncio.Future[RetractOutcome | None]


_Job = _Insert | _Retract


@dataclass(slots=True)
class _Known:
    seq: int
    content: tuple[Any, ...]


@dataclass(slots=True)
class _Plan:
    """What one transaction will do and answer."""

    next_seq: int
    known: dict[str, _Known]
    new_rows: list[Row] = field(default_factory=list)
    answers: list[tuple[_Insert, WriteOutcome | IdConflictError]] = field(default_factory=list)


class GroupCommitWriter:
    """Owns all writes of one process; start() in the lifespan, stop() drains it."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        max_group_events: int = 20_000,
        on_commit: Callable[[int], None] | None = None,
    ) -> None:
        self._engine = engine
        self._max_group_events = max_group_events
        self._on_commit = on_commit
        self._queue: asyncio.Queue[_Job | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.groups_committed = 0

    async def start(self) -> None:
        """Start the writer task."""
        self._task = asyncio.create_task(self._run(), name="group-commit-writer")

    async def stop(self) -> None:
        """Finish what is queued, then end the writer task."""
        if self._task is None:
            return
        await self._queue.put(None)
        await self._task
        self._task = None

    async def insert(self, rows: list[Row]) -> WriteOutcome:
        """Store rows atomically; raise IdConflictError or StoreUnavailableError."""
        future: asyncio.Future[WriteOutcome] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Insert(rows, future))
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
        size = len(first.rows)
        while size < self._max_group_events and not self._queue.empty():
            job = self._queue.get_nowait()
            if job is None:
                return group, True, None
            if isinstance(job, _Retract):
                return group, False, job
            group.append(job)
            size += len(job.rows)
        return group, False, None

    async def _commit_inserts(self, group: list[_Insert]) -> None:
        try:
            plan = await self._with_retries(lambda conn: self._insert_group(conn, group))
        except Exception as error:
            if len(group) > 1:
                # One request's failure must not fail the others: try each on its own.
                for job in group:
                    await self._commit_inserts([job])
                return
            _fail(group[0].future, error)
            return
        self.groups_committed += 1
        for job, answer in plan.answers:
            if isinstance(answer, IdConflictError):
                _fail(job.future, answer)
            elif not job.future.done():
                job.future.set_result(answer)
        if plan.new_rows:
            self._notify(plan.next_seq - 1)

    async def _do_retract(self, job: _Retract) -> None:
        try:
            outcome = await self._with_retries(lambda conn: self._retract(conn, job.event_id))
        except Exception as error:
            _fail(job.future, error)
            return
        if not job.future.done():
            job.future.set_result(outcome)
        if outcome is not None and outcome.newly_retracted:
            self._notify(outcome.retracted_seq)

    def _notify(self, last_seq: int) -> None:
        if self._on_commit is not None:
            try:
                self._on_commit(last_seq)
            except Exception:
                log.exception("commit listener failed")

    async def _with_retries(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        for attempt in range(_INTEGRITY_RETRIES):
            try:
                async with self._engine.connect() as conn:
                    conn = await conn.execution_options(**{SQLITE_IMMEDIATE: True})
                    async with conn.begin():
                        await self._lock(conn)
                        result: T = await work(conn)
                    return result
            except IntegrityError:
                # Another process committed the same id or seq meanwhile: plan again.
                if attempt == _INTEGRITY_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    async def _lock(self, conn: AsyncConnection) -> None:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})

    async def _insert_group(self, conn: AsyncConnection, group: list[_Insert]) -> _Plan:
        ids = [row["id"] for job in group for row in job.rows]
        plan = _Plan(next_seq=await _max_seq(conn) + 1, known=await _lookup(conn, ids))
        for job in group:
            _plan_insert(plan, job)
        if plan.new_rows:
            await conn.execute(insert(events_table), plan.new_rows)
        return plan

    async def _retract(self, conn: AsyncConnection, event_id: str) -> RetractOutcome | None:
        table = events_table
        found = (
            await conn.execute(
                select(table.c.seq, table.c.retracted_seq).where(table.c.id == event_id)
            )
        ).first()
        if found is None:
            return None
        seq, retracted_seq = found
        if retracted_seq is not None:
            return RetractOutcome(event_id, seq, retracted_seq, newly_retracted=False)
        retracted_seq = await _max_seq(conn) + 1
        await conn.execute(
            update(table)
            .where(table.c.id == event_id)
            .values(retracted_seq=retracted_seq, retracted_at=datetime.now(UTC))
        )
        return RetractOutcome(event_id, seq, retracted_seq, newly_retracted=True)


def _plan_insert(plan: _Plan, job: _Insert) -> None:
    """Classify a request's rows as new, duplicate or conflicting; all or nothing."""
    seqs: list[int] = []
    new_rows: list[Row] = []
    local: dict[str, _Known] = {}
    conflicts: list[tuple[int, str]] = []
    duplicates = 0
    next_seq = plan.next_seq
    for index, row in enumerate(job.rows):
        event_id = row["id"]
        content = content_of(row)
        known = local.get(event_id) or plan.known.get(event_id)
        if known is not None:
            if known.content == content:
                seqs.append(known.seq)
                duplicates += 1
            else:
                conflicts.append((index, event_id))
            continue
        local[event_id] = _Known(next_seq, content)
        new_rows.append({**row, "seq": next_seq})
        seqs.append(next_seq)
        next_seq += 1
    if conflicts:
        plan.answers.append((job, IdConflictError(conflicts)))
        return
    plan.known.update(local)
    plan.new_rows.extend(new_rows)
    plan.next_seq = next_seq
    plan.answers.append((job, WriteOutcome(len(new_rows), duplicates, seqs)))


async def _max_seq(conn: AsyncConnection) -> int:
    table = events_table
    row = (await conn.execute(select(func.max(table.c.seq), func.max(table.c.retracted_seq)))).one()
    return max(row[0] or 0, row[1] or 0)


async def _lookup(conn: AsyncConnection, ids: Sequence[str]) -> dict[str, _Known]:
    """Stored seq and content of those ids that already exist."""
    table = events_table
    columns = [table.c.id, table.c.seq, *(table.c[name] for name in CONTENT_FIELDS)]
    known: dict[str, _Known] = {}
    for chunk in _chunks(sorted(set(ids)), _LOOKUP_CHUNK):
        result = await conn.execute(select(*columns).where(table.c.id.in_(chunk)))
        for row in result.mappings():
            known[row["id"]] = _Known(row["seq"], content_of(dict(row)))
    return known


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _fail(future: asyncio.Future[Any], error: BaseException) -> None:
    if future.done():
        return
    if isinstance(error, IdConflictError | StoreUnavailableError):
        future.set_exception(error)
    elif isinstance(error, DBAPIError | OSError | TimeoutError):
        log.warning("write failed, database unavailable: %s", type(error).__name__)
        future.set_exception(StoreUnavailableError(str(error.__class__.__name__)))
    else:
        log.error("write failed", exc_info=error)
        future.set_exception(StoreUnavailableError("write failed"))
    # The requester may have gone away; mark the exception seen so asyncio does not warn.
    with contextlib.suppress(asyncio.CancelledError, Exception):
        future.exception()
