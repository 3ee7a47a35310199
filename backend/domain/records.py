"""Turn validated input into stored rows, and stored rows into wire records."""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

from backend.domain import gazetteer
from backend.domain.nights import night_of
from backend.domain.schemas import EVENT_FIELDS, EventIn

Row = dict[str, Any]
# The fields whose equality makes a re-posted id a duplicate rather than a conflict.
CONTENT_FIELDS = tuple(name for name in EVENT_FIELDS if name != "id")
_ID_RANDOM = random.Random()  # uniqueness only, see new_event_id


class IdConflictError(Exception):
    """Posted ids (of events or reports) already stored, or posted earlier in the same request,
    with other content: (index in the request, id). The same content again is a duplicate."""

    def __init__(self, conflicts: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(conflicts)} id(s) already exist with different content")
        self.conflicts = conflicts


def new_event_id() -> str:
    """A UUIDv7 string (RFC 9562): time-ordered, so the id index grows at its end, not at random."""
    millis = time.time_ns() // 1_000_000
    # Ids need uniqueness, not secrecy: a PRNG seeded from the OS once per process, rather
    # than a getrandom() system call per event.
    raw = bytearray(millis.to_bytes(6, "big") + _ID_RANDOM.getrandbits(80).to_bytes(10, "big"))
    raw[6] = (raw[6] & 0x0F) | 0x70
    raw[8] = (raw[8] & 0x3F) | 0x80
    hexed = raw.hex()
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def to_row(event: EventIn, *, received_at: datetime) -> Row:
    """The row to store for a validated event: id, region and position filled in, UTC times."""
    region = event.region
    lat, lon = event.lat, event.lon
    if event.city is not None and region is None:
        place = gazetteer.find_city(event.city)
        region = place.region if place else None
    if lat is None or lon is None:
        located = gazetteer.locate(city=event.city, region=region)
        if located is not None:
            lat, lon = located
    occurred_at = event.occurred_at.astimezone(UTC)
    return {
        "id": event.id or new_event_id(),
        "kind": event.kind,
        "weapon": event.weapon,
        "model": event.model,
        "count": event.count,
        "occurred_at": occurred_at,
        "region": region,
        "area": event.area,
        "city": event.city,
        "lat": lat,
        "lon": lon,
        "source": event.source,
        "note": event.note,
        "received_at": received_at,
        "night": night_of(occurred_at),
    }


def content_of(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """What must match for a repeated id to count as the same event."""
    return tuple(row[name] for name in CONTENT_FIELDS)


def record_of(row: Mapping[Any, Any]) -> dict[str, Any]:
    """The wire record of a stored row (datetimes left for orjson to write as RFC 3339)."""
    record = {name: row[name] for name in EVENT_FIELDS}
    record["seq"] = row["seq"]
    record["received_at"] = row["received_at"]
    record["night"] = row["night"]
    record["retracted"] = row["retracted_seq"] is not None
    return record


def dumps(value: Any) -> bytes:
    """JSON bytes as the API writes them: UTC times end in Z."""
    return orjson.dumps(value, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)
