"""Full-scale read benchmark (issue 16): the whole history in one store, every range view timed.

Run with `make bench` (or `python -m bench.history`). A fresh `skywatch serve` on SQLite gets
the Air Force dataset (`skywatch import-csv`), both alert files (`skywatch import-alerts`,
about 160,000 events) and 100,000 synthetic observed events spread over the nights (1,000-event
batches). Each import is timed as the command runs it. Then each read is asked `REPEATS` times
from one client, one request at a time, and its p50 and p95 latency are reported against the
issue's targets; the server's RSS is read at the end.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import orjson

from bench.common import BENCH_TOKEN, percentile, verdict
from bench.report import revision, write_section
from bench.server import serving

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


def main() -> None:
    rng = random.Random(7)
    with serving() as server:
        url = ["--url", server.url, "--token", BENCH_TOKEN]
        csv_seconds = timed_command(["import-csv", str(DATASET), *url])
        alert_seconds = [timed_command(["import-alerts", str(path), *url]) for path in ALERT_FILES]
        headers = {"Authorization": f"Bearer {BENCH_TOKEN}", "Content-Type": "application/json"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=120) as http:
            synthetic_seconds = synthetic_events(http)
            first_read = latencies(http, ["/api/v1/trends?from=2022-03&to=2026-06&by=month"])[0]
            span = (LAST_NIGHT - FIRST_NIGHT).days
            nights = [FIRST_NIGHT + timedelta(days=rng.randrange(span)) for _ in range(REPEATS)]
            reads = {
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
            results = {name: latencies(http, paths) for name, (paths, _target) in reads.items()}
            listed = len(http.get("/api/v1/nights").json())
        rss = rss_mib(server.pid)
    lines = [
        "## Full-scale reads (`bench/history.py`)",
        "",
        "A fresh `skywatch serve` on SQLite holding the whole history: the Air Force dataset "
        f"(`skywatch import-csv`), both alert files (`skywatch import-alerts`) and {SYNTHETIC:,} "
        f"synthetic observed events posted in 1,000-event batches: {listed:,} nights in "
        f"`GET /nights`. Each read asked {REPEATS} times from one client, one at a time, after the "
        "first read that folds every night's summary once. Product code: "
        f"{revision()}.",
        "",
        "| import | seconds | target |",
        "|---|---|---|",
        f"| import-csv (the dataset) | {csv_seconds:.1f} | < 15 s: {verdict(csv_seconds < 15)} |",
    ]
    for path, seconds in zip(ALERT_FILES, alert_seconds, strict=True):
        lines.append(
            f"| import-alerts {path.name} | {seconds:.1f} | < 15 s: {verdict(seconds < 15)} |"
        )
    lines += [
        f"| {SYNTHETIC:,} synthetic events (1,000-event batches) | {synthetic_seconds:.1f} | |",
        "",
        f"First read after the imports (folds every night's summary): {first_read:,.0f} ms.",
        "",
        "| read | p50 | p95 | target |",
        "|---|---|---|---|",
    ]
    for name, (_paths, target) in reads.items():
        p50, p95 = percentile(results[name], 0.5), percentile(results[name], 0.95)
        goal = "" if target is None else f"p95 <= {target} ms: {verdict(p95 <= target)}"
        lines.append(f"| {name} | {p50:.1f} ms | {p95:.1f} ms | {goal} |")
    lines += [
        "",
        f"Server RSS after the reads: {rss:.0f} MiB (target < 400 MiB with 20 pages open: "
        "not measured here).",
    ]
    body = "\n".join(lines)
    print(body)
    write_section("history", body)


if __name__ == "__main__":
    main()
