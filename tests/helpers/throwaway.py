"""A PostgreSQL cluster and a Redis server of the test's own, which it may stop and start.

The machine's PostgreSQL and Redis are shared with other test runs, so outage tests never
touch them: each outage happens to a server that only the test knows about, on its own port
(and, for PostgreSQL, its own socket directory), removed afterwards.

PostgreSQL refuses to run as root, so when the tests run as root (CI) every PostgreSQL
command runs as the `postgres` OS user through runuser, in a directory that user owns.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import redis

from tests.helpers.server_process import free_port

POSTGRES_OS_USER = "postgres"
COMMAND_SECONDS = 120.0
REDIS_START_SECONDS = 10.0


def postgres_bindir() -> Path:
    """The directory of initdb and pg_ctl: the newest /usr/lib/postgresql/*/bin, else PATH."""
    # Debian keeps the server binaries off PATH; the numerically newest version wins.
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    if found is None:
        raise RuntimeError("initdb not found: install PostgreSQL (bash .ci/services does)")
    return Path(found).parent


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory; start(), stop(), remove()."""

    def __init__(self) -> None:
        self.bindir = postgres_bindir()
        self._as_postgres = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="skywatch-pg-"))
        if self._as_postgres:
            account = pwd.getpwnam(POSTGRES_OS_USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = free_port()
        self.running = False
        self._run(
            "initdb",
            "-D", str(self.data),
            "-U", "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",  # the cluster is thrown away: no need to fsync its template files
        )  # fmt: skip

    def _run(self, program: str, *args: str) -> None:
        command: Sequence[str] = [str(self.bindir / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", POSTGRES_OS_USER, "--", *command]
        # cwd: the postgres user may not be allowed into the directory pytest runs in.
        result = subprocess.run(
            command,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
            check=False,
            env={**os.environ, "LC_ALL": "C"},
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n"
                f"{self.log_text()}"
            )

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of a database in this cluster."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
            "-o", options,
        )  # fmt: skip
        self.running = True

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server: `immediate` is a crash (recovery at the next start), `fast` clean."""
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", "60")
        self.running = False

    def create_database(self) -> str:
        """A new empty database in this cluster; its SQLAlchemy URL."""
        name = f"skywatch_{uuid.uuid4().hex[:12]}"
        self._run("psql", *self._psql_target(), "-c", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def _psql_target(self) -> list[str]:
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "postgres"]

    def remove(self) -> None:
        """Stop the server if it runs (killing it if need be) and delete the directory."""
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.stop("immediate")
        self._kill_leftover()
        shutil.rmtree(self.root, ignore_errors=True)

    def _kill_leftover(self) -> None:
        # pg_ctl could not stop it (or timed out): a postmaster must not outlive the test.
        pid_file = self.data / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int(pid_file.read_text().splitlines()[0])
            os.kill(pid, signal.SIGKILL)

    def log_text(self) -> str:
        """The server's log so far."""
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no postgres log)"


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    """A started cluster of the caller's own, removed afterwards whatever happened."""
    postgres = ThrowawayPostgres()
    try:
        postgres.start()
        yield postgres
    finally:
        postgres.remove()


class ThrowawayRedis:
    """A redis-server without persistence on a port of its own; start() and stop() it."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The redis:// URL of this server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start (on the same port as before) and wait until it answers PING."""
        assert self.process is None, "already running"
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server not found: install it (bash .ci/services does)")
        command = [
            binary, "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no",
        ]  # fmt: skip
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        deadline = time.monotonic() + REDIS_START_SECONDS
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            while not self._answers(client):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"redis-server did not start:\n{self.log_text()}")
                time.sleep(0.05)
        finally:
            client.close()

    @staticmethod
    def _answers(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    def subscribers(self, channel: str) -> int:
        """How many clients are subscribed to a pub/sub channel."""
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            counts = client.pubsub_numsub(channel)
        finally:
            client.close()
        return int(counts[0][1]) if counts else 0

    def stop(self) -> None:
        """Kill the server (SIGKILL: an outage, not a goodbye) and wait for it to end."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.wait(timeout=COMMAND_SECONDS)
        self.process = None

    def log_text(self) -> str:
        """The server's log so far."""
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no redis log)"
