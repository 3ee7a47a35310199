"""Fixtures of real `skywatch serve` processes (tests/helpers/server_process.py), on the test
database of each run; a failed test's report carries every server's log."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.helpers.server_process import TOKEN, ServerProcess, StartServer

_SERVERS = pytest.StashKey[list[ServerProcess]]()


@pytest.fixture
def start_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StartServer]:
    """A factory of running servers; all are stopped after the test, their logs kept."""
    servers: list[ServerProcess] = []
    request.node.stash[_SERVERS] = servers

    def start(
        database_url: str | None,
        *,
        name: str = "server",
        token: str | None = TOKEN,
        data_dir: Path | None = None,
    ) -> ServerProcess:
        server = ServerProcess(
            name=name,
            database_url=database_url,
            data_dir=data_dir or tmp_path / f"{name}-data",
            log=tmp_path / f"{name}.log",
            token=token,
        )
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(start_server: StartServer, database_url: str) -> ServerProcess:
    """A running server on the test's database (SQLite or PostgreSQL), token TOKEN."""
    return start_server(database_url)


@pytest.fixture
def second_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database of the same kind as database_url, for a second server."""
    if database_url.startswith("sqlite"):
        yield f"sqlite+aiosqlite:///{tmp_path / 'second.db'}"
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach every server's log to the report of a failed test."""
    report = yield
    if report.failed:
        for server in item.stash.get(_SERVERS, []):
            report.sections.append((f"{server.name} log ({server.log})", server.log_text()))
    return report
