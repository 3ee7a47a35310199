"""Client side of `skywatch record`: the live stream (backlog first) to a JSON Lines file."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, TextIO

import orjson
from websockets.sync.client import connect


def _stream_url(url: str, *, night: str | None) -> str:
    base = url.replace("https://", "wss://", 1).replace("http://", "ws://", 1).rstrip("/")
    query = "since=0" + (f"&night={night}" if night else "")
    return f"{base}/api/v1/stream?{query}"


def bearer(token: str | None) -> dict[str, str]:
    """The Authorization header for a token (none without one)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def record(
    url: str,
    output: TextIO,
    *,
    night: str | None,
    duration: float | None,
    token: str | None = None,
) -> int:
    """Write every event of the stream (backlog first) as JSON Lines; how many events.

    An event retracted while recording is written twice (then marked), and counted once.

    The token goes in the handshake's Authorization header (never the query string, which
    access logs print); a server with view tokens set refuses the handshake without one.
    """
    known: dict[str, dict[str, Any]] = {}
    deadline = None if duration is None else time.monotonic() + duration
    stream_url = _stream_url(url, night=night)
    with connect(stream_url, max_size=None, additional_headers=bearer(token)) as socket:
        while deadline is None or time.monotonic() < deadline:
            wait = None if deadline is None else max(deadline - time.monotonic(), 0.01)
            try:
                message = orjson.loads(socket.recv(timeout=wait))
            except TimeoutError:
                break
            for line in _lines(message, known):
                output.write(orjson.dumps(line).decode() + "\n")
            output.flush()
    return len(known)


def _lines(message: dict[str, Any], known: dict[str, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    if message.get("type") == "events":
        for record in message["events"]:
            known[record["id"]] = record
            yield record
    elif message.get("type") == "retracted":
        # The record again, now marked: `skywatch load` posts it (a duplicate) and retracts it.
        for event_id in message["ids"]:
            if event_id in known:
                yield {**known[event_id], "retracted": True}
