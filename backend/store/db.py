"""Engine construction: SQLite in WAL mode by default, PostgreSQL through asyncpg."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

# Execution option that makes the next SQLite transaction BEGIN IMMEDIATE (take the write lock
# up front), so a writer never fails half-way with "database is locked" on lock upgrade.
SQLITE_IMMEDIATE = "skywatch_sqlite_immediate"
DEFAULT_TIMEOUT = 15.0
# Tries of a write transaction that lost an id or seq race to another process.
WRITE_ATTEMPTS = 3
T = TypeVar("T")


def create_engine(
    url: str, *, sqlite_synchronous: str = "FULL", timeout: float = DEFAULT_TIMEOUT
) -> AsyncEngine:
    """An async engine for the URL; SQLite gets WAL, a busy timeout and explicit BEGINs.

    On PostgreSQL, `timeout` bounds connecting, each statement and the wait for a pooled
    connection: a database that hangs (a network partition drops packets, it does not refuse
    them) then costs a 503 after that long, instead of holding the writer and every request
    queued behind it forever (asyncpg waits for a statement without limit by default).

    Every statement gets a plan for its own parameters (plan_cache_mode): asyncpg keeps each
    statement prepared on a pooled connection, and PostgreSQL's generic plan, picked once
    the table was small (a fresh store, or before any ANALYZE), is kept as the table grows.
    The ingest id look-up so kept a sequential scan comparing every row with 500 parameters
    one by one: 150 events/s at 100,000 stored events (docs/performance.md).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(
            url,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=10,
            pool_timeout=timeout,
            connect_args={
                "timeout": timeout,
                "command_timeout": timeout,
                "server_settings": {"plan_cache_mode": "force_custom_plan"},
            },
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # A fixed pool: opening SQLite connections on demand (each with its own aiosqlite thread
    # and PRAGMAs) under load costs more than waiting for a pooled one.
    engine = create_async_engine(url, pool_size=8, max_overflow=0, pool_timeout=30)
    configure_sqlite(engine.sync_engine, sqlite_synchronous)
    return engine


def configure_sqlite(engine: Engine, synchronous: str) -> None:
    """WAL, fsync policy, busy timeout, and BEGIN statements chosen by us, not the driver."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        apply_sqlite_pragmas(dbapi_connection, synchronous)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(SQLITE_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def apply_sqlite_pragmas(dbapi_connection: Any, synchronous: str) -> None:
    """WAL, the fsync policy and a busy timeout, on any DB-API connection to SQLite."""
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", f"synchronous={synchronous}", "busy_timeout=10000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


async def retrying_write(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """Run `work` on a connection of its own; again, up to WRITE_ATTEMPTS times, when another
    process committed the same key meanwhile (IntegrityError): `work` plans anew and sees it.

    `work` opens its own transaction (SQLITE_IMMEDIATE, any lock it needs).
    """
    for attempt in range(WRITE_ATTEMPTS):
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(work)
        except IntegrityError:
            if attempt == WRITE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def is_sqlite(engine: AsyncEngine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"
