"""A 2xx means committed: acknowledged events survive a SIGKILL of the server.

Each cycle, THREADS clients POST single events concurrently to a real server process, which
is SIGKILLed mid-stream; after the restart every acknowledged event must be stored exactly
once, and nothing that was never sent may appear. A request whose answer the kill cut off
may or may not have been committed: the client retries it with the same id (the idempotency
key), which must answer 200 "duplicate" exactly when the event had been stored and 201 when
not. After that every sent event is acknowledged, and the tallies must equal the sum of the
acknowledged events' counts. Run on SQLite and on PostgreSQL (the `server` fixture).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field

import httpx

from tests.helpers.outage_checks import launch
from tests.helpers.server_process import AUTH, ServerProcess

THREADS = 8
POSTS_PER_THREAD = 50
KILL_AFTER_ACKS = 150
CYCLES = 3
NIGHT = "2025-07-04"


@dataclass
class Round:
    """What one round of concurrent posting saw."""

    acknowledged: dict[str, int] = field(default_factory=dict)  # id -> count
    unanswered: dict[str, int] = field(default_factory=dict)  # the kill cut these off
    unexpected: list[str] = field(default_factory=list)
    killed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def post_until_killed(server: ServerProcess, cycle: int) -> Round:
    """POST single events from THREADS threads; SIGKILL the server after KILL_AFTER_ACKS 2xx."""
    seen = Round()

    def worker(thread: int) -> None:
        with httpx.Client(base_url=server.url, headers=AUTH, timeout=10.0) as client:
            for number in range(POSTS_PER_THREAD):
                event_id = f"c{cycle}-t{thread}-n{number}"
                # Counts vary, so a tally off by one event cannot pass as right.
                count = 1 + (thread + number) % 4
                try:
                    response = client.post("/api/v1/events", json=launch(event_id, count))
                except httpx.TransportError:
                    # Killed mid-request, or refused after the kill: not acknowledged.
                    with seen.lock:
                        seen.unanswered[event_id] = count
                    continue
                with seen.lock:
                    if response.status_code != 201:
                        seen.unexpected.append(
                            f"{event_id}: {response.status_code} {response.text}"
                        )
                        continue
                    seen.acknowledged[event_id] = count
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


def stored_ids(server: ServerProcess) -> Counter[str]:
    """How many times each id is stored, from the JSON Lines recording (no page limit)."""
    with server.client() as client:
        response = client.get("/api/v1/events", params={"format": "jsonl"})
    assert response.status_code == 200, response.text
    return Counter(json.loads(line)["id"] for line in response.text.splitlines() if line.strip())


def launched_total(server: ServerProcess) -> int:
    """Sum of launches over every weapon in NIGHT, per /stats."""
    with server.client() as client:
        response = client.get("/api/v1/stats", params={"night": NIGHT})
    assert response.status_code == 200, response.text
    return int(sum(response.json()["launched"].values()))


def retry_unanswered(server: ServerProcess, unanswered: dict[str, int], stored: set[str]) -> None:
    """POST each cut-off event again: a duplicate iff the kill came after its commit."""
    with server.client(**AUTH) as client:
        for event_id, count in unanswered.items():
            response = client.post("/api/v1/events", json=launch(event_id, count))
            if event_id in stored:
                assert response.status_code == 200, response.text
                assert response.json()["duplicates"] == 1
            else:
                assert response.status_code == 201, response.text
                assert response.json()["accepted"] == 1


def test_acknowledged_events_survive_sigkill(server: ServerProcess) -> None:
    acknowledged: dict[str, int] = {}
    for cycle in range(CYCLES):
        seen = post_until_killed(server, cycle)
        assert seen.unexpected == []
        assert seen.killed, "the server was never killed"
        # The kill must have cut the round short, or it tested nothing.
        assert KILL_AFTER_ACKS <= len(seen.acknowledged) < THREADS * POSTS_PER_THREAD
        assert seen.unanswered, "no request was cut off by the kill"
        acknowledged |= seen.acknowledged

        server.start()  # same data dir and database
        counts = stored_ids(server)
        missing = sorted(acknowledged.keys() - counts.keys())
        assert missing == [], f"cycle {cycle}: {len(missing)} acknowledged events lost"
        assert [key for key, times in counts.items() if times != 1] == []
        # Besides the acknowledged, only events whose answer the kill cut off may be stored.
        assert counts.keys() - acknowledged.keys() <= seen.unanswered.keys()

        retry_unanswered(server, seen.unanswered, set(counts))
        acknowledged |= seen.unanswered
        assert stored_ids(server) == Counter(acknowledged.keys())
        assert launched_total(server) == sum(acknowledged.values())
