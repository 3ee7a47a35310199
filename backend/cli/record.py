"""Client side of `skywatch record` and `skywatch replay`: the live stream to a file, and a
recorded file back into a server as if it were happening now."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import httpx
import orjson
from websockets.sync.client import connect

from backend.cli.load import LoadError, read_lines
from backend.cli.progress import ProgressBar
from backend.cli.retry import post_until_answered, say_retrying
from backend.domain.recording import Line


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
    """Write every event of the stream (backlog first) as JSON Lines; how many lines.

    The token goes in the handshake's Authorization header (never the query string, which
    access logs print); a server with view tokens set refuses the handshake without one.
    """
    written = 0
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
                written += 1
            output.flush()
    return written


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


def _due(lines: list[Line], *, speed: float, shift: timedelta) -> list[tuple[float, Line]]:
    """Each line with the wall-clock offset (seconds) at which to post it."""
    ordered = sorted(lines, key=lambda line: str(line.event["occurred_at"]))
    if not ordered:
        return []
    first = datetime.fromisoformat(str(ordered[0].event["occurred_at"]))
    timed = []
    for line in ordered:
        at = datetime.fromisoformat(str(line.event["occurred_at"]))
        event = dict(line.event)
        if shift:
            event["occurred_at"] = (at + shift).isoformat()
        timed.append(
            ((at - first).total_seconds() / speed, Line(line.number, event, line.retracted))
        )
    return timed


def replay_file(
    path: Path,
    *,
    url: str,
    token: str,
    speed: float,
    rebase_now: bool,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Post a recording in time order, `speed` times faster than it happened; events posted."""
    lines = read_lines(path)
    shift = timedelta()
    run_tag = ""
    if rebase_now and lines:
        first = min(datetime.fromisoformat(str(line.event["occurred_at"])) for line in lines)
        shift = datetime.now(UTC) - first
        # A rebased run is a new drill: its own ids, so it can run again without conflicts.
        run_tag = f"-r{int(time.time())}"
    timed = _due(lines, speed=speed, shift=shift)
    headers = bearer(token)
    started = time.monotonic()
    bar = ProgressBar(len(timed), f"replaying {path.name} at {speed:g}x")
    posted = 0
    with httpx.Client(base_url=url, timeout=30) as http:
        index = 0
        while index < len(timed):
            offset = timed[index][0]
            wait = offset - (time.monotonic() - started)
            if wait > 0:
                sleep(wait)
            batch = [line for due, line in timed[index:] if due <= offset]
            body = [
                {**line.event, "id": f"{line.event['id']}{run_tag}"}
                if run_tag and "id" in line.event
                else line.event
                for line in batch
            ]
            response = post_until_answered(
                http,
                "/api/v1/events",
                json=body,
                headers=headers,
                sleep=sleep,
                on_retry=say_retrying,
                reached_before=posted > 0,
            )
            if response.status_code not in (200, 201):
                raise LoadError(
                    f"{path}:{batch[0].number}: HTTP {response.status_code}: {response.text}"
                )
            index += len(batch)
            posted += len(batch)
            bar.advance(len(batch))
    bar.close()
    return posted
