"""The recording format: JSON Lines of wire records, as GET /events?format=jsonl writes them.

`skywatch load` and `skywatch replay` post a recording, `serve --demo` stores one; all read
it here, so a recording means the same to each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from backend.domain.schemas import EVENT_FIELDS

# Fields the server adds; a recording carries them, a POST must not.
SERVER_FIELDS = ("seq", "received_at", "night", "retracted")


class RecordingError(Exception):
    """A line of the recording cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Line:
    """One event of the file, with the line it came from."""

    number: int
    event: dict[str, Any]
    retracted: bool


def read_recording(path: Path) -> list[Line]:
    """Every event of a JSON Lines file; RecordingError names the first bad line."""
    lines: list[Line] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError as error:
                raise RecordingError(f"{path}:{number}: not valid JSON ({error})") from None
            if not isinstance(record, dict):
                raise RecordingError(f"{path}:{number}: expected a JSON object per line")
            retracted = bool(record.get("retracted", False))
            event = {key: value for key, value in record.items() if key not in SERVER_FIELDS}
            unknown = sorted(set(event) - set(EVENT_FIELDS))
            if unknown:
                raise RecordingError(f"{path}:{number}: unknown field(s) {', '.join(unknown)}")
            lines.append(Line(number, event, retracted))
    return lines
