"""Live-stream fan-out benchmark: event latency to 1,000 websocket clients, product vs baseline.

Run with `python -m bench.fanout [--clients 1000] [--rate 100] [--seconds 30]`. For the product
(`skywatch serve`, and optionally uvicorn with per-message deflate on) and for a minimal
`websockets` broadcast server (`bench/fanout_baseline.py`) in turn: start the server, connect
a swarm of clients (`bench/fanout_clients.py`, several processes), send events at a fixed
rate, then compute send-to-receipt latency over every (event, client) pair, lost and
duplicated deliveries, and the server's resident memory per idle connection.
"""

from __future__ import annotations

import argparse
import signal
import sys

from bench.common import interrupt, raise_open_files_limit
from bench.fanout_measure import measure
from bench.fanout_report import section, summary_line
from bench.fanout_run import Target
from bench.report import machine, write_section


def _baseline_label(batch_ms: float) -> str:
    if batch_ms:
        return f"websockets baseline, {batch_ms:g} ms batches"
    return "websockets baseline"


def main() -> int:
    """Measure the product and the baseline, and write the fan-out section."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=100, help="events per second")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--processes", type=int, default=4, help="client swarm processes")
    parser.add_argument(
        "--client", choices=("sansio", "asyncio"), default="sansio", help="swarm connections"
    )
    parser.add_argument(
        "--drain", type=float, default=5.0, help="stop waiting after this long without news"
    )
    parser.add_argument(
        "--drain-limit", type=float, default=15.0, help="wait at most this long after sending"
    )
    parser.add_argument("--port", type=int, default=0, help="first port; 0: any free ones")
    parser.add_argument(
        "--baseline-batch-ms",
        type=float,
        default=0.0,
        help="baseline: events share a frame per this many ms (0: a frame per event)",
    )
    parser.add_argument("--no-deflate", action="store_true", help="skip the deflate row")
    parser.add_argument("--print-only", action="store_true", help="do not write the docs")
    parser.add_argument(
        "--only",
        action="append",
        choices=("product", "baseline", "deflate"),
        help="measure only these (repeatable); prints the figures, writes no docs",
    )
    args = parser.parse_args()
    # 1,000 sockets plus the swarm's pipes; children (server, swarm) inherit the raised limit.
    raise_open_files_limit()
    # SIGTERM unwinds like Ctrl-C, so the finally blocks stop the server and the swarm.
    signal.signal(signal.SIGTERM, interrupt)
    targets = [
        Target("skywatch serve", "product", product=True),
        Target(_baseline_label(args.baseline_batch_ms), "baseline", product=False),
    ]
    if not args.no_deflate:
        targets.append(Target("skywatch, deflate on", "deflate", product=True, deflate=True))
    if args.only:
        targets = [target for target in targets if target.slug in args.only]
    runs = []
    for offset, target in enumerate(targets):
        run = measure(target, port=args.port + offset if args.port else 0, args=args)
        print(summary_line(run), flush=True)
        runs.append(run)
    if args.only:
        return 0
    body = section(runs, args)
    if args.print_only:
        print(body)
    else:
        write_section("fanout", body)
    print(f"measured on {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
