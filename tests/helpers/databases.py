"""Databases on the test PostgreSQL server: created, dropped and emptied for tests."""

from __future__ import annotations

import asyncio
import os
import uuid

import asyncpg
from sqlalchemy.engine import make_url

POSTGRES_ADMIN_URL = os.environ.get(
    "SKYWATCH_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(POSTGRES_ADMIN_URL))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def create_postgres_database() -> str:
    """A new empty database on the test server; its SQLAlchemy URL."""
    name = f"skywatch_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    """Drop a database made by create_postgres_database."""
    name = make_url(url).database
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def truncate_events(url: str) -> None:
    """Empty the events, reports and night summary tables of a PostgreSQL database, those it
    has yet."""
    connection = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        for table in ("events", "reports", "night_summaries", "night_dirty"):
            exists = await connection.fetchval(f"SELECT to_regclass('{table}') IS NOT NULL")
            if exists:
                await connection.execute(f"TRUNCATE {table}")
    finally:
        await connection.close()
