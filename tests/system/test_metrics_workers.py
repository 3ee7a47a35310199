"""A real `skywatch serve` scraped: with --workers 2 /metrics sums what both served; with
SKYWATCH_METRICS_BIND it is served on that address only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector

from tests.helpers.metrics import value
from tests.helpers.server_process import TOKEN, ServerProcess, free_port, sqlite_server
from tests.helpers.throwaway import ThrowawayRedis

REQUESTS = 120
EVENT = {
    "kind": "launch",
    "weapon": "drone",
    "count": 1,
    "occurred_at": "2025-07-03T22:10:00+03:00",
    "region": "UA-32",
}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    redis = ThrowawayRedis(tmp_path / "redis.log")
    redis.start()
    process = sqlite_server(tmp_path, "metrics", SKYWATCH_REDIS_URL=redis.url)
    process.workers = 2
    try:
        process.start()
        yield process
    finally:
        process.stop()
        redis.stop()


def _accepted_per_worker(metrics_dir: Path) -> list[float]:
    """skywatch_events_accepted_total as each worker's own file has it."""
    counts = []
    for path in sorted(metrics_dir.glob("counter_*.db")):
        merged = MultiProcessCollector.merge([str(path)], accumulate=True)  # type: ignore[no-untyped-call]
        counts.append(
            sum(
                sample.value
                for family in merged
                for sample in family.samples
                if sample.name == "skywatch_events_accepted_total"
            )
        )
    return counts


def test_a_scrape_counts_the_events_of_both_workers(server: ServerProcess) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for n in range(REQUESTS):
        # A new connection each time, so that the kernel hands them to both workers.
        event = {**EVENT, "id": f"w-{n}", "count": 1 + n % 3}
        answer = httpx.post(f"{server.url}/api/v1/events", json=event, headers=auth, timeout=30)
        assert answer.status_code == 201, answer.text
    duplicate = httpx.post(
        f"{server.url}/api/v1/events", json={**EVENT, "id": "w-0"}, headers=auth, timeout=30
    )
    assert duplicate.status_code == 200

    per_worker = _accepted_per_worker(server.data_dir / "metrics")
    served = [count for count in per_worker if count > 0]
    assert len(served) == 2, f"one worker took every request: {per_worker}"

    for _ in range(4):  # any worker answers the scrape, with the same sums
        text = httpx.get(f"{server.url}/metrics", timeout=30).text
        assert value(text, "skywatch_events_accepted_total") == REQUESTS
        assert sum(served) == REQUESTS
        assert value(text, "skywatch_events_duplicates_total") == 1
        assert value(text, "skywatch_group_commit_events_sum") == REQUESTS + 1
        assert value(text, "skywatch_outage", operation="redis subscription") == 0


def test_with_a_metrics_bind_they_are_served_only_there(tmp_path: Path) -> None:
    port = free_port()
    process = sqlite_server(
        tmp_path,
        "apart",
        SKYWATCH_METRICS_BIND=f"127.0.0.1:{port}",
        SKYWATCH_VIEW_TOKENS="view-secret",
    )
    process.start()
    try:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        posted = httpx.post(f"{process.url}/api/v1/events", json=EVENT, headers=auth, timeout=30)
        assert posted.status_code == 201
        # Its own listener, no token: an address the operator keeps off the network.
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=30).text
        assert value(text, "skywatch_events_accepted_total") == 1
        # Not on the main port, not even with the view token.
        main = httpx.get(
            f"{process.url}/metrics", headers={"Authorization": "Bearer view-secret"}, timeout=30
        )
        assert main.status_code == 404
    finally:
        process.stop()
