"""`skywatch db backup` while a server takes writes, then `db restore` into a stopped one."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import httpx

from tests.helpers.server_events import all_events
from tests.helpers.server_process import AUTH, SKYWATCH, StartServer


def run(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKYWATCH_")}
    env["SKYWATCH_DATABASE_URL"] = database_url
    return subprocess.run(
        [str(SKYWATCH), *args], capture_output=True, text=True, timeout=120, check=False, env=env
    )


def test_a_backup_under_writes_restores_a_consistent_store(
    start_server: StartServer, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
    server = start_server(url, name="live")
    stop = threading.Event()
    posted: list[int] = []

    def write() -> None:
        with server.client(**AUTH) as client:
            while not stop.is_set():
                batch = [
                    {
                        "kind": "launch",
                        "weapon": "drone",
                        "occurred_at": "2025-07-04T01:00:00+03:00",
                    }
                    for _ in range(50)
                ]
                if client.post("/api/v1/events", json=batch).status_code == 201:
                    posted.append(len(batch))

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while sum(posted) < 500:
            stop.wait(0.05)
        backups = [tmp_path / f"backup-{n}.db" for n in range(3)]
        for backup in backups:
            done = run("db", "backup", str(backup), database_url=url)
            assert done.returncode == 0, done.stderr
    finally:
        stop.set()
        writer.join()
    total = httpx.get(f"{server.url}/api/v1/stats", params={"night": "2025-07-04"}).json()
    server.stop()
    # Each backup is a store as it was at one commit: whole batches only, its tallies its events.
    restored_url = f"sqlite+aiosqlite:///{tmp_path / 'restored.db'}"
    counts = []
    for backup in backups:
        done = run("db", "restore", str(backup), database_url=restored_url)
        assert done.returncode == 0, done.stderr
        restored = start_server(restored_url, name=f"restored-{backup.stem}")
        with restored.client() as client:
            events = all_events(client)
            stats = client.get("/api/v1/stats", params={"night": "2025-07-04"}).json()
        restored.stop()
        assert len(events) % 50 == 0
        assert stats["launched"]["drone"] == len(events)
        assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
        counts.append(len(events))
    assert counts == sorted(counts)
    assert counts[0] >= 500
    assert counts[-1] <= total["launched"]["drone"]


def test_restore_refuses_a_file_that_is_no_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database")
    done = run("db", "restore", str(bogus), database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db")
    assert done.returncode == 1
    assert done.stderr.startswith("skywatch db restore: ")
    assert "Traceback" not in done.stderr


def test_backup_of_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    done = run("db", "backup", str(tmp_path / "b.db"), database_url="postgresql+asyncpg://u@h/db")
    assert done.returncode == 1
    assert "pg_dump" in done.stderr
