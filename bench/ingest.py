"""Ingest benchmark: durable single-event POSTs and 1,000-event batches, driven by wrk.

Run with `make bench` (or `python -m bench.ingest`). Every request is answered only after
its group commit, so requests/s here are events durably stored per second. One Python
client saturates long before the server does, hence wrk (Debian package `wrk`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from bench.common import BENCH_TOKEN, OCCURRED_AT
from bench.report import write_section
from bench.server import running_server

EVENT = {
    "kind": "launch",
    "weapon": "drone",
    "model": "Shahed-136",
    "count": 1,
    "occurred_at": OCCURRED_AT,
    "region": "UA-30",
}
SCENARIOS = (("single events", 32, 1), ("1,000-event batches", 4, 1000))
SINGLE_TARGET = 3_000
BATCH_TARGET = 50_000


@dataclass(frozen=True)
class Run:
    """One wrk run against one fresh server."""

    label: str
    workers: int
    connections: int
    events_per_request: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    requests: int
    stored: int

    @property
    def events_per_second(self) -> float:
        """Events acknowledged per second."""
        return self.requests_per_second * self.events_per_request


def _lua(body: bytes) -> str:
    # A long bracket level that cannot occur in JSON, so the body needs no escaping.
    return (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {BENCH_TOKEN}"\n'
        f"wrk.body = [==[{body.decode()}]==]\n"
    )


def _duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _wrk(url: str, script: Path, *, connections: int, seconds: int) -> dict[str, float]:
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    output = subprocess.run(
        [*command, "-s", str(script), f"{url}/api/v1/events"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        "requests": float(re.search(r"(\d+) requests in", output).group(1)),  # type: ignore[union-attr]
        "p50": _duration_ms(re.search(r"50%\s+(\S+)", output).group(1)),  # type: ignore[union-attr]
        "p99": _duration_ms(re.search(r"99%\s+(\S+)", output).group(1)),  # type: ignore[union-attr]
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    found["non_2xx"] = float(non_2xx.group(1)) if non_2xx else 0.0
    return found


def _stored(url: str) -> int:
    nights = httpx.get(f"{url}/api/v1/nights", timeout=30).json()
    return sum(int(night["events"]) for night in nights)


def measure(
    *, label: str, workers: int, connections: int, batch: int, seconds: int, port: int
) -> Run:
    """Start a fresh server, load it with wrk, check what was stored."""
    body = orjson.dumps(EVENT if batch == 1 else [EVENT] * batch)
    redis = os.environ.get("SKYWATCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = {"SKYWATCH_REDIS_URL": redis}
    with (
        tempfile.TemporaryDirectory() as scratch,
        running_server(
            port=port, workers=workers, settings=settings if workers > 1 else None
        ) as url,
    ):
        script = Path(scratch) / "post.lua"
        script.write_text(_lua(body))
        figures = _wrk(url, script, connections=connections, seconds=seconds)
        stored = _stored(url)
    return Run(
        label=label,
        workers=workers,
        connections=connections,
        events_per_request=batch,
        requests_per_second=figures["rps"],
        p50_ms=figures["p50"],
        p99_ms=figures["p99"],
        non_2xx=int(figures["non_2xx"]),
        requests=int(figures["requests"]),
        stored=stored,
    )


def _table(runs: list[Run]) -> str:
    lines = [
        "| load | workers | connections | requests/s | events/s | p50 | p99 | non-2xx | "
        "acknowledged events | stored events |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run.label} | {run.workers} | {run.connections} | {run.requests_per_second:,.0f} "
            f"| {run.events_per_second:,.0f} | {run.p50_ms:.1f} ms | {run.p99_ms:.1f} ms "
            f"| {run.non_2xx} | {run.requests * run.events_per_request:,} | {run.stored:,} |"
        )
    return "\n".join(lines)


def main() -> int:
    """Run the scenarios and write the Ingest section of docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    runs = []
    for workers in (1, 2):
        for label, connections, batch in (
            ("single events", 32, 1),
            ("1,000-event batches", 2, 1000),
        ):
            run = measure(
                label=label,
                workers=workers,
                connections=connections,
                batch=batch,
                seconds=args.seconds,
                port=args.port,
            )
            print(
                f"{label}, {workers} worker(s): {run.events_per_second:,.0f} events/s", flush=True
            )
            runs.append(run)
    body = (
        "## Ingest (`bench/ingest.py`)\n\n"
        f"wrk POSTs to `/api/v1/events` for {args.seconds} s against a fresh server on SQLite "
        "(WAL, `synchronous=FULL`: every answer follows an fsync'd group commit). "
        "Acknowledged events are wrk's completed requests times events per request; stored "
        "events are counted afterwards through `GET /api/v1/nights` (requests still in flight "
        "when wrk stops may be stored without being counted as acknowledged). "
        f"Targets: {SINGLE_TARGET:,} single-event POSTs/s with 32 connections, "
        f"{BATCH_TARGET:,} events/s in 1,000-event batches.\n\n" + _table(runs)
    )
    write_section("ingest", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
