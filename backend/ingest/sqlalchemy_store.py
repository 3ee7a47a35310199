"""Write transactions through SQLAlchemy Core on the async engine (PostgreSQL, and any other)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.records import CONTENT_FIELDS, Row, content_of
from backend.ingest.plan import (
    LOOKUP_CHUNK,
    Known,
    LockedWriteStore,
    T,
    WriteTransaction,
)
from backend.store.cursor import latest_cursor_sync
from backend.store.db import SQLITE_IMMEDIATE, retrying_write
from backend.store.models import events_table
from backend.store.summaries import mark_event, mark_inserted

# Any fixed number, the same in every process: it serializes writers so seqs follow commits.
WRITE_LOCK_KEY = 7_040_725
_T = events_table


class CoreWriteStore(LockedWriteStore):
    """One locked transaction per call, run on a pooled connection of the async engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def close(self) -> None:
        """Nothing of its own to close: the engine belongs to the app."""

    async def transaction(self, work: Callable[[WriteTransaction], T]) -> T:
        """Run `work` in one locked transaction, again when another process raced it."""
        return await retrying_write(self._engine, lambda conn: _locked(conn, work))


def _locked(conn: Connection, work: Callable[[WriteTransaction], T]) -> T:
    conn = conn.execution_options(**{SQLITE_IMMEDIATE: True})
    with conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
        return work(_CoreTransaction(conn))


class _CoreTransaction:
    """WriteTransaction on a SQLAlchemy connection inside its locked transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def latest_cursor(self) -> int:
        return latest_cursor_sync(self._conn)

    def lookup(self, ids: list[str]) -> dict[str, Known]:
        columns = [_T.c.id, _T.c.seq, *(_T.c[name] for name in CONTENT_FIELDS)]
        known: dict[str, Known] = {}
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[start : start + LOOKUP_CHUNK]
            query = select(*columns).where(_T.c.id.in_(chunk))
            for row in self._conn.execute(query).mappings():
                known[row["id"]] = Known(row["seq"], content_of(dict(row)))
        return known

    def insert(self, rows: list[Row]) -> None:
        self._conn.execute(insert(_T), rows)
        mark_inserted(self._conn, rows[0]["seq"], rows[-1]["seq"])

    def find(self, event_id: str) -> tuple[int, int | None] | None:
        query = select(_T.c.seq, _T.c.retracted_seq).where(_T.c.id == event_id)
        found = self._conn.execute(query).first()
        return None if found is None else (found[0], found[1])

    def mark_retracted(self, event_id: str, retracted_seq: int, at: datetime) -> None:
        self._conn.execute(
            update(_T)
            .where(_T.c.id == event_id)
            .values(retracted_seq=retracted_seq, retracted_at=at)
        )
        mark_event(self._conn, event_id)
