"""`skywatch load` rides out a database outage: it waits and retries instead of failing a
briefing's preparation on the first 503, and nothing counts twice."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from backend.cli.retry import post_until_answered
from tests.helpers.outage_checks import stored
from tests.helpers.server_process import AUTH, SKYWATCH, TOKEN, ServerProcess, StartServer
from tests.helpers.server_process import clean_environment as environment
from tests.helpers.throwaway import ThrowawayPostgres, throwaway_postgres

OUTAGE_SECONDS = 4.0
EVENTS = 300


@pytest.fixture
def cluster() -> Iterator[ThrowawayPostgres]:
    """A PostgreSQL of the test's own, to stop without disturbing anyone else."""
    with throwaway_postgres() as postgres:
        yield postgres


@pytest.fixture
def server(cluster: ThrowawayPostgres, start_server: StartServer) -> ServerProcess:
    return start_server(cluster.create_database())


def start_cli(*args: str) -> subprocess.Popen[str]:
    """`skywatch <args>` running in the background with the write token, output captured."""
    return subprocess.Popen(
        [str(SKYWATCH), *args],
        env=environment({"SKYWATCH_TOKEN": TOKEN}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def recording(path: Path) -> Path:
    lines = [
        orjson.dumps(
            {
                "id": f"outage-{index:04d}",
                "kind": "launch",
                "weapon": "drone",
                "count": 1 + index % 3,
                "occurred_at": f"2025-07-03T22:{index // 60:02d}:{index % 60:02d}+03:00",
            }
        )
        for index in range(EVENTS)
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_load_waits_out_a_database_outage(
    server: ServerProcess, cluster: ThrowawayPostgres, tmp_path: Path
) -> None:
    night = recording(tmp_path / "night.jsonl")
    cluster.stop("immediate")
    try:
        loading = start_cli("load", str(night), "--url", server.url, "--batch-size", "50")
        time.sleep(OUTAGE_SECONDS)
        assert loading.poll() is None, f"load gave up during the outage: {loading.communicate()}"
    finally:
        cluster.start()
    _, err = loading.communicate(timeout=60)
    assert loading.returncode == 0, err
    assert "database unavailable" in err
    counts = stored(server)
    assert len(counts) == EVENTS
    assert set(counts.values()) == {1}


def test_posting_gives_up_when_the_outage_outlasts_its_patience(
    server: ServerProcess, cluster: ThrowawayPostgres
) -> None:
    cluster.stop("immediate")
    retries: list[str] = []
    started = time.monotonic()
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=30) as http:
        response = post_until_answered(
            http,
            "/api/v1/events",
            json=[{"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00Z"}],
            give_up_after=3.0,
            on_retry=retries.append,
        )
    assert response.status_code == 503
    assert 3.0 <= time.monotonic() - started < 15.0
    assert retries
    assert all("503" in reason for reason in retries)


def test_replay_waits_for_a_restarting_server(start_server: StartServer, tmp_path: Path) -> None:
    server = start_server(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    # 300 events a second of night time apart, at 60x: five seconds of posting.
    night = recording(tmp_path / "night.jsonl")
    replaying = start_cli("replay", str(night), "--url", server.url, "--speed", "60")
    time.sleep(1.5)
    server.stop()
    time.sleep(1.0)  # a deploy: nobody listens for a moment
    server.start(same_port=True)
    _, err = replaying.communicate(timeout=90)
    assert replaying.returncode == 0, err
    assert "retrying" in err
    counts = stored(server)
    assert len(counts) == EVENTS
    assert set(counts.values()) == {1}
