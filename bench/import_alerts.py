"""`skywatch import-alerts` figures: the conversion's rows per second, and the whole import.

    .venv/bin/python -m bench.import_alerts [--runs 5] [--url URL --token TOKEN]

The conversion (reading the CSV, parsing and checking every row, the events with their ids)
is timed in process over both shipped files, best of --runs. With --url, both files are then
posted to that server (`skywatch import-alerts` as an operator runs it: the command, its
batches, the server's ingest), and posted again (every event a duplicate), each timed once.
The figures go into docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from backend.cli.import_alerts import events_of
from backend.domain.alert_history import convert

DATA = Path(__file__).parents[1] / "seeds" / "data"
FILES = (
    DATA / "air_raid_sirens_official_2022-03-15_2024-04-23.csv",
    DATA / "air_raid_sirens_merged_2024-04-23_2026-06-20.csv",
)
SKYWATCH = Path(sys.executable).with_name("skywatch")


def conversion(path: Path) -> tuple[int, int, float]:
    """(rows, events, seconds) of one conversion of the file."""
    began = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as stream:
        converted = convert(stream)
    events = events_of(converted)
    return converted.rows, len(events), time.perf_counter() - began


def post(path: Path, url: str, token: str) -> float:
    """Seconds `skywatch import-alerts` takes to post the file."""
    began = time.perf_counter()
    command = [str(SKYWATCH), "import-alerts", str(path), "--url", url, "--token", token]
    subprocess.run(command, check=True, stdout=sys.stderr)
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", default=None, help="a running server to import into")
    parser.add_argument("--token", default=None)
    args = parser.parse_args(argv)
    for path in FILES:
        best = min((conversion(path) for _ in range(args.runs)), key=lambda run: run[2])
        rows, events, seconds = best
        print(
            f"conversion {path.name}: {rows} rows, {events} events in {seconds:.2f} s: "
            f"{rows / seconds:,.0f} rows/s"
        )
    if args.url:
        for label in ("first import", "again (all duplicates)"):
            for path in FILES:
                seconds = post(path, args.url, args.token)
                print(f"{label} {path.name}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
