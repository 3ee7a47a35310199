"""The guarded HTTP protocol (backend/server/http_protocol.py) against uvicorn's plain
httptools protocol, side by side in one run: single-event POSTs with wrk, rounds alternating so
that a machine busy with other work weighs on both alike.

Both servers are the same uvicorn command line (the app, its websocket protocol, no access
log) but for `--http`. Run with `python -m bench.http_protocols`; prints a table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import orjson

from bench.common import percentile
from bench.ingest import EVENT, _lua, _wrk
from bench.procstat import cpu_seconds
from bench.server import serving

PROTOCOLS = {
    "httptools (uvicorn's)": "httptools",
    "guarded httptools": "backend.server.http_protocol:GuardedHttpToolsProtocol",
}


def _command(http: str) -> object:
    def command(port: int) -> list[str]:
        return [
            *(sys.executable, "-m", "uvicorn", "backend.main:create_app", "--factory"),
            *("--host", "127.0.0.1", "--port", str(port), "--http", http),
            *("--ws", "backend.stream.ws_protocol:StreamWebSocketProtocol"),
            *("--no-access-log", "--log-level", "warning"),
        ]

    return command


def main() -> int:
    """Alternate the two protocols `--rounds` times; print requests/s and latency."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    results: dict[str, list[dict[str, float]]] = {label: [] for label in PROTOCOLS}
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "post.lua"
        script.write_text(_lua(orjson.dumps(EVENT)))
        for round_ in range(args.rounds):
            for label, http in PROTOCOLS.items():
                with serving(_command(http)) as server:  # type: ignore[arg-type]
                    before = cpu_seconds(server.pid)
                    figures = _wrk(
                        server.url, script, connections=args.connections, seconds=args.seconds
                    )
                    # CPU per request holds up on a busy machine better than requests/s do.
                    used = cpu_seconds(server.pid) - before
                    figures["cpu_us"] = used * 1e6 / max(figures["requests"], 1)
                results[label].append(figures)
                print(
                    f"round {round_ + 1} {label}: {figures['rps']:,.0f}/s "
                    f"p50 {figures['p50']:.1f} ms p99 {figures['p99']:.1f} ms "
                    f"non-2xx {figures['non_2xx']:.0f} "
                    f"server CPU {figures['cpu_us']:.0f} us/request",
                    flush=True,
                )
    print(
        "| protocol | rounds | requests/s (each round) | median | p99 (median) "
        "| server CPU per request (median) |"
    )
    print("|---|---|---|---|---|---|")
    for label, runs in results.items():
        rates = [run["rps"] for run in runs]
        each = ", ".join(f"{rate:,.0f}" for rate in rates)
        p99 = percentile([run["p99"] for run in runs], 0.5)
        print(f"| {label} | {len(runs)} | {each} | {percentile(rates, 0.5):,.0f} | {p99:.1f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
