"""One fan-out run: the server measured (`Target`) and the figures it produced (`Run`).

Shared by the steps of bench/fanout.py (sending, the swarm, measuring, the report) and by
bench/soak.py, which measures the same product with the same sender and swarm.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from bench.common import NIGHT, percentile
from tests.helpers.server_process import Command

STREAM_PATH = f"/api/v1/stream?night={NIGHT}"


@dataclass(frozen=True)
class Target:
    """One server to measure."""

    label: str
    slug: str  # event id prefix
    product: bool
    deflate: bool = False

    @property
    def command(self) -> Command | None:
        """port -> the command line that starts this server; None for `skywatch serve`."""
        if not self.product:
            return self._baseline
        return self._deflate if self.deflate else None

    @staticmethod
    def _baseline(port: int) -> list[str]:
        return [sys.executable, "-m", "bench.fanout_baseline", "--port", str(port)]

    @staticmethod
    def _deflate(port: int) -> list[str]:
        # `skywatch serve` has no switch for deflate: same uvicorn settings, deflate on.
        return [
            *(sys.executable, "-m", "uvicorn", "backend.main:create_app", "--factory"),
            *("--port", str(port), "--ws", "backend.stream.ws_protocol:StreamWebSocketProtocol"),
            *("--ws-ping-interval", "20", "--ws-ping-timeout", "20", "--no-proxy-headers"),
            *("--ws-per-message-deflate", "true", "--no-access-log"),
        ]

    @property
    def ws_path(self) -> str:
        """Where the clients subscribe."""
        return STREAM_PATH if self.product else "/stream"


@dataclass
class Run:
    """The figures of one target."""

    target: Target
    clients: int
    processes: int
    client: str
    rate: int
    seconds: int
    sent: int = 0
    failed_sends: dict[str, int] = field(default_factory=dict)
    send_seconds: float = 0.0
    drain_seconds: float = 0.0
    drain_cut: bool = False  # deliveries were still arriving when the drain limit struck
    connected: int = 0
    failed_connects: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    expected: int = 0
    received: int = 0
    duplicates: int = 0
    strays: int = 0
    frames: int = 0
    close_codes: dict[str, int] = field(default_factory=dict)
    rss_empty_kib: int = 0
    rss_idle_kib: int = 0
    server_cpu_percent: float = 0.0
    swarm_cpu_percent: float = 0.0
    server_cpu_seconds: float = 0.0
    swarm_cpu_seconds: float = 0.0
    sender_cpu_percent: float = 0.0
    others_cpu_percent: float = 0.0
    machine_cpu_percent: float = 0.0
    acks_ms: list[float] = field(default_factory=list)
    server_warnings: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        """(event, client) deliveries that never arrived."""
        return self.expected - self.received

    @property
    def rss_per_connection_kib(self) -> float:
        """Server memory added per idle connection."""
        return (self.rss_idle_kib - self.rss_empty_kib) / max(self.connected, 1)

    @property
    def server_us_per_frame(self) -> float:
        """Server CPU time per frame delivered to one client: the per-send cost.

        CPU time, unlike latency, hardly depends on what else the machine runs meanwhile.
        """
        return 1e6 * self.server_cpu_seconds / max(self.frames, 1)

    @property
    def swarm_us_per_frame(self) -> float:
        """Client swarm CPU time per frame received (the load generator's own cost)."""
        return 1e6 * self.swarm_cpu_seconds / max(self.frames, 1)

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile of the delivery latencies (bench.common.percentile)."""
        return percentile(self.latencies_ms, share)
