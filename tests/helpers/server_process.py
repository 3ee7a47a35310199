"""Real `skywatch serve` processes for end-to-end tests: start, stop, kill, restart, logs.

The benchmarks (bench/server.py) start their servers here too, including ones that are not
`skywatch serve` (the fan-out baseline, uvicorn with per-message deflate): `command`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

# The console script installed next to this interpreter: the tests run what users run.
SKYWATCH = Path(sys.executable).with_name("skywatch")
TOKEN = "system-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
STARTUP_SECONDS = 30.0
STOP_SECONDS = 15.0

# port -> the full command line of a server that listens on it and answers /api/v1/healthz.
Command = Callable[[int], list[str]]


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def clean_environment(extra: dict[str, str]) -> dict[str, str]:
    """This process's environment without any SKYWATCH_* setting, plus `extra`."""
    # A developer's own SKYWATCH_API_TOKENS or SKYWATCH_TOKEN must not leak into a test.
    base = {key: value for key, value in os.environ.items() if not key.startswith("SKYWATCH_")}
    return {**base, **extra}


class ServerProcess:
    """One `skywatch serve` on a data dir and database; can be stopped, killed and restarted.

    `workers` is `serve --workers` (the ingest benchmark runs 2); `serve_args` are added
    after it. `command`, when given, replaces the whole `skywatch serve ...` line (serve_args
    and workers then do not apply): it gets the port and must start a server that answers
    /api/v1/healthz there.
    """

    def __init__(
        self,
        *,
        name: str,
        database_url: str | None,
        data_dir: Path,
        log: Path,
        token: str | None,
        serve_args: tuple[str, ...] = (),
        settings: dict[str, str] | None = None,
        executable: Path = SKYWATCH,
        cwd: Path | None = None,
        workers: int = 1,
        command: Command | None = None,
    ) -> None:
        self.name = name
        # Another installation's `skywatch` (the wheel test's), run from another directory.
        self.executable = executable
        self.cwd = cwd
        self.settings = settings or {}
        self.database_url = database_url
        self.data_dir = data_dir
        self.log = log
        self.token = token
        self.serve_args = serve_args
        self.workers = workers
        self.command = command
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Base URL of the running server."""
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """The environment the server runs with."""
        extra = {"SKYWATCH_DATA_DIR": str(self.data_dir)}
        if self.database_url is not None:
            extra["SKYWATCH_DATABASE_URL"] = self.database_url
        if self.token is not None:
            extra["SKYWATCH_API_TOKENS"] = self.token
        return clean_environment({**extra, **self.settings})

    def command_line(self, port: int) -> list[str]:
        """What start() runs to listen on `port`: `command`, or `skywatch serve`."""
        if self.command is not None:
            return self.command(port)
        workers = ["--workers", str(self.workers)]
        return [str(self.executable), "serve", "--port", str(port), *workers, *self.serve_args]

    def start(self, *, same_port: bool = False, port: int = 0) -> None:
        """Start and wait until /api/v1/healthz answers.

        On `port` when given (a benchmark's --port), else on the previous port when
        same_port (a restart that clients reconnect to), else on a fresh free one.
        """
        assert self.process is None or self.process.poll() is not None, "already running"
        if port:
            self.port = port
        elif not (same_port and self.port):
            self.port = free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = self.command_line(self.port)
        with self.log.open("ab") as output:
            output.write(f"===== {' '.join(command)}\n".encode())
            output.flush()
            # A session of its own, so that kill() can SIGKILL the whole process group.
            self.process = subprocess.Popen(
                command,
                env=self.environment(),
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.cwd,
                start_new_session=True,
            )
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}:\n{self.log_text()}"
                )
            try:
                if httpx.get(f"{self.url}/api/v1/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"{self.name} did not become healthy:\n{self.log_text()}")

    def stop(self) -> int | None:
        """Ask for a clean shutdown (SIGINT), SIGKILL after a timeout; the exit code."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self) -> None:
        """SIGKILL the server's whole process group, as a crash or power cut would end it."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):  # it may have died on its own
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def restart(self, *, same_port: bool = False) -> None:
        """Stop cleanly, then start again on the same data dir and database."""
        self.stop()
        self.start(same_port=same_port)

    def log_text(self) -> str:
        """Everything the server wrote to stdout and stderr so far."""
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"

    def client(self, **headers: str) -> httpx.Client:
        """An HTTP client for this server (a new one after each restart: the port changes)."""
        return httpx.Client(base_url=self.url, timeout=30.0, headers=headers)


def sqlite_server(
    tmp_path: Path, name: str, *, serve_args: tuple[str, ...] = (), **settings: str
) -> ServerProcess:
    """A server (not started yet) on a fresh SQLite file in tmp_path, with SKYWATCH_*
    `settings` added to its environment."""
    return ServerProcess(
        name=name,
        database_url=f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}",
        data_dir=tmp_path / f"{name}-data",
        log=tmp_path / f"{name}.log",
        token=TOKEN,
        serve_args=serve_args,
        settings=settings,
    )


# What the start_server fixture of tests/system/conftest.py gives: database_url -> running server.
StartServer = Callable[..., ServerProcess]
