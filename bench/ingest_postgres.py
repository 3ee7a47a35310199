"""Ingest into a store that already holds 100,000+ events, PostgreSQL against SQLite.

Run with `make bench` (or `python -m bench.ingest_postgres`). A fresh `skywatch serve` on a
new PostgreSQL database (the one the tests use, SKYWATCH_TEST_POSTGRES_URL) and, as the
baseline in the same run, one on SQLite get the same 120,000 synthetic observed events in
1,000-event batches from one client, one batch at a time; events/s are given for the first
and the last 20,000, and for the last 20 batches posted again (every event a duplicate).
Before the fix (docs/performance.md) PostgreSQL fell to about 150 events/s at 100,000 stored.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx
import orjson

from bench.common import BENCH_TOKEN
from bench.report import revision, write_section
from bench.server import BENCH_SETTINGS
from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.helpers.server_process import ServerProcess

EVENTS = 120_000
BATCH = 1_000
WINDOW = 20_000
FIRST_NIGHT, LAST_NIGHT = date(2022, 9, 1), date(2026, 6, 20)
KINDS = ("launch", "shot_down", "suppressed", "impact", "debris")


def batches() -> list[bytes]:
    """The bodies of every batch, the same for both stores."""
    rng = random.Random(16)
    span = (LAST_NIGHT - FIRST_NIGHT).days
    bodies = []
    for start in range(0, EVENTS, BATCH):
        batch = []
        for index in range(start, start + BATCH):
            night = FIRST_NIGHT + timedelta(days=rng.randrange(span))
            kind = rng.choice(KINDS)
            event = {
                "id": f"bench-{index}",
                "kind": kind,
                "count": rng.randint(1, 5),
                "region": "UA-30",
                "occurred_at": f"{night - timedelta(days=1)}T{rng.randint(12, 23):02d}:30:00+03:00",
            }
            if kind != "debris":
                event["weapon"] = "drone"
            batch.append(event)
        bodies.append(orjson.dumps(batch))
    return bodies


@contextmanager
def server_on(database_url: str | None) -> Iterator[str]:
    """A fresh server on this database (None: SQLite in its data dir); its base URL."""
    with tempfile.TemporaryDirectory(prefix="skywatch-bench-") as scratch:
        server = ServerProcess(
            name="server",
            database_url=database_url,
            data_dir=Path(scratch),
            log=Path(scratch) / "server.log",
            token=BENCH_TOKEN,
            settings=BENCH_SETTINGS,
            workers=1,
        )
        server.start()
        try:
            yield server.url
        finally:
            server.stop()


def rates(url: str, bodies: list[bytes]) -> tuple[float, float, float]:
    """Events/s of the first WINDOW events, the last WINDOW, and the last WINDOW again."""
    headers = {"Authorization": f"Bearer {BENCH_TOKEN}", "Content-Type": "application/json"}
    per_window = WINDOW // BATCH

    def post(http: httpx.Client, chosen: list[bytes]) -> float:
        began = time.perf_counter()
        for body in chosen:
            answer = http.post("/api/v1/events", content=body)
            assert answer.status_code in (200, 201), answer.text[:300]
        return len(chosen) * BATCH / (time.perf_counter() - began)

    with httpx.Client(base_url=url, headers=headers, timeout=600) as http:
        first = post(http, bodies[:per_window])
        post(http, bodies[per_window:-per_window])
        last = post(http, bodies[-per_window:])
        again = post(http, bodies[-per_window:])
    return first, last, again


def main() -> None:
    bodies = batches()
    postgres = create_postgres_database()
    try:
        with server_on(postgres) as url:
            on_postgres = rates(url, bodies)
    finally:
        drop_postgres_database(postgres)
    with server_on(None) as url:
        on_sqlite = rates(url, bodies)
    lines = [
        "## Ingest into a full store, PostgreSQL (`bench/ingest_postgres.py`)",
        "",
        f"A fresh `skywatch serve` (one worker) gets {EVENTS:,} synthetic observed events in "
        f"{BATCH:,}-event batches from one client, one batch at a time: events/s over the first "
        f"{WINDOW:,}, over the last {WINDOW:,} (100,000 already stored) and over those last "
        "batches posted again (every event a duplicate, answered from the id look-up). "
        f"SQLite is the baseline, same run, same bodies. Product code: {revision()}.",
        "",
        "| store | first 20,000 | 100,000-120,000 | duplicates at 120,000 |",
        "|---|---|---|---|",
    ]
    for name, (first, last, again) in (("PostgreSQL", on_postgres), ("SQLite", on_sqlite)):
        lines.append(f"| {name} | {first:,.0f} | {last:,.0f} | {again:,.0f} |")
    body = "\n".join(lines)
    print(body)
    write_section("ingest_postgres", body)


if __name__ == "__main__":
    main()
