"""Client side of `skywatch replay`: a recording posted back into a server as if it were
happening now, `speed` times faster (not to be confused with replay sessions, which only
move a clock over what is stored)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from backend.cli.load import LoadError, read_lines
from backend.cli.progress import ProgressBar
from backend.cli.record import bearer
from backend.cli.retry import post_until_answered, say_retrying
from backend.domain.recording import Line


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


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s" if minutes else f"{rest}s"


def repost_file(
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
    posted = 0
    index = 0

    def detail() -> str:
        # Where the recording is (its time of the next event), and the wall time still to go.
        position = timed[min(index, len(timed) - 1)][1].event["occurred_at"]
        left = max(timed[-1][0] - (time.monotonic() - started), 0.0)
        return f"at {position}, {posted} events posted, {_duration(left)} left"

    bar = ProgressBar(len(timed), f"replaying {path.name} at {speed:g}x", detail=detail)
    with httpx.Client(base_url=url, timeout=30) as http:
        while index < len(timed):
            offset = timed[index][0]
            wait = offset - (time.monotonic() - started)
            while wait > 0:
                # In slices, so that a quiet hour of the recording still shows its progress.
                step = min(wait, 1.0)
                sleep(step)
                wait -= step
                bar.refresh()
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
