"""What one swarm process's connections received: every receipt time (`Swarm`), or, for
long runs, histograms and counters that keep memory flat (`SummarySwarm`).

Apart from the connections (fanout_connections.py) so that both connection kinds record
deliveries the same way, and apart from the process (fanout_clients.py) so that bench/soak.py
can read its bucket size without the client code.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson

SENT_AT = "sent_at="
BUCKETS_PER_MS = 10


@dataclass
class Seen:
    """What one connection has received so far."""

    ids: set[str] = field(default_factory=set)  # full mode only
    last_seq: int = 0  # summary mode only


class Swarm:
    """What all connections of this process received, and how they ended."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.connected = 0
        self.failed: Counter[str] = Counter()
        # Event id -> receive time on each connection that got it (first receipt only).
        self.times: defaultdict[str, list[float]] = defaultdict(list)
        self.duplicates = 0
        self.frames = 0
        self.deliveries = 0
        self.unexpected_first: Counter[str] = Counter()
        # Close codes of connections that ended before we asked them to.
        self.close_codes: Counter[str] = Counter()
        self.stopping = False
        self.settled = asyncio.Event()

    def attempt_done(self, error: BaseException | None) -> None:
        """One connection attempt finished, either way."""
        if error is None:
            self.connected += 1
        else:
            self.failed[type(error).__name__] += 1
        if self.connected + sum(self.failed.values()) == self.size:
            self.settled.set()

    def first(self, data: bytes) -> None:
        """Check the first message (the product's snapshot)."""
        kind = str(orjson.loads(data).get("type"))
        if kind != "snapshot":
            self.unexpected_first[kind] += 1

    def deliver(self, seen: Seen, data: bytes, received: float) -> None:
        """Record the events of one frame that reached one connection at `received`."""
        self.frames += 1
        frame = orjson.loads(data)
        if frame.get("type") != "events":
            return
        for record in frame["events"]:
            event_id = record["id"]
            if event_id in seen.ids:
                self.duplicates += 1
                continue
            seen.ids.add(event_id)
            self.deliveries += 1
            self.times[event_id].append(received)

    def closed_early(self, code: int) -> None:
        """A connection ended with `code` (1006: without a close frame)."""
        if not self.stopping:
            self.close_codes[str(code)] += 1

    def results(self) -> dict[str, Any]:
        """The JSON-able results the parent reads."""
        return {
            "connections": self.size,
            "connected": self.connected,
            "failed": dict(self.failed),
            "frames": self.frames,
            "duplicates": self.duplicates,
            "unexpected_first": dict(self.unexpected_first),
            "close_codes": dict(self.close_codes),
            "events": {
                event_id: {"times": times, "connections": len(times)}
                for event_id, times in self.times.items()
            },
        }


class SummarySwarm(Swarm):
    """A swarm that keeps histograms and counters instead of every receipt time."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        # (minute the event was sent, latency in 0.1 ms buckets) -> deliveries.
        self.histogram: Counter[tuple[int, int]] = Counter()
        self.out_of_order = 0

    def deliver(self, seen: Seen, data: bytes, received: float) -> None:
        """Count the events of one frame that reached one connection at `received`."""
        self.frames += 1
        frame = orjson.loads(data)
        if frame.get("type") != "events":
            return
        for record in frame["events"]:
            seq = int(record["seq"])
            if seq <= seen.last_seq:
                # The stream never repeats a seq on one connection, nor goes back.
                self.duplicates += 1
                continue
            seen.last_seq = seq
            self.deliveries += 1
            note = record.get("note") or ""
            if note.startswith(SENT_AT):
                sent = float(note[len(SENT_AT) :])
                bucket = max(0, round((received - sent) * 1000 * BUCKETS_PER_MS))
                self.histogram[(int(sent // 60), bucket)] += 1

    def results(self) -> dict[str, Any]:
        """Counters and the histogram as [minute, bucket, deliveries] rows."""
        result = super().results()
        result["events"] = {}
        result["deliveries"] = self.deliveries
        result["histogram"] = [[*key, count] for key, count in self.histogram.items()]
        return result
