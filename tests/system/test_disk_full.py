"""A full disk under the data directory (issue 15): writes are 503, /healthz is 503 while they
fail and 200 again once there is room, and the failures are logged as an outage (one line
when they start, one when they end), not a warning per POST. The data directory is a small
tmpfs filled for real (the tests run as root in CI)."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.server_process import AUTH, TOKEN, ServerProcess

TMPFS_BYTES = 24 * 1024 * 1024
NOTE = "n" * 1000
EVENT = {"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00+03:00"}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MiB tmpfs, unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES},mode=0700", "tmpfs", str(mount)],
        check=True,
    )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _fill(path: Path) -> None:
    """Write zeros until the file system has no room left."""
    with path.open("wb") as filler, contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 65536)
            filler.flush()


def test_a_full_disk_fails_health_and_is_logged_once(small_disk: Path, tmp_path: Path) -> None:
    data = small_disk / "data"
    server = ServerProcess(
        name="disk-full", database_url=None, data_dir=data, log=tmp_path / "s.log", token=TOKEN
    )
    server.start()
    try:
        with server.client(**AUTH) as client:
            assert client.post("/api/v1/events", json=EVENT).status_code == 201
            filler = small_disk / "filler"
            _fill(filler)
            batch = [{**EVENT, "note": NOTE}] * 1000
            # The WAL may still have room for a few batches: write until the disk refuses.
            answers = [client.post("/api/v1/events", json=batch).status_code for _ in range(40)]
            assert 503 in answers, answers
            failed = answers.index(503)
            assert set(answers[failed:]) == {503}, answers
            health = client.get("/healthz")
            assert health.status_code == 503, health.text
            assert "writes failing" in health.json()["detail"]
            assert "Retry-After" in health.headers
            assert client.get("/api/v1/events", params={"limit": 5}).status_code == 200

            filler.unlink()
            assert client.get("/healthz").status_code == 200
            assert client.post("/api/v1/events", json=EVENT).status_code == 201
    finally:
        server.stop()
    log = server.log_text()
    assert log.count("writing events failed; retrying") == 1, log[-3000:]
    assert log.count("writing events works again") == 1, log[-3000:]
    assert "write failed, database unavailable" not in log
