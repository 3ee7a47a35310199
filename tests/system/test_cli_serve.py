"""`skywatch serve` refuses several workers without Redis, with a message that says why."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers.server_process import (
    SKYWATCH,
    TOKEN,
    ServerProcess,
    clean_environment,
    free_port,
)


def test_several_workers_without_redis_are_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(SKYWATCH), "serve", "--port", str(free_port()), "--workers", "2"],
        env=clean_environment({"SKYWATCH_DATA_DIR": str(tmp_path)}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SKYWATCH_REDIS_URL" in result.stderr


def test_demo_loads_the_recorded_night_into_an_empty_store_once(tmp_path: Path) -> None:
    server = ServerProcess(
        name="demo",
        database_url=None,
        data_dir=tmp_path / "data",
        log=tmp_path / "demo.log",
        token=TOKEN,
        serve_args=("--demo",),
    )
    server.start()
    try:
        with server.client() as client:
            stats = client.get("/api/v1/stats", params={"night": "2025-07-04"}).json()
            stored = client.get("/api/v1/nights").json()[0]["events"]
        assert stats["launched"]["drone"] + stats["launched"]["decoy"] == 539
        assert sum(stats["shot_down"].values()) == 268 + 2
        server.restart()
        with server.client() as client:
            assert client.get("/api/v1/nights").json()[0]["events"] == stored
    finally:
        server.stop()
