"""Start a real `skywatch serve` in a subprocess for a benchmark, on a throwaway data dir."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

BENCH_TOKEN = "bench-token"


@contextmanager
def running_server(
    *, port: int, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    """The base URL of a fresh server; stopped (and its data removed) on exit."""
    with tempfile.TemporaryDirectory(prefix="skywatch-bench-") as data_dir:
        environment = {
            **os.environ,
            "SKYWATCH_DATA_DIR": data_dir,
            "SKYWATCH_API_TOKENS": BENCH_TOKEN,
            **(env or {}),
        }
        command = [sys.executable, "-m", "backend.cli", "serve", "--port", str(port)]
        command += ["--workers", str(workers)]
        log = Path(data_dir) / "server.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, env=environment, stdout=output, stderr=subprocess.STDOUT
            )
            url = f"http://127.0.0.1:{port}"
            try:
                _wait_healthy(url, process, log)
                yield url
            finally:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


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
