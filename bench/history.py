"""Full-scale read benchmark (issue 16): the whole history in one store, every range view timed.

Run with `make bench` (or `python -m bench.history`). A fresh `skywatch serve` on SQLite gets
the Air Force dataset (`skywatch import-csv`), both alert files (`skywatch import-alerts`,
about 160,000 events) and 100,000 synthetic observed events spread over the nights (1,000-event
batches); then the same on a new PostgreSQL database (SKYWATCH_TEST_POSTGRES_URL's
server). Each import is timed as the command runs it. Then each read is asked `REPEATS` times
from one client, one request at a time, and its p50 and p95 latency are reported against the
issue's targets; the server's RSS is read at the end.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import orjson

from bench.common import BENCH_TOKEN, percentile, verdict
from bench.report import revision, write_section
from bench.server import serving
from tests.helpers.databases import create_postgres_database, drop_postgres_database

DATA = Path(__file__).resolve().parents[1] / "seeds" / "data"
ALERT_FILES = sorted(DATA.glob("air_raid_sirens_*.csv"))
DATASET = DATA / "missile_attacks_daily.csv"
SYNTHETIC = 100_000
REPEATS = 60
FIRST_NIGHT, LAST_NIGHT = date(2022, 9, 1), date(2026, 6, 20)
KINDS = ("launch", "shot_down", "suppressed", "impact", "debris")
WEAPONS = ("drone", "cruise_missile", "ballistic_missile")
REGIONS = ("UA-30", "UA-32", "UA-46", "UA-63", "UA-51", "UA-12")


def timed_command(arguments: list[str]) -> float:
    """Seconds one `skywatch` command takes to finish (it must succeed)."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "backend.cli.main", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"skywatch {' '.join(arguments)} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - began


def synthetic_events(http: httpx.Client) -> float:
    """Post SYNTHETIC observed events in 1,000-event batches; seconds taken."""
    rng = random.Random(16)
    span = (LAST_NIGHT - FIRST_NIGHT).days
    began = time.perf_counter()
    for batch_start in range(0, SYNTHETIC, 1000):
        batch = []
        for index in range(batch_start, batch_start + 1000):
            night = FIRST_NIGHT + timedelta(days=rng.randrange(span))
            kind = rng.choice(KINDS)
            event = {
                "id": f"synthetic-{index}",
                "kind": kind,
                "count": rng.randint(1, 5),
                "region": rng.choice(REGIONS),
                "occurred_at": f"{night - timedelta(days=1)}T{rng.randint(12, 23):02d}:30:00+03:00",
            }
            if kind != "debris":
                event["weapon"] = rng.choice(WEAPONS)
            batch.append(event)
        answer = http.post("/api/v1/events", content=orjson.dumps(batch))
        assert answer.status_code in (200, 201), answer.text
    return time.perf_counter() - began


def latencies(http: httpx.Client, paths: list[str]) -> list[float]:
    """Milliseconds of each GET, one at a time (the first of each path warms nothing up)."""
    found = []
    for path in paths:
        began = time.perf_counter()
        answer = http.get(path)
        found.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:200])
    return found


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Measured:
    """One store's figures."""

    store: str
    csv_seconds: float
    alert_seconds: list[float]
    synthetic_seconds: float
    first_read: float
    results: dict[str, list[float]]
    listed: int
    rss: float


def reads_of(nights: list[date]) -> dict[str, tuple[list[str], float | None]]:
    """Each read timed: its paths, one per repeat, and its p95 target in ms."""
    return {
        "GET /trends 2022-2026 by month": (
            ["/api/v1/trends?from=2022-03&to=2026-06&by=month"] * REPEATS,
            200,
        ),
        "GET /trends 2022-2026 by night": (
            ["/api/v1/trends?from=2022-03&to=2026-06&by=night"] * REPEATS,
            500,
        ),
        "GET /nights": (["/api/v1/nights"] * REPEATS, 100),
        "GET /stats?night= (random nights)": (
            [f"/api/v1/stats?night={night}" for night in nights],
            50,
        ),
        "GET /stats?from=&to= 2022-2026": (
            ["/api/v1/stats?from=2022-03-01&to=2026-06-30"] * REPEATS,
            None,
        ),
    }


def measure(store: str, database_url: str | None, nights: list[date]) -> Measured:
    """Import the whole history into a fresh server on this store, then time the reads."""
    with serving(database_url=database_url) as server:
        url = ["--url", server.url, "--token", BENCH_TOKEN]
        csv_seconds = timed_command(["import-csv", str(DATASET), *url])
        alert_seconds = [timed_command(["import-alerts", str(path), *url]) for path in ALERT_FILES]
        headers = {"Authorization": f"Bearer {BENCH_TOKEN}", "Content-Type": "application/json"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=120) as http:
            synthetic_seconds = synthetic_events(http)
            first_read = latencies(http, ["/api/v1/trends?from=2022-03&to=2026-06&by=month"])[0]
            reads = reads_of(nights)
            results = {name: latencies(http, paths) for name, (paths, _target) in reads.items()}
            listed = len(http.get("/api/v1/nights").json())
        rss = rss_mib(server.pid)
    return Measured(
        store,
        csv_seconds,
        alert_seconds,
        synthetic_seconds,
        first_read,
        results,
        listed,
        rss,
    )


def main() -> None:
    rng = random.Random(7)
    span = (LAST_NIGHT - FIRST_NIGHT).days
    nights = [FIRST_NIGHT + timedelta(days=rng.randrange(span)) for _ in range(REPEATS)]
    runs = [measure("SQLite", None, nights)]
    postgres = create_postgres_database()
    try:
        runs.append(measure("PostgreSQL", postgres, nights))
    finally:
        drop_postgres_database(postgres)
    lines = [
        "## Full-scale reads (`bench/history.py`)",
        "",
        "A fresh `skywatch serve` (one worker) on SQLite, then one on a new PostgreSQL "
        "database, each holding the whole history: the Air Force dataset "
        f"(`skywatch import-csv`), both alert files (`skywatch import-alerts`) and {SYNTHETIC:,} "
        f"synthetic observed events posted in 1,000-event batches: {runs[0].listed:,} nights in "
        f"`GET /nights`. Each read asked {REPEATS} times from one client, one at a time, after the "
        "first read that folds every night's summary once. Product code: "
        f"{revision()}.",
        "",
        "| import | " + " | ".join(f"{run.store} seconds" for run in runs) + " | target |",
        "|---|" + "---|" * len(runs) + "---|",
    ]

    def row(name: str, values: list[float], target: float | None) -> str:
        figures = " | ".join(f"{value:.1f}" for value in values)
        goal = "" if target is None else f"< {target:.0f} s: {verdict(values[0] < target)}"
        return f"| {name} | {figures} | {goal} |"

    lines.append(row("import-csv (the dataset)", [run.csv_seconds for run in runs], 15))
    for index, path in enumerate(ALERT_FILES):
        seconds = [run.alert_seconds[index] for run in runs]
        lines.append(row(f"import-alerts {path.name}", seconds, 15))
    synthetic = [run.synthetic_seconds for run in runs]
    lines.append(row(f"{SYNTHETIC:,} synthetic events (1,000-event batches)", synthetic, None))
    lines += [
        "",
        "(The import targets are SQLite's.) First read after the imports (folds every night's "
        "summary): "
        + ", ".join(f"{run.store} {run.first_read / 1000:.1f} s" for run in runs)
        + ".",
        "",
        "| read | store | p50 | p95 | target |",
        "|---|---|---|---|---|",
    ]
    for name, (_paths, target) in reads_of(nights).items():
        for run in runs:
            p50 = percentile(run.results[name], 0.5)
            p95 = percentile(run.results[name], 0.95)
            goal = "" if target is None else f"p95 <= {target} ms: {verdict(p95 <= target)}"
            lines.append(f"| {name} | {run.store} | {p50:.1f} ms | {p95:.1f} ms | {goal} |")
    lines += [
        "",
        "Server RSS after the reads: "
        + ", ".join(f"{run.store} {run.rss:.0f} MiB" for run in runs)
        + " (the 400 MiB target with 20 pages open: `bench/history_pages.py`).",
    ]
    body = "\n".join(lines)
    print(body)
    write_section("history", body)


if __name__ == "__main__":
    main()
