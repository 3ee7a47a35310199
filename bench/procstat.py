"""Memory and CPU time of a process, and the machine's busy time, read from /proc.

The fan-out and soak benchmarks charge the server and the client swarm separately, by PID;
/proc gives exactly the kernel's accounting, with nothing to install. Linux only, as the
benchmarks are.
"""

from __future__ import annotations

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    """Resident memory of process `pid` (VmRSS), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user plus system) process `pid` has used so far."""
    # Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime, stime.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has been busy since boot, every process together:
    less the benchmark's own processes, what other jobs took from it."""
    # First line of /proc/stat: the whole machine's jiffies; idle and iowait are not busy.
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / CLOCK_TICKS
