"""The service's Prometheus metrics, defined once; every worker's values in one exposition.

With `skywatch serve --workers N` every worker writes its values to files in
PROMETHEUS_MULTIPROC_DIR (set by serve before the workers start, emptied at each start) and
a scrape of any worker sums them (prometheus-client's multiprocess mode): counters and
histograms add up over workers, open connections add up over live workers, and an outage
gauge shows the worst live worker. A single process keeps them in memory.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.metrics_core import Metric

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

EVENTS_ACCEPTED = Counter(
    "skywatch_events_accepted", "Events stored by POST /api/v1/events (new seqs)."
)
EVENTS_DUPLICATES = Counter(
    "skywatch_events_duplicates", "Events resent with a known id and the same content."
)
EVENTS_CONFLICTS = Counter(
    "skywatch_events_conflicts", "POST /api/v1/events refused 409: a known id, other content."
)
EVENTS_REFUSED = Counter(
    "skywatch_events_refused",
    "POST /api/v1/events answered with an error, by status (nothing of it was stored).",
    ["status"],
)
GROUP_COMMIT_EVENTS = Histogram(
    "skywatch_group_commit_events",
    "Events in one group-commit transaction.",
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000),
)
GROUP_COMMIT_SECONDS = Histogram(
    "skywatch_group_commit_seconds",
    "Time of one group-commit transaction, from its start to its commit.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0),
)
OPEN_CONNECTIONS = Gauge(
    "skywatch_open_connections",
    "Websocket connections accepted and still open, by stream (stream, dashboard, replay).",
    ["stream"],
    multiprocess_mode="livesum",
)
CUT_OFF = Counter(
    "skywatch_clients_cut_off",
    "Websocket clients closed 4008 (too slow), by stream and reason.",
    ["stream", "reason"],
)
HUB_FETCH_LAG = Histogram(
    "skywatch_hub_fetch_lag_seconds",
    "From the hub's first notice of new commits to their batch handed to subscribers.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
OUTAGE = Gauge(
    "skywatch_outage",
    "1 while an operation on the database or Redis keeps failing, else 0 (worst worker).",
    ["operation"],
    multiprocess_mode="livemax",
)

for _stream in ("stream", "dashboard", "replay"):
    OPEN_CONNECTIONS.labels(stream=_stream)


def multiprocess_dir() -> str | None:
    """The directory the workers share their values in; None in a single process."""
    return os.environ.get(MULTIPROC_ENV) or None


def registry() -> CollectorRegistry:
    """What a scrape reads: every worker's files, or this process's metrics."""
    path = multiprocess_dir()
    if path is None:
        return REGISTRY
    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected, path=path)  # type: ignore[no-untyped-call]
    return collected


def exposition() -> tuple[bytes, str]:
    """The text format of every metric, and its content type."""
    return generate_latest(registry()), CONTENT_TYPE_LATEST


def worker_exited() -> None:
    """Drop this worker's live gauges (open connections, outages) from the sums."""
    if multiprocess_dir() is not None:
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def reset_multiprocess_dir(path: Path) -> None:
    """An empty directory for this run's worker files (a previous run's would add up)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, mode=0o700)


def serve_on(bind: str) -> None:
    """Serve GET /metrics on host:port from a thread of this process (SKYWATCH_METRICS_BIND).

    The registry is read at each scrape, so started in `skywatch serve`'s own process before
    the workers exist it still shows theirs (their files).
    """
    host, _, port = bind.rpartition(":")
    start_http_server(int(port), addr=host.strip("[]") or "127.0.0.1", registry=_Scraped())


class _Scraped(CollectorRegistry):
    """A registry that reads registry() anew at every collect."""

    def collect(self) -> Iterator[Metric]:
        """Every metric of registry() as it is now."""
        yield from registry().collect()
