"""Client side of `skywatch load`: post a JSON Lines recording to a server in batches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson

from backend.cli.progress import ProgressBar
from backend.cli.retry import post_until_answered, say_retrying
from backend.domain.recording import Line, RecordingError, read_recording


class LoadError(Exception):
    """The file or the server refused the load; the message says where."""


def read_lines(path: Path) -> list[Line]:
    """The recording's events; LoadError names the first bad line, or the unreadable file."""
    try:
        return read_recording(path)
    except RecordingError as error:
        raise LoadError(str(error)) from None
    except OSError as error:
        # The file, not the server: say which one and why ("No such file or directory").
        raise LoadError(f"{path}: {error.strerror or error}") from None


@dataclass(slots=True)
class LoadReport:
    """What a load did."""

    accepted: int = 0
    duplicates: int = 0
    retracted: int = 0
    lines: int = 0
    errors: list[str] = field(default_factory=list)


def _batches(lines: list[Line], size: int) -> Iterator[list[Line]]:
    for start in range(0, len(lines), size):
        yield lines[start : start + size]


def _describe(response: httpx.Response, batch: list[Line], path: Path) -> str:
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = response.text
    if isinstance(detail, list):
        parts = []
        for item in detail:
            index = item.get("index")
            where = f"{path}:{batch[index].number}" if isinstance(index, int) else str(path)
            parts.append(f"{where}: {item.get('msg')}")
        return "\n".join(parts)
    return f"{path}: HTTP {response.status_code}: {detail}"


def load_file(
    path: Path, *, url: str, token: str, batch_size: int = 1000, client: httpx.Client | None = None
) -> LoadReport:
    """Post every event of the file; batches are atomic, so a refused batch stores nothing."""
    lines = read_lines(path)
    report = LoadReport(lines=len(lines))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    own_client = client is None
    http = client or httpx.Client(base_url=url, timeout=60.0)
    bar = ProgressBar(len(lines), f"loading {path.name}")
    try:
        for batch in _batches(lines, batch_size):
            body = orjson.dumps([line.event for line in batch])
            response = post_until_answered(
                http,
                "/api/v1/events",
                content=body,
                headers=headers,
                on_retry=say_retrying,
                reached_before=report.accepted + report.duplicates > 0,
            )
            if response.status_code not in (200, 201):
                raise LoadError(_describe(response, batch, path))
            answer = response.json()
            report.accepted += answer["accepted"]
            report.duplicates += answer["duplicates"]
            bar.advance(len(batch))
        for line in lines:
            if line.retracted and "id" in line.event:
                response = http.delete(f"/api/v1/events/{line.event['id']}", headers=headers)
                if response.status_code != 200:
                    raise LoadError(_describe(response, [line], path))
                report.retracted += 1
    finally:
        bar.close()
        if own_client:
            http.close()
    return report
