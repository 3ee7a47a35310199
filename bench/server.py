"""Servers for the benchmarks: the tests' launcher (tests/helpers/server_process.py) on a
throwaway data dir, with the benchmarks' token and stream limit.

`ServerProcess` itself runs a command other than `skywatch serve` (the fan-out baseline,
uvicorn with per-message deflate), with any number of workers, on a given port. Only what is
the benchmarks' own is here: refusing a --port that is taken, their token and settings, and
the server log's tail when a benchmark fails (the data dir, and the log in it, go when the
block ends).
"""

from __future__ import annotations

import socket
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.common import BENCH_TOKEN
from tests.helpers.server_process import Command, ServerProcess

# Every benchmark client connects from 127.0.0.1: one address, a thousand viewers.
BENCH_SETTINGS = {"SKYWATCH_MAX_STREAMS_PER_CLIENT": "1000000"}


@dataclass(frozen=True)
class Server:
    """A running server: its base URL, PID and log file."""

    url: str
    pid: int
    log: Path


def check_port(wanted: int) -> int:
    """`wanted` when nothing listens on it on 127.0.0.1; otherwise exit with a message.

    A server already on the port would answer the health check in place of the one started.
    """
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", wanted))
        except OSError as error:
            raise SystemExit(f"bench: port {wanted} is taken ({error}); use --port 0") from None
    return wanted


@contextmanager
def serving(
    command: Command | None = None,
    *,
    port: int = 0,
    workers: int = 1,
    settings: dict[str, str] | None = None,
    database_url: str | None = None,
) -> Iterator[Server]:
    """A fresh server (`skywatch serve`, or `command`) on a throwaway data dir and SQLite
    database (or `database_url`), on `port` (0: any free one), until the block ends.

    `settings` are SKYWATCH_* variables added to its environment (the caller's own SKYWATCH_*
    variables are not passed on).
    """
    with tempfile.TemporaryDirectory(prefix="skywatch-bench-") as scratch:
        server = ServerProcess(
            name="server",
            database_url=database_url,  # None: SQLite in the data dir
            data_dir=Path(scratch),
            log=Path(scratch) / "server.log",
            token=BENCH_TOKEN,
            settings={**BENCH_SETTINGS, **(settings or {})},
            workers=workers,
            command=command,
        )
        try:
            server.start(port=check_port(port) if port else 0)  # 0: any free port
            assert server.process is not None
            try:
                yield Server(url=server.url, pid=server.process.pid, log=server.log)
            except BaseException:
                tail = server.log_text().splitlines()[-40:]
                print("\n".join(["server log (last lines):", *tail]), file=sys.stderr)
                raise
        finally:
            server.stop()


@contextmanager
def running_server(
    *, port: int = 0, workers: int = 1, settings: dict[str, str] | None = None
) -> Iterator[str]:
    """The base URL of a fresh `skywatch serve`; stopped (and its data removed) on exit."""
    with serving(port=port, workers=workers, settings=settings) as server:
        yield server.url


def server_warnings(log: Path) -> list[str]:
    """The WARNING and ERROR lines of a server's log (read it before the data dir goes)."""
    lines = log.read_text(errors="replace").splitlines()
    return [line for line in lines if line.startswith(("WARNING", "ERROR"))]
