"""`skywatch serve` refuses several workers without Redis, with a message that says why."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.system.conftest import SKYWATCH, clean_environment, free_port


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
