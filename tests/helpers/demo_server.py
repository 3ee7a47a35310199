"""`skywatch serve --demo` for page tests: the recorded night of 3-4 July 2025 and its Air
Force report, on SQLite in a throwaway directory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.server_process import TOKEN, ServerProcess

DEMO_NIGHT = "2025-07-04"


@contextmanager
def demo_server(tmp: Path, name: str = "demo") -> Iterator[ServerProcess]:
    """A started demo server, stopped when the block ends."""
    server = ServerProcess(
        name=name,
        database_url=f"sqlite+aiosqlite:///{tmp / 'db.sqlite'}",
        data_dir=tmp / "data",
        log=tmp / "server.log",
        token=TOKEN,
        serve_args=("--demo",),
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
