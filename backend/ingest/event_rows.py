"""POST /events bodies straight to rows, the common case in one pass of Rust.

EventIn's rules are Python validators (a call or more per field per event: most of the cost of
a batch). Here the body is validated with `validate_json` against a twin of EventIn whose
constraints pydantic-core checks by itself: the field types and bounds are EventIn's, and the
kind is a discriminator, so the rules tying weapon, region and area to the kind are the
variants' shapes. What is left for Python is checked once per distinct value (times, regions,
places) or only where the body can break it (NUL, lat without lon, a city in another region).

A body that fails any of it is not answered from here: it goes through the reference path
(parse.parse_events and to_row, the same code as before), which refuses it with the errors it
always gave, or accepts it when the twin was only stricter (a `":` inside a string, a
`\\u0000` that is a backslash and text). So the twin may refuse more than EventIn, never less;
tests/unit/ingest/test_event_rows.py holds both paths to the same answers on random bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Annotated, Any, Literal, NotRequired

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, with_config

# pydantic reads TypedDicts of typing only from Python 3.12 on.
from typing_extensions import TypedDict

from backend.domain.gazetteer import regions_of
from backend.domain.records import Row, new_event_ids, place_of, to_row
from backend.domain.regions import resolve_region
from backend.domain.schemas import (
    EVENT_FIELDS,
    EventCount,
    EventId,
    Latitude,
    Longitude,
    ModelName,
    NoteText,
    PlaceText,
    SourceText,
    Weapon,
)
from backend.domain.times import rfc3339_utc
from backend.ingest.json_keys import keys_in_text
from backend.ingest.parse import parse_events

_CONFIG = ConfigDict(strict=True, extra="forbid")


class _Fields(TypedDict):
    """EventIn's fields that do not depend on the kind (absent keys stay absent)."""

    id: NotRequired[EventId | None]
    model: NotRequired[ModelName | None]
    count: NotRequired[EventCount]
    occurred_at: str  # rfc3339_utc once per distinct value: EventIn's parse_rfc3339
    city: NotRequired[PlaceText | None]
    lat: NotRequired[Latitude | None]
    lon: NotRequired[Longitude | None]
    source: NotRequired[SourceText | None]
    note: NotRequired[NoteText | None]


@with_config(_CONFIG)
class _Armed(_Fields):
    # EventIn._weapon_fits_kind: a weapon is required; _area_on_alerts: no area.
    kind: Literal["launch", "shot_down", "suppressed"]
    weapon: Weapon
    region: NotRequired[PlaceText | None]
    area: NotRequired[None]


@with_config(_CONFIG)
class _Strike(_Fields):
    kind: Literal["impact", "debris"]
    weapon: NotRequired[Weapon | None]
    region: NotRequired[PlaceText | None]
    area: NotRequired[None]


@with_config(_CONFIG)
class _Alert(_Fields):
    # EventIn._weapon_fits_kind: no weapon; _region_on_alerts: a region is required.
    kind: Literal["alert_start", "alert_end"]
    weapon: NotRequired[None]
    region: PlaceText
    area: NotRequired[PlaceText | None]


_Posted = Annotated[_Armed | _Strike | _Alert, Field(discriminator="kind")]
_ONE: TypeAdapter[_Posted] = TypeAdapter(_Posted)


@lru_cache(maxsize=8)
def _many(limit: int) -> TypeAdapter[list[_Posted]]:
    return TypeAdapter(Annotated[list[_Posted], Field(min_length=1, max_length=limit)])


# A posted object fills these; the rest keep EventIn's defaults.
_DEFAULTS: dict[str, Any] = {name: None for name in EVENT_FIELDS} | {"count": 1}


@dataclass(frozen=True, slots=True)
class EventRows:
    """The rows of a valid POST /events body, ready for the writer."""

    rows: list[Row]
    client_ids: list[str]  # the ids the client chose (only these can be duplicates)
    batch: bool  # posted as an array: warnings name each item's index


def event_rows(body: bytes, *, max_events: int, received_at: datetime) -> EventRows:
    """The rows of one event object or an array of 1..max_events; else parse.BodyError."""
    fast = _fast(body, max_events=max_events, received_at=received_at)
    if fast is not None:
        return fast
    events = parse_events(body, max_events=max_events)
    rows = [to_row(event, received_at=received_at) for event in events]
    client_ids = [event.id for event in events if event.id is not None]
    return EventRows(rows, client_ids, body.lstrip()[:1] == b"[")


def _fast(body: bytes, *, max_events: int, received_at: datetime) -> EventRows | None:
    """The rows when the body passes the twin and every remaining rule; else None."""
    # JSON can carry U+0000 only as that escape; a raw NUL byte is invalid JSON anyway.
    if b"\\u0000" in body:
        return None
    start = body.lstrip()[:1]
    try:
        if start == b"[":
            items: list[Any] = _many(max_events).validate_json(body)
        elif start == b"{":
            items = [_ONE.validate_json(body)]
        else:
            return None
    except ValidationError:
        return None
    # Every posted key is a field (extra="forbid"), kept once; fewer kept than written means
    # a duplicated key (or `":` inside a string), which the reference path tells apart.
    if keys_in_text(body) != sum(map(len, items)):
        return None
    times = _times({item["occurred_at"] for item in items})
    regions = _regions({item["region"] for item in items if item.get("region") is not None})
    if times is None or regions is None:
        return None
    rows = _rows(items, times, regions, received_at)
    if rows is None:
        return None
    return EventRows(rows, [item["id"] for item in items if item.get("id")], start == b"[")


def _times(texts: set[str]) -> dict[str, tuple[datetime, date]] | None:
    """UTC time and night of each distinct occurred_at, or None when one is refused."""
    found = {}
    for text in texts:
        try:
            found[text] = rfc3339_utc(text)
        except ValueError:
            return None
    return found


def _regions(texts: set[str]) -> dict[str, str] | None:
    """The code of each distinct region, or None when one is unknown."""
    found = {}
    for text in texts:
        code = resolve_region(text)
        if code is None:
            return None
        found[text] = code
    return found


def _rows(
    items: list[dict[str, Any]],
    times: dict[str, tuple[datetime, date]],
    regions: dict[str, str],
    received_at: datetime,
) -> list[Row] | None:
    """The rows to_row would make, or None when a place rule of EventIn refuses one."""
    defaults = {**_DEFAULTS, "received_at": received_at}
    rows = []
    for item in items:
        row = {**defaults, **item}
        row["occurred_at"], row["night"] = times[row["occurred_at"]]
        region = row["region"]
        if region is not None:
            region = row["region"] = regions[region]
        city = row["city"]
        if city is not None:
            known = regions_of(city)
            if region is not None and known and region not in known:
                return None  # EventIn._city_in_region
        if row["lat"] is None:
            if row["lon"] is not None:
                return None  # EventIn._lat_lon_together
            row["region"], located = place_of(city, region)
            if located is not None:
                row["lat"], row["lon"] = located
        elif row["lon"] is None:
            return None  # EventIn._lat_lon_together
        elif city is not None and region is None:
            row["region"] = place_of(city, None)[0]
        rows.append(row)
    unnamed = [row for row in rows if row["id"] is None]
    for row, event_id in zip(unnamed, new_event_ids(len(unnamed)), strict=True):
        row["id"] = event_id
    return rows
