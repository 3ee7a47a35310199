"""Start a real server in a subprocess for a benchmark, on a throwaway data dir."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.common import BENCH_TOKEN


@dataclass(frozen=True)
class Server:
    """A running server: its base URL, PID and log file."""

    url: str
    pid: int
    log: Path


@contextmanager
def serving(
    command: list[str], *, port: int, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Run `command` (a server listening on `port`) on a fresh data dir until the block ends."""
    with tempfile.TemporaryDirectory(prefix="skywatch-bench-") as data_dir:
        environment = {
            **os.environ,
            "SKYWATCH_DATA_DIR": data_dir,
            "SKYWATCH_API_TOKENS": BENCH_TOKEN,
            # Every benchmark client connects from 127.0.0.1: one address, a thousand viewers.
            "SKYWATCH_MAX_STREAMS_PER_CLIENT": "1000000",
            **(env or {}),
        }
        log = Path(data_dir) / "server.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, env=environment, stdout=output, stderr=subprocess.STDOUT
            )
            url = f"http://127.0.0.1:{port}"
            try:
                _wait_healthy(url, process, log)
                yield Server(url=url, pid=process.pid, log=log)
            except BaseException:
                # The data dir (and the log in it) is about to go: show why the server failed.
                tail = log.read_text(errors="replace").splitlines()[-40:]
                print("\n".join(["server log (last lines):", *tail]), file=sys.stderr)
                raise
            finally:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@contextmanager
def running_server(
    *, port: int, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    """The base URL of a fresh `skywatch serve`; stopped (and its data removed) on exit."""
    command = [sys.executable, "-m", "backend.cli.main", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    with serving(command, port=port, env=env) as server:
        yield server.url


def server_warnings(log: Path) -> list[str]:
    """The WARNING and ERROR lines of a server's log (read it before the data dir goes)."""
    lines = log.read_text(errors="replace").splitlines()
    return [line for line in lines if line.startswith(("WARNING", "ERROR"))]


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server did not become healthy:\n{log.read_text()}")
