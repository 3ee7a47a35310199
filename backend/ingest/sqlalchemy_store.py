"""Write transactions through SQLAlchemy Core on the async engine (PostgreSQL, and any other)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Connection, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.records import CONTENT_FIELDS, content_of
from backend.ingest.plan import (
    LOOKUP_CHUNK,
    WRITE_ATTEMPTS,
    InsertRequest,
    Known,
    Plan,
    RetractOutcome,
    lookup_ids,
    plan_group,
)
from backend.store.db import SQLITE_IMMEDIATE
from backend.store.models import events_table

T = TypeVar("T")
# Any fixed number, the same in every process: it serializes writers so seqs follow commits.
WRITE_LOCK_KEY = 7_040_725
_T = events_table


class CoreWriteStore:
    """One locked transaction per call, run on a pooled connection of the async engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def insert_group(self, requests: Sequence[InsertRequest]) -> Plan:
        """Plan and insert the group in one transaction."""
        return await self._retrying(lambda conn: _insert_group(conn, requests))

    async def retract(self, event_id: str) -> RetractOutcome | None:
        """Mark one event retracted, giving the retraction its own seq."""
        return await self._retrying(lambda conn: _retract(conn, event_id))

    async def close(self) -> None:
        """Nothing of its own to close: the engine belongs to the app."""

    async def _retrying(self, work: Callable[[Connection], T]) -> T:
        for attempt in range(WRITE_ATTEMPTS):
            try:
                async with self._engine.connect() as conn:
                    return await conn.run_sync(_locked, work)
            except IntegrityError:
                # Another process committed the same id or seq meanwhile: plan again.
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")


def _locked(conn: Connection, work: Callable[[Connection], T]) -> T:
    conn = conn.execution_options(**{SQLITE_IMMEDIATE: True})
    with conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        return work(conn)


def _max_seq(conn: Connection) -> int:
    # Two scalar subqueries, not max(a), max(b) in one SELECT: SQLite answers a lone max()
    # from the index, but scans the whole table for two aggregates side by side.
    row = conn.execute(
        select(
            select(func.max(_T.c.seq)).scalar_subquery(),
            select(func.max(_T.c.retracted_seq))
            .where(_T.c.retracted_seq.is_not(None))
            .scalar_subquery(),
        )
    ).one()
    return max(row[0] or 0, row[1] or 0)


def _lookup(conn: Connection, ids: list[str]) -> dict[str, Known]:
    columns = [_T.c.id, _T.c.seq, *(_T.c[name] for name in CONTENT_FIELDS)]
    known: dict[str, Known] = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        for row in conn.execute(select(*columns).where(_T.c.id.in_(chunk))).mappings():
            known[row["id"]] = Known(row["seq"], content_of(dict(row)))
    return known


def _insert_group(conn: Connection, requests: Sequence[InsertRequest]) -> Plan:
    known = _lookup(conn, lookup_ids(requests))
    plan = plan_group(requests, next_seq=_max_seq(conn) + 1, known=known)
    if plan.new_rows:
        conn.execute(insert(_T), plan.new_rows)
    return plan


def _retract(conn: Connection, event_id: str) -> RetractOutcome | None:
    found = conn.execute(select(_T.c.seq, _T.c.retracted_seq).where(_T.c.id == event_id)).first()
    if found is None:
        return None
    seq, retracted_seq = found
    if retracted_seq is not None:
        return RetractOutcome(event_id, seq, retracted_seq, newly_retracted=False)
    retracted_seq = _max_seq(conn) + 1
    conn.execute(
        update(_T)
        .where(_T.c.id == event_id)
        .values(retracted_seq=retracted_seq, retracted_at=datetime.now(UTC))
    )
    return RetractOutcome(event_id, seq, retracted_seq, newly_retracted=True)
