"""Servers for the benchmarks: the tests' launcher (tests/helpers/server_process.py) on a
throwaway data dir, with the benchmarks' token and stream limit.

Only what the benchmarks need beyond `ServerProcess` is here: a command other than
`skywatch serve` (the fan-out baseline, uvicorn with per-message deflate), a port chosen on
the command line, and the server log's tail when a benchmark fails (the data dir, and the log
in it, go when the block ends).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import BENCH_TOKEN
from tests.helpers.server_process import ServerProcess, free_port

# Every benchmark client connects from 127.0.0.1: one address, a thousand viewers.
BENCH_SETTINGS = {"SKYWATCH_MAX_STREAMS_PER_CLIENT": "1000000"}

Command = Callable[[int], list[str]]  # port -> command line of a server listening on it


@dataclass(frozen=True)
class Server:
    """A running server: its base URL, PID and log file."""

    url: str
    pid: int
    log: Path


class CommandServer(ServerProcess):
    """A `ServerProcess` that runs `command(port)` instead of `skywatch serve`.

    `ServerProcess.start` always runs `skywatch serve`, so this `start` spawns the command
    itself; waiting for /api/v1/healthz, stopping, killing and the log are the base class's.
    """

    def __init__(self, command: Command, **options: Any) -> None:
        super().__init__(**options)
        self.command = command

    def start(self, *, same_port: bool = False) -> None:
        """Start (on a fresh port unless same_port) and wait until /api/v1/healthz answers."""
        assert self.process is None or self.process.poll() is not None, "already running"
        if not (same_port and self.port):
            self.port = free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = self.command(self.port)
        with self.log.open("ab") as output:
            output.write(f"===== {' '.join(command)}\n".encode())
            output.flush()
            self.process = subprocess.Popen(
                command,
                env=self.environment(),
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._wait_healthy()


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
) -> Iterator[Server]:
    """A fresh server (`skywatch serve`, or `command`) on a throwaway data dir and SQLite
    database, on `port` (0: any free one), until the block ends.

    `settings` are SKYWATCH_* variables added to its environment (the caller's own SKYWATCH_*
    variables are not passed on).
    """
    with tempfile.TemporaryDirectory(prefix="skywatch-bench-") as scratch:
        options: dict[str, Any] = {
            "name": "server",
            "database_url": None,  # SQLite in the data dir
            "data_dir": Path(scratch),
            "log": Path(scratch) / "server.log",
            "token": BENCH_TOKEN,
            "settings": {**BENCH_SETTINGS, **(settings or {})},
        }
        if command is None:
            # `ServerProcess` passes `--workers 1`; a later `--workers` wins.
            server = ServerProcess(serve_args=("--workers", str(workers)), **options)
        else:
            server = CommandServer(command, **options)
        server.port = check_port(port) if port else 0
        try:
            server.start(same_port=True)  # a fresh port when server.port is 0
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
