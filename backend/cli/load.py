"""Client side of `skywatch load`: post a JSON Lines recording to a server in batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from backend.cli.batch_post import BatchRefusedError, Refusal, describe_refusal, post_batches
from backend.cli.progress import ProgressBar
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

    def refusal(batch: Sequence[Line]) -> Refusal:
        return Refusal(lambda index: f"{path}:{batch[index].number}", str(path), f"{path}: ")

    try:
        try:
            report.accepted, report.duplicates = post_batches(
                http,
                "/api/v1/events",
                lines,
                token=token,
                size=batch_size,
                bar=bar,
                body=lambda batch: [line.event for line in batch],
                refusal=refusal,
            )
        except BatchRefusedError as error:
            raise LoadError(str(error)) from None
        for line in lines:
            if line.retracted and "id" in line.event:
                response = http.delete(f"/api/v1/events/{line.event['id']}", headers=headers)
                if response.status_code != 200:
                    raise LoadError(describe_refusal(response, refusal([line])))
                report.retracted += 1
    finally:
        bar.close()
        if own_client:
            http.close()
    return report
