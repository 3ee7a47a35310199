"""The data directory is 0700 and what the server writes in it 0600 (issue 15)."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.helpers.server_process import ServerProcess


def test_the_data_directory_and_its_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)  # as a default umask would have left a directory made by hand
    server = ServerProcess(
        name="private", database_url=None, data_dir=data, log=tmp_path / "s.log", token=None
    )
    try:
        server.start()
        token = (data / "api-token").read_text().strip()
        event = {"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00+03:00"}
        with server.client(Authorization=f"Bearer {token}") as client:
            assert client.post("/api/v1/events", json=event).status_code == 201
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        files = sorted(path.name for path in data.iterdir())
        assert "skywatch.db" in files
        assert "api-token" in files
        for path in data.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, (path.name, oct(path.stat().st_mode))
    finally:
        server.stop()
