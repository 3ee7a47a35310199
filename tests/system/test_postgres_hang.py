"""PostgreSQL hangs (every process frozen, as behind a partition that drops packets): the
server answers 503 within its database timeout instead of waiting forever, and recovers.

A stopped database refuses connections at once; a hung one accepts them and never answers,
which is what a cloud database behind a broken network path does. Without a timeout the one
writer would wait on it for good, and every POST queued behind it with it.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.outage_checks import assert_unavailable, launch, stored
from tests.helpers.server_process import AUTH, TOKEN, ServerProcess
from tests.helpers.throwaway import ThrowawayPostgres, throwaway_postgres

DATABASE_TIMEOUT = 2.0
# A refused write answers within the timeout of the statement it hung on, plus the
# pool's wait for a connection if every pooled one is hung too.
ANSWER_WITHIN = 3 * DATABASE_TIMEOUT + 2.0
RECOVERY_SECONDS = 5.0


@pytest.fixture
def cluster() -> Iterator[ThrowawayPostgres]:
    """A PostgreSQL of the test's own: freezing the machine's would hang everyone's tests."""
    with throwaway_postgres() as postgres:
        try:
            yield postgres
        finally:
            resume(postgres)  # a frozen cluster would not stop


@pytest.fixture
def hang_server(cluster: ThrowawayPostgres, tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(
        name="hang",
        settings={"SKYWATCH_DATABASE_TIMEOUT": str(DATABASE_TIMEOUT)},
        database_url=cluster.create_database(),
        data_dir=tmp_path / "data",
        log=tmp_path / "server.log",
        token=TOKEN,
    )
    server.start()
    yield server
    server.stop()


def cluster_pids(postgres: ThrowawayPostgres) -> list[int]:
    """The postmaster and every process it started."""
    postmaster = int((postgres.data / "postmaster.pid").read_text().splitlines()[0])
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # Field 4 of /proc/<pid>/stat is the parent; the command may hold spaces.
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == postmaster:
            children.append(int(entry.name))
    return [*children, postmaster]


def freeze(postgres: ThrowawayPostgres) -> None:
    for pid in cluster_pids(postgres):
        os.kill(pid, signal.SIGSTOP)


def resume(postgres: ThrowawayPostgres) -> None:
    try:
        pids = cluster_pids(postgres)
    except (OSError, ValueError, IndexError):
        return
    for pid in pids:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            continue


def test_a_hung_database_costs_a_503_not_a_hang(
    hang_server: ServerProcess, cluster: ThrowawayPostgres
) -> None:
    server = hang_server
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=60) as client:
        assert client.post("/api/v1/events", json=[launch("before")]).status_code == 201
        refused: list[str] = []
        freeze(cluster)
        try:
            for attempt in range(2):
                event_id = f"hung-{attempt}"
                started = time.monotonic()
                response = client.post("/api/v1/events", json=[launch(event_id, count=4)])
                took = time.monotonic() - started
                assert_unavailable(response)
                assert took <= ANSWER_WITHIN, f"a write waited {took:.1f} s on a hung database"
                refused.append(event_id)
            started = time.monotonic()
            assert_unavailable(client.get("/api/v1/stats", params={"night": "2025-07-04"}))
            assert time.monotonic() - started <= ANSWER_WITHIN
            assert server.process is not None
            assert server.process.poll() is None, "server died"
        finally:
            resume(cluster)

        # Back: writes succeed again without a restart, within RECOVERY_SECONDS.
        deadline = time.monotonic() + RECOVERY_SECONDS
        while True:
            response = client.post("/api/v1/events", json=[launch("after", count=2)])
            if response.status_code == 201 or time.monotonic() > deadline:
                break
            assert_unavailable(response)
            time.sleep(0.2)
        assert response.status_code == 201, response.text

        # A 503 promised nothing either way (a commit can land as the answer is lost):
        # a retry with the same id makes each refused write count exactly once.
        for event_id in refused:
            retry = client.post("/api/v1/events", json=[launch(event_id, count=4)])
            assert retry.status_code in (200, 201), retry.text
    counts = stored(server)
    assert counts == {"before": 1, "after": 1, "hung-0": 1, "hung-1": 1}
