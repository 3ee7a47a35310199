"""Write transactions on SQLite through the sqlite3 driver directly, in one dedicated thread.

The async driver hops threads for every cursor call and SQLAlchemy's per-statement work holds
the GIL that the request handlers need; under load that stretched a 2 ms group commit to
10-13 ms. Here a whole group is one hop into a thread whose Python work is a few tuples, and
whose waiting (SQLite steps, fsync) releases the GIL. Values are written in the forms the
SQLAlchemy column types read back (tests/unit/ingest/test_sqlite_store.py holds it to that).
"""

from __future__ import annotations

import asyncio
import fcntl
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from functools import cache
from itertools import chain
from typing import Any

from backend.domain.records import CONTENT_FIELDS, Row, content_of
from backend.ingest.plan import (
    LOOKUP_CHUNK,
    Known,
    LockedWriteStore,
    T,
    WriteTransaction,
)
from backend.store.cursor import LATEST_CURSOR_SQLITE, cursor_of
from backend.store.db import WRITE_ATTEMPTS, apply_sqlite_pragmas
from backend.store.models import from_epoch_micros, to_epoch_micros
from backend.store.summaries import MARK_EVENT_SQLITE, MARK_INSERTED_SQLITE, new_token

INSERT_COLUMNS = (
    "seq",
    "id",
    *CONTENT_FIELDS,
    "received_at",
    "night",
)
# Rows per INSERT statement (fewer where the library's bound-parameter limit is lower).
ROWS_PER_STATEMENT = 500
_ROW_MARKS = "({})".format(", ".join("?" * len(INSERT_COLUMNS)))


@cache
def _insert_sql(rows: int) -> str:
    """One INSERT of `rows` rows: the statement runs as one step, where executemany gives the
    GIL up and takes it back around every row's step, each time waiting behind the request
    handlers (the writer thread's wall time per 1,000 rows was a third above its CPU time)."""
    return "INSERT INTO events ({}) VALUES {}".format(
        ", ".join(INSERT_COLUMNS), ", ".join([_ROW_MARKS] * rows)
    )


def _stored_tuples(rows: list[Row]) -> list[tuple[Any, ...]]:
    # A batch shares its received_at and a few nights (often its times too): each converted
    # once, since this runs in the writer thread and holds the GIL the handlers need.
    micros_of = cache(to_epoch_micros)
    day_of = cache(date.isoformat)

    return [
        (
            row["seq"],
            row["id"],
            row["kind"],
            row["weapon"],
            row["model"],
            row["count"],
            micros_of(row["occurred_at"]),
            row["region"],
            row["area"],
            row["city"],
            row["lat"],
            row["lon"],
            row["source"],
            row["note"],
            micros_of(row["received_at"]),
            day_of(row["night"]),
        )
        for row in rows
    ]


class SqliteWriteStore(LockedWriteStore):
    """Owns one sqlite3 connection, used only from its own thread."""

    def __init__(self, path: str, *, synchronous: str) -> None:
        self._path = path
        # Writers in other processes (several workers) queue on this lock. SQLite's own busy
        # handler polls with sleeps of up to 100 ms; a blocking flock hands over at once.
        self._lock_file = open(f"{path}.write-lock", "a+b")  # noqa: SIM115 - held for life
        self._synchronous = synchronous
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="sqlite-writer")
        self._conn: sqlite3.Connection | None = None

    async def close(self) -> None:
        """Close the connection and end the thread."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self._close)
        self._thread.shutdown(wait=True)

    async def transaction(self, work: Callable[[WriteTransaction], T]) -> T:
        """Run `work` in the writer thread under the cross-process lock and BEGIN IMMEDIATE."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, self._transaction, work)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            apply_sqlite_pragmas(conn, self._synchronous)
            self._conn = conn
        return self._conn

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._lock_file.close()

    def _transaction(self, work: Callable[[WriteTransaction], T]) -> T:
        fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        try:
            return self._attempts(work)
        finally:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def _attempts(self, work: Callable[[WriteTransaction], T]) -> T:
        for attempt in range(WRITE_ATTEMPTS):
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(_SqliteTransaction(conn))
                conn.execute("COMMIT")
                return result
            except sqlite3.IntegrityError:
                conn.execute("ROLLBACK")
                # Another process committed the same id or seq meanwhile: plan again.
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        raise AssertionError("unreachable")


class _SqliteTransaction:
    """WriteTransaction on the writer thread's sqlite3 connection, inside BEGIN IMMEDIATE."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def latest_cursor(self) -> int:
        return cursor_of(self._conn.execute(LATEST_CURSOR_SQLITE).fetchone())

    def lookup(self, ids: list[str]) -> dict[str, Known]:
        names = ("id", "seq", *CONTENT_FIELDS)
        known: dict[str, Known] = {}
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[start : start + LOOKUP_CHUNK]
            marks = ", ".join("?" * len(chunk))
            query = f"SELECT {', '.join(names)} FROM events WHERE id IN ({marks})"
            for found in self._conn.execute(query, chunk):
                stored: dict[str, Any] = dict(zip(names, found, strict=True))
                stored["occurred_at"] = from_epoch_micros(stored["occurred_at"])
                known[stored["id"]] = Known(stored["seq"], content_of(stored))
        return known

    def insert(self, rows: list[Row]) -> None:
        values = _stored_tuples(rows)
        limit = self._conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        step = max(1, min(ROWS_PER_STATEMENT, limit // len(INSERT_COLUMNS)))
        for start in range(0, len(values), step):
            chunk = values[start : start + step]
            self._conn.execute(_insert_sql(len(chunk)), list(chain.from_iterable(chunk)))
        # Seqs ascend within a plan: the nights of the range are those of these rows.
        marks = (new_token(), rows[0]["seq"], rows[-1]["seq"])
        self._conn.execute(MARK_INSERTED_SQLITE, marks)

    def find(self, event_id: str) -> tuple[int, int | None] | None:
        found = self._conn.execute(
            "SELECT seq, retracted_seq FROM events WHERE id = ?", (event_id,)
        )
        row = found.fetchone()
        return None if row is None else (row[0], row[1])

    def mark_retracted(self, event_id: str, retracted_seq: int, at: datetime) -> None:
        self._conn.execute(
            "UPDATE events SET retracted_seq = ?, retracted_at = ? WHERE id = ?",
            (retracted_seq, to_epoch_micros(at), event_id),
        )
        self._conn.execute(MARK_EVENT_SQLITE, (new_token(), event_id))
