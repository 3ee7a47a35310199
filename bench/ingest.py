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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import orjson

from bench.common import BENCH_TOKEN, OCCURRED_AT
from bench.report import revision, write_section
from bench.server import running_server, serving

EVENT = {
    "kind": "launch",
    "weapon": "drone",
    "model": "Shahed-136",
    "count": 1,
    "occurred_at": OCCURRED_AT,
    "region": "UA-30",
}
SINGLE_TARGET = 3_000
BATCH_TARGET = 50_000
BASELINE_RATIO_TARGET = 0.7
REGIONS = ("UA-30", "UA-32", "UA-63", "UA-51", "UA-46", "UA-12", "UA-18", "UA-53")


def _lua(body: bytes) -> str:
    # A long bracket level that cannot occur in JSON, so the body needs no escaping.
    return (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {BENCH_TOKEN}"\n'
        f"wrk.body = [==[{body.decode()}]==]\n"
    )


WEAPONS = ("drone", "decoy", "cruise_missile", "ballistic_missile")


def _lua_strings(values: tuple[str, ...]) -> str:
    return "{" + ", ".join(f'"{value}"' for value in values) + "}"


def _distinct_lua(size: int = 1000) -> str:
    """A wrk script whose every request is a new batch of `size` events that differ in time,
    region, weapon and count: nothing repeats within a batch for the ingest to reuse, and
    each batch's times follow the previous one's (one second apart, as an import of history
    would send them), so no batch goes back over the times, and index entries, of another."""
    start = int(datetime.fromisoformat(OCCURRED_AT).timestamp())
    return (
        _lua(b"")
        + f"local regions = {_lua_strings(REGIONS)}\n"
        + f"local weapons = {_lua_strings(WEAPONS)}\n"
        + "local threads = 0\n"
        # Each wrk thread has a Lua state of its own: a time range of its own, far apart.
        + "function setup(thread)\n"
        + "  thread:set('first', threads * 10000000)\n"
        + "  threads = threads + 1\n"
        + "end\n"
        + "local sent = 0\n"
        + "function request()\n"
        + f"  local base = {start} + first + sent * {size}\n"
        + "  sent = sent + 1\n"
        + "  local parts = {}\n"
        + f"  for i = 0, {size - 1} do\n"
        + "    parts[#parts + 1] = string.format(\n"
        + '      \'{"kind":"%s","weapon":"%s","model":"model-%d","count":%d,\' ..\n'
        + '      \'"occurred_at":"%s","region":"%s"}\',\n'
        + '      i % 3 == 0 and "shot_down" or "launch", weapons[i % #weapons + 1], i % 7,\n'
        + '      1 + i % 5, os.date("!%Y-%m-%dT%H:%M:%SZ", base + i), regions[i % #regions + 1])\n'
        + "  end\n"
        + '  return wrk.format(nil, nil, nil, "[" .. table.concat(parts, ",") .. "]")\n'
        + "end\n"
    )


@dataclass(frozen=True)
class Scenario:
    """One wrk run: what is posted, over how many connections, to which server."""

    key: str  # --only names it
    label: str
    connections: int
    body: bytes  # or, when script is given, what its requests look like
    events_per_request: int
    baseline: bool = False  # bench/ingest_baseline.py instead of skywatch serve
    script: str | None = None  # a wrk script of its own, not one fixed body

    def lua(self) -> str:
        """The wrk script of the run."""
        return self.script if self.script is not None else _lua(self.body)


SCENARIOS = (
    Scenario("single", "single events", 32, orjson.dumps(EVENT), 1),
    Scenario(
        "baseline",
        "single events, bare FastAPI (validation only)",
        32,
        orjson.dumps(EVENT),
        1,
        baseline=True,
    ),
    Scenario("batch", "1,000-event batches", 2, orjson.dumps([EVENT] * 1000), 1000),
    Scenario(
        "distinct",
        "1,000 distinct events a batch",
        2,
        b"",
        1000,
        script=_distinct_lua(),
    ),
)


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
    stored: int | None  # None: the baseline stores nothing

    @property
    def events_per_second(self) -> float:
        """Events acknowledged per second."""
        return self.requests_per_second * self.events_per_request


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
        # At a line's start: a spread such as "72.50%" on the Req/Sec line also holds "50%".
        "p50": _duration_ms(re.search(r"^\s*50%\s+(\S+)", output, re.M).group(1)),  # type: ignore[union-attr]
        "p99": _duration_ms(re.search(r"^\s*99%\s+(\S+)", output, re.M).group(1)),  # type: ignore[union-attr]
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    found["non_2xx"] = float(non_2xx.group(1)) if non_2xx else 0.0
    return found


def _stored(url: str) -> int:
    nights = httpx.get(f"{url}/api/v1/nights", timeout=30).json()
    return sum(int(night["events"]) for night in nights)


@contextmanager
def _server(scenario: Scenario, *, workers: int, port: int) -> Iterator[str]:
    if scenario.baseline:

        def command(port: int) -> list[str]:
            return [sys.executable, "-m", "bench.ingest_baseline", "--port", str(port)]

        with serving(command, port=port) as server:
            yield server.url
        return
    redis = os.environ.get("SKYWATCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = {"SKYWATCH_REDIS_URL": redis} if workers > 1 else None
    with running_server(port=port, workers=workers, settings=settings) as url:
        yield url


def measure(scenario: Scenario, *, workers: int, seconds: int, port: int) -> Run:
    """Start a fresh server, load it with wrk, check what was stored."""
    with (
        tempfile.TemporaryDirectory() as scratch,
        _server(scenario, workers=workers, port=port) as url,
    ):
        script = Path(scratch) / "post.lua"
        script.write_text(scenario.lua())
        figures = _wrk(url, script, connections=scenario.connections, seconds=seconds)
        stored = None if scenario.baseline else _stored(url)
    return Run(
        label=scenario.label,
        workers=workers,
        connections=scenario.connections,
        events_per_request=scenario.events_per_request,
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
            f"| {run.non_2xx} | {run.requests * run.events_per_request:,} "
            f"| {'n/a' if run.stored is None else f'{run.stored:,}'} |"
        )
    return "\n".join(lines)


def _load_average() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _verdicts(runs: list[Run]) -> list[str]:
    """The issue's two targets, met or not, from the runs made (one worker)."""
    one = {run.label: run for run in runs if run.workers == 1}
    found = []
    batch = one.get("1,000-event batches")
    if batch is not None:
        met = batch.events_per_second >= BATCH_TARGET
        distinct = one.get("1,000 distinct events a batch")
        also = (
            f"; with 1,000 distinct events a batch {distinct.events_per_second:,.0f}/s"
            if distinct is not None
            else ""
        )
        found.append(
            f"- 1,000-event batches >= {BATCH_TARGET:,} events/s on one worker: "
            f"{batch.events_per_second:,.0f}/s{also}: **{'met' if met else 'not met'}**."
        )
    single, base = (
        one.get("single events"),
        one.get("single events, bare FastAPI (validation only)"),
    )
    if single is not None and base is not None:
        ratio = single.requests_per_second / base.requests_per_second
        met = ratio >= BASELINE_RATIO_TARGET
        found.append(
            f"- Single-event POSTs >= {BASELINE_RATIO_TARGET}x the bare FastAPI endpoint, same "
            f"run: {single.requests_per_second:,.0f} vs {base.requests_per_second:,.0f}/s, "
            f"{ratio:.2f}x: **{'met' if met else 'not met'}**."
        )
    return found


def main() -> int:
    """Run the scenarios and write the Ingest section of docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--only",
        default="single,baseline,batch,distinct",
        help="scenarios to run, comma-separated: single, baseline, batch, distinct",
    )
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument(
        "--no-write", action="store_true", help="print the section, leave docs/ alone"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    wanted = args.only.split(",")
    load = _load_average()
    runs = []
    for workers in (int(count) for count in args.workers.split(",")):
        for scenario in SCENARIOS:
            # The baseline has one worker by definition; the distinct batch checks one worker.
            one_worker_only = scenario.key in ("baseline", "distinct")
            if scenario.key not in wanted or (workers > 1 and one_worker_only):
                continue
            run = measure(scenario, workers=workers, seconds=args.seconds, port=args.port)
            print(
                f"{scenario.label}, {workers} worker(s): {run.requests_per_second:,.0f} "
                f"requests/s, {run.events_per_second:,.0f} events/s",
                flush=True,
            )
            runs.append(run)
    body = (
        "## Ingest (`bench/ingest.py`)\n\n"
        f"wrk POSTs to `/api/v1/events` for {args.seconds} s against a fresh server on SQLite "
        "(WAL, `synchronous=FULL`: every answer follows an fsync'd group commit). "
        "Acknowledged events are wrk's completed requests times events per request; stored "
        "events are counted afterwards through `GET /api/v1/nights` (requests still in flight "
        "when wrk stops may be stored without being counted as acknowledged). The batch of "
        "1,000 is one event repeated, the same body every time; the distinct batches are made "
        "by wrk's script for each request: time (a second apart, each batch after the last), "
        "region, weapon and count vary in every event, so nothing can be reused. The baseline "
        "(`bench/ingest_baseline.py`) is a bare FastAPI app whose endpoint takes one `EventIn` "
        "as its body parameter and answers 201 with a tiny body (uvicorn, httptools, uvloop, "
        "one worker): validation and HTTP only, no token, store or commit; it runs in the "
        "same session as the product, with the same wrk settings. "
        f"Targets: {SINGLE_TARGET:,} single-event POSTs/s with 32 connections, "
        f"{BATCH_TARGET:,} events/s in 1,000-event batches on one worker, single events at "
        f">= {BASELINE_RATIO_TARGET}x the baseline.\n\n"
        f"Product code: {revision()}. 1-minute load average before the runs: {load}.\n\n"
        + _table(runs)
        + "\n\n"
        + "\n".join(_verdicts(runs))
    )
    if args.no_write:
        print(body)
    else:
        write_section("ingest", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
