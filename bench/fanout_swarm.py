"""The client swarm seen from the benchmark: start its processes, talk to them, stop them.

The clients run in processes of their own (bench/fanout_clients.py) so that reading a
thousand sockets does not compete with the sender's event loop; this is the parent's side of
the line protocol described there. Used by bench/fanout.py and bench/soak.py.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.fanout_run import Run
from bench.procstat import cpu_seconds

READY_TIMEOUT = 180.0


@dataclass
class Swarm:
    """The client processes of one run."""

    processes: list[asyncio.subprocess.Process]
    outputs: list[Path]


async def start_swarm(ws_url: str, run: Run, scratch: Path, extra: tuple[str, ...] = ()) -> Swarm:
    """Start run.processes client processes sharing run.clients connections to `ws_url`."""
    swarm = Swarm(processes=[], outputs=[])
    shares = [run.clients // run.processes] * run.processes
    for index in range(run.clients % run.processes):
        shares[index] += 1
    for index, share in enumerate(shares):
        output = scratch / f"swarm-{index}.json"
        command = [sys.executable, "-m", "bench.fanout_clients", "--url", ws_url]
        command += ["--connections", str(share), "--out", str(output)]
        if run.target.product:
            command.append("--wait-first")
        if run.target.deflate:
            command.append("--deflate")
        command += ["--client", run.client, *extra]
        process = await asyncio.create_subprocess_exec(
            *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        swarm.processes.append(process)
        swarm.outputs.append(output)
    return swarm


async def _line(process: asyncio.subprocess.Process, within: float) -> str:
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), within)
    if not line:
        raise RuntimeError(f"client process {process.pid} exited early ({await process.wait()})")
    return line.decode().strip()


async def wait_ready(swarm: Swarm, run: Run) -> None:
    """Wait for every process's `ready` line; add up the connections that opened."""
    for process in swarm.processes:
        _word, connected, _failed = (await _line(process, READY_TIMEOUT)).split()
        run.connected += int(connected)


async def _deliveries(swarm: Swarm) -> int:
    for process in swarm.processes:
        assert process.stdin is not None
        process.stdin.write(b"count\n")
        await process.stdin.drain()
    total = 0
    for process in swarm.processes:
        _word, count = (await _line(process, 60)).split()
        total += int(count)
    return total


async def drain(swarm: Swarm, run: Run, *, quiet: float, limit: float) -> None:
    """Wait until every delivery arrived, or none arrived for `quiet` s, or `limit` s passed."""
    started = progressed = time.monotonic()
    delivered = -1
    while True:
        now_delivered = await _deliveries(swarm)
        if now_delivered >= run.sent * run.clients:
            break
        if now_delivered > delivered:
            delivered, progressed = now_delivered, time.monotonic()
        elif time.monotonic() - progressed > quiet:
            break
        if time.monotonic() - started >= limit:
            run.drain_cut = True
            break
        await asyncio.sleep(0.5)
    run.drain_seconds = time.monotonic() - started


async def stop_swarm(swarm: Swarm) -> list[dict[str, Any]]:
    """Have every process close its connections; their results, as written to --out."""
    for process in swarm.processes:
        assert process.stdin is not None
        process.stdin.write(b"stop\n")
        await process.stdin.drain()
    for process in swarm.processes:
        await _line(process, 120)
        await process.wait()
    return [orjson.loads(output.read_bytes()) for output in swarm.outputs]


async def kill_swarm(swarm: Swarm) -> None:
    """Kill whatever client process still runs."""
    # After an error (or Ctrl-C) midway: no client process may outlive the benchmark.
    for process in swarm.processes:
        if process.returncode is None:
            process.kill()
            await process.wait()


def swarm_cpu_seconds(swarm: Swarm) -> float:
    """CPU seconds the swarm's processes have used so far."""
    return sum(cpu_seconds(process.pid) for process in swarm.processes)
