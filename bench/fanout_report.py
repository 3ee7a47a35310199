"""The fan-out section of docs/performance.md, and the figures' wording on the console.

Kept apart from the measuring so that the wording (and the targets it is judged by) can be
read, and changed, in one place; bench/soak.py words its figures the same way.
"""

from __future__ import annotations

import argparse
import os

from bench.common import percentile, verdict
from bench.fanout_run import STREAM_PATH, Run
from bench.fanout_send import SENDER_CONNECTIONS
from bench.report import revision

P99_TARGET_MS = 50.0
RATIO_TARGET = 1.5
RSS_TARGET_KIB = 100.0
CORES = os.cpu_count() or 1


def _ms(value: float) -> str:
    """A latency for the table and the console."""
    return f"{value:.1f} ms"


def format_codes(run: Run) -> str:
    """The early close codes and their counts ("none")."""
    if not run.close_codes:
        return "none"
    return ", ".join(f"{code} x{count}" for code, count in sorted(run.close_codes.items()))


def _cpu(run: Run) -> str:
    """CPU shares server / clients / sender / rest, in percent of one core."""
    shares = (run.server_cpu_percent, run.swarm_cpu_percent, run.sender_cpu_percent)
    return " / ".join(f"{share:.0f}%" for share in (*shares, run.others_cpu_percent))


def _table(runs: list[Run]) -> str:
    lines = [
        "| server | clients | events/s | seconds | p50 | p99 | max | lost | duplicates "
        "| frames per client | early closes | CPU server / clients / sender / rest "
        "| RSS per idle connection |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run.target.label} | {run.connected:,} of {run.clients:,} "
            f"| {run.sent / run.send_seconds:,.0f} | {run.seconds} "
            f"| {_ms(run.percentile(0.5))} | {_ms(run.percentile(0.99))} "
            f"| {_ms(run.percentile(1.0))} | {run.lost:,} | {run.duplicates:,} "
            f"| {run.frames / max(run.connected, 1):,.0f} | {format_codes(run)} | {_cpu(run)} "
            f"| {run.rss_per_connection_kib:.1f} KiB |"
        )
    return "\n".join(lines)


def _saturated(run: Run) -> bool:
    # Within 10% of every core busy: latencies then measure the queue for the CPU.
    return run.machine_cpu_percent >= 0.9 * 100 * CORES


def _targets(runs: list[Run]) -> list[str]:
    product, baseline = runs[0], runs[1]
    p99, base_p99 = product.percentile(0.99), baseline.percentile(0.99)
    ratio = p99 / base_p99
    rss = product.rss_per_connection_kib
    lines = [
        f"- p99 <= {P99_TARGET_MS:.0f} ms: product p99 {_ms(p99)}: "
        f"{verdict(p99 <= P99_TARGET_MS)}.",
        f"- product p99 <= {RATIO_TARGET}x baseline p99: {ratio:.2f}x ({_ms(p99)} vs "
        f"{_ms(base_p99)}): {verdict(ratio <= RATIO_TARGET)}"
        + (", but see the caveat below." if _saturated(baseline) else "."),
        f"- <= {RSS_TARGET_KIB:.0f} KiB per idle connection: product {rss:.1f} KiB (VmRSS "
        f"{product.rss_empty_kib:,} KiB after one warm-up connection, "
        f"{product.rss_idle_kib:,} KiB with {product.connected:,} idle clients): "
        f"{verdict(rss <= RSS_TARGET_KIB)}.",
        f"- 0 lost: product {product.lost:,} lost, {product.duplicates:,} duplicates, early "
        f"closes {format_codes(product)}: {verdict(product.lost == 0)}.",
    ]
    if len(runs) > 2 and runs[2].target.deflate:
        deflate = runs[2]
        lines.append(
            f"- Per-message deflate (not a target, the reason it is off): p99 "
            f"{_ms(deflate.percentile(0.99))} with it vs {_ms(p99)} without, "
            f"{deflate.rss_per_connection_kib:.1f} vs {rss:.1f} KiB per idle connection."
        )
    if _saturated(baseline):
        lines.append(
            f"- Caveat: the baseline run kept the machine's {CORES} cores "
            f"{baseline.machine_cpu_percent / CORES:.0f}% busy (server, clients and other "
            "processes together), so its latencies are mostly queueing for the CPU and the "
            "ratio above compares two overloaded runs rather than two fan-out designs."
        )
    return lines


def _details(run: Run) -> str:
    extra = []
    if run.target.product:
        extra.append(
            f"POSTs answered (201) at p50 {_ms(percentile(run.acks_ms, 0.5))}, "
            f"p99 {_ms(percentile(run.acks_ms, 0.99))}"
        )
    extra.append(
        f"CPU per delivered frame: server {run.server_us_per_frame:.1f} us, clients "
        f"{run.swarm_us_per_frame:.1f} us"
    )
    if run.failed_sends:
        extra.append(f"failed sends {run.failed_sends}")
    if run.failed_connects:
        extra.append(f"failed connects {run.failed_connects}")
    if run.strays:
        extra.append(f"{run.strays:,} deliveries of ids never sent")
    if run.server_warnings:
        extra.append(f"{len(run.server_warnings)} WARNING/ERROR lines in the server log")
    if run.drain_cut:
        extra.append(
            f"deliveries were still arriving when the {run.drain_seconds:.0f} s drain limit "
            f"ended the run, so most of its {run.lost:,} lost were late rather than dropped"
        )
    if _saturated(run):
        extra.append(f"machine CPU-saturated ({run.machine_cpu_percent / CORES:.0f}% busy)")
    return (
        f"- {run.target.label}: {run.sent:,} events sent in {run.send_seconds:.1f} s, then "
        f"{run.drain_seconds:.1f} s of draining; {run.received:,} of {run.expected:,} "
        f"deliveries" + "".join(f"; {item}" for item in extra) + "."
    )


def section(runs: list[Run], args: argparse.Namespace) -> str:
    """The fan-out section of docs/performance.md: method, table, targets, details."""
    batching = (
        f"one frame per {args.baseline_batch_ms:g} ms carrying the events sent meanwhile"
        if args.baseline_batch_ms
        else "one frame per event"
    )
    client, client_note = "asyncio client", ""
    if args.client == "sansio":
        client = "Sans-I/O protocol driven from the socket callback"
        client_note = (
            ": its asyncio client, with a task switch and a queue per message, could not "
            "read this many frames per second on this machine and measured its own backlog"
        )
    method = (
        f"{args.clients:,} websocket clients subscribe, spread over {args.processes} client "
        f"processes (`bench/fanout_clients.py`, uvloop, the `websockets` library's {client})"
        f"{client_note}. "
        "The product's clients subscribe to "
        f"`{STREAM_PATH}` and count as connected once their snapshot arrived. Then {args.rate} "
        f"events/s are sent for {args.seconds} s (open loop: a slow answer does not delay the "
        "next event), each carrying its send time; the clients then get until every delivery "
        f"arrived, or {args.drain:g} s without a new one, or {args.drain_limit:g} s in all. "
        "Latency is receipt time on a client minus send time, over every delivered (event, "
        "client) pair; lost is events x clients minus deliveries. On the product each event "
        "is its own `POST /api/v1/events`, answered after the fsync'd group commit, so the "
        "latency includes HTTP, the commit and the hub's read of the change feed, and events "
        "that commit close together share a frame (see frames per client). The POSTs go out "
        f"over {SENDER_CONNECTIONS} keep-alive connections in plain HTTP/1.1 (httpx took "
        "about ten times the CPU per request here, taken from the server); an event waiting "
        "for a free connection is timed from its scheduled send time. The baseline "
        "(`bench/fanout_baseline.py`) is the `websockets` library alone, on the same loop "
        "(uvloop) and settings as the product (no per-message deflate, pings every 20 s): a "
        f"publisher websocket sends {batching} and `broadcast()` copies it to every client; "
        "no HTTP, no database. The deflate row runs the product under uvicorn directly "
        "(`python -m uvicorn backend.main:create_app --factory --ws websockets-sansio "
        "--ws-per-message-deflate true`, otherwise the settings of `skywatch serve`), its "
        "clients offering permessage-deflate. RSS per idle connection is the server's VmRSS "
        "with every client connected and idle minus its VmRSS after one warm-up connection, "
        "divided by the clients. Server, sender and clients share the machine, so CPU is "
        "given as percent of one core over sending plus draining, for the server, the client "
        "processes, the sender (the benchmark process) and the rest of the machine's busy "
        "time (other jobs, and kernel work charged to no process, such as part of the "
        "loopback traffic), all competing for the same cores. Early closes are close codes "
        "received before the benchmark closed the connections itself (4008: too slow; 1006: "
        "no close frame)."
    )
    return (
        "## Live stream fan-out (`bench/fanout.py`)\n\n"
        + method
        + f"\n\nProduct code: {revision()}.\n\n"
        + _table(runs)
        + "\n\nTargets:\n\n"
        + "\n".join(_targets(runs))
        + "\n\nDetails:\n\n"
        + "\n".join(_details(run) for run in runs)
    )


def summary_line(run: Run) -> str:
    """One target's figures on one console line, printed as soon as the target is done."""
    return (
        f"{run.target.label}: p50 {_ms(run.percentile(0.5))}, p99 {_ms(run.percentile(0.99))}, "
        f"max {_ms(run.percentile(1.0))}, lost {run.lost:,}, duplicates {run.duplicates}, "
        f"early closes {format_codes(run)}, {run.rss_per_connection_kib:.1f} KiB/connection, "
        f"CPU server/clients/sender/rest {_cpu(run)}; frames/client "
        f"{run.frames / max(run.connected, 1):.0f}; CPU per frame server "
        f"{run.server_us_per_frame:.1f} us, clients {run.swarm_us_per_frame:.1f} us; POST p50 "
        f"{_ms(percentile(run.acks_ms, 0.5))} p99 {_ms(percentile(run.acks_ms, 0.99))}; "
        f"sent {run.sent} in {run.send_seconds:.1f} s, drained {run.drain_seconds:.1f} s"
    )
