"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL; and the fixtures of
tests/helpers that several test packages use, registered once here."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.databases import (
    create_postgres_database,
    drop_postgres_database,
    truncate_events,
)

# The only place pytest allows pytest_plugins: the fixtures of these modules, for every test.
pytest_plugins = ["tests.helpers.app_client", "tests.helpers.rig"]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One PostgreSQL database for the session; tests empty it before use."""
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a fresh SQLite file, or the session's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'skywatch.db'}"
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(truncate_events(url))
    return url
