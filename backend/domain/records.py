"""Turn validated input into stored rows, and stored rows into wire records."""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
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
    return new_event_ids(1)[0]


def new_event_ids(count: int) -> list[str]:
    """`count` UUIDv7 strings of this millisecond, as new_event_id makes them one at a time."""
    millis = f"{time.time_ns() // 1_000_000:012x}"
    head = f"{millis[:8]}-{millis[8:]}-7"
    # Ids need uniqueness, not secrecy: a PRNG seeded from the OS once per process, rather
    # than a getrandom() system call per event; and all of a batch's random bits at once.
    bits = f"{_ID_RANDOM.getrandbits(76 * count):0{19 * count}x}"
    return [
        f"{head}{bits[at : at + 3]}-{_VARIANT[bits[at + 3]]}{bits[at + 4 : at + 7]}-"
        f"{bits[at + 7 : at + 19]}"
        for at in range(0, 19 * count, 19)
    ]


# The variant's two bits (10) over a random hex digit's lower two.
_VARIANT = {f"{n:x}": f"{0x8 | (n & 0x3):x}" for n in range(16)}


def to_row(event: EventIn, *, received_at: datetime) -> Row:
    """The row to store for a validated event: id, region and position filled in, UTC times."""
    region, located = place_of(event.city, event.region)
    lat, lon = event.lat, event.lon
    if (lat is None or lon is None) and located is not None:
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


@lru_cache(maxsize=4096)
def place_of(city: str | None, region: str | None) -> tuple[str | None, tuple[float, float] | None]:
    """The region to store for a (validated) city and region, and the position when none is
    posted: the city's, else a point inside the region, else None.

    Cached: a batch repeats the same few places, and this is per event otherwise.
    """
    if city is not None and region is None:
        place = gazetteer.find_city(city)
        region = place.region if place else None
    return region, gazetteer.locate(city=city, region=region)


def content_of(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """What must match for a repeated id to count as the same event."""
    return tuple(row[name] for name in CONTENT_FIELDS)


def record_of(row: Mapping[Any, Any]) -> dict[str, Any]:
    """The wire record of a stored row (datetimes left for orjson to write as RFC 3339)."""
    return {**_stored_fields(row), "retracted": row["retracted_seq"] is not None}


def record_of_committed(row: Row) -> dict[str, Any]:
    """The wire record of a row the writer has just inserted (with its seq; never retracted):
    what record_of gives for the same row read back from the database.

    It is the row itself, completed: the writer hands its rows over once committed and
    changes them no more, and a copy of each cost a batch of 1,000 more than its parse did.
    """
    row["retracted"] = False
    return row


def _stored_fields(row: Mapping[Any, Any]) -> dict[str, Any]:
    record = {name: row[name] for name in EVENT_FIELDS}
    record["seq"] = row["seq"]
    record["received_at"] = row["received_at"]
    record["night"] = row["night"]
    return record


def dumps(value: Any) -> bytes:
    """JSON bytes as the API writes them: UTC times end in Z."""
    return orjson.dumps(value, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)
