"""A 2xx means committed: acknowledged events survive a SIGKILL of the server."""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field

import httpx

from tests.system.conftest import AUTH, ServerProcess

THREADS = 8
POSTS_PER_THREAD = 50
KILL_AFTER_ACKS = 150
CYCLES = 3
NIGHT = "2025-07-04"


@dataclass
class Round:
    """What one round of concurrent posting saw."""

    acknowledged: set[str] = field(default_factory=set)
    unexpected: list[str] = field(default_factory=list)
    killed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def launch(event_id: str) -> dict[str, object]:
    """One drone launch of count 1 in NIGHT."""
    return {
        "id": event_id,
        "kind": "launch",
        "weapon": "drone",
        "occurred_at": "2025-07-03T23:00:00+03:00",
    }


def post_until_killed(server: ServerProcess, cycle: int) -> Round:
    """POST single events from THREADS threads; SIGKILL the server after KILL_AFTER_ACKS 2xx."""
    seen = Round()

    def worker(thread: int) -> None:
        with httpx.Client(base_url=server.url, headers=AUTH, timeout=10.0) as client:
            for number in range(POSTS_PER_THREAD):
                event_id = f"c{cycle}-t{thread}-n{number}"
                try:
                    response = client.post("/api/v1/events", json=launch(event_id))
                except httpx.TransportError:
                    continue  # killed mid-request or refused after the kill: not acknowledged
                with seen.lock:
                    if response.status_code not in (200, 201):
                        seen.unexpected.append(
                            f"{event_id}: {response.status_code} {response.text}"
                        )
                        continue
                    seen.acknowledged.add(event_id)
                    if len(seen.acknowledged) >= KILL_AFTER_ACKS and not seen.killed:
                        # Killed from the thread that saw the ack, so the kill lands while
                        # the other threads still have requests in flight.
                        seen.killed = True
                        server.kill()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return seen


def stored_ids(server: ServerProcess) -> list[str]:
    """The id of every stored event, from the JSON Lines recording (no page limit)."""
    with server.client() as client:
        response = client.get("/api/v1/events", params={"format": "jsonl"})
    assert response.status_code == 200, response.text
    return [json.loads(line)["id"] for line in response.text.splitlines() if line.strip()]


def launched_total(server: ServerProcess) -> int:
    """Sum of launches over every weapon in NIGHT, per /stats."""
    with server.client() as client:
        response = client.get("/api/v1/stats", params={"night": NIGHT})
    assert response.status_code == 200, response.text
    return sum(response.json()["launched"].values())


def test_acknowledged_events_survive_sigkill(server: ServerProcess) -> None:
    acknowledged: set[str] = set()
    for cycle in range(CYCLES):
        seen = post_until_killed(server, cycle)
        assert seen.unexpected == []
        assert seen.killed, "the server was never killed"
        # The kill must have cut the round short, or it tested nothing.
        assert KILL_AFTER_ACKS <= len(seen.acknowledged) < THREADS * POSTS_PER_THREAD
        acknowledged |= seen.acknowledged

        server.start()  # same data dir and database
        counts = Counter(stored_ids(server))
        missing = sorted(acknowledged - counts.keys())
        assert missing == [], f"cycle {cycle}: {len(missing)} acknowledged events lost"
        assert [key for key, times in counts.items() if times != 1] == []
        # Events whose answer was lost in the kill may be stored too, but only whole.
        assert launched_total(server) == sum(counts.values())
