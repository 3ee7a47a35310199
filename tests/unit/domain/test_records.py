"""Normalizing input into stored rows, and rows into wire records."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import orjson

from backend.domain.records import dumps, new_event_id, new_event_ids, record_of, to_row
from backend.domain.schemas import EventIn

NOW = datetime(2025, 7, 4, 0, 0, tzinfo=UTC)


def row(**fields: Any) -> dict[str, Any]:
    base = {"kind": "impact", "occurred_at": "2025-07-04T01:00:00+03:00", **fields}
    return to_row(EventIn.model_validate(base), received_at=NOW)


def test_city_fills_region_and_position() -> None:
    filled = row(city="Kharkiv")
    assert filled["region"] == "UA-63"
    assert filled["lat"] is not None
    assert filled["lon"] is not None


def test_region_centre_when_city_unknown_and_nothing_when_neither() -> None:
    assert row(region="UA-46", city="Somewhere")["lat"] is not None
    bare = row()
    assert (bare["region"], bare["lat"], bare["lon"]) == (None, None, None)


def test_times_are_utc_and_night_is_derived() -> None:
    stored = row()
    assert stored["occurred_at"] == datetime(2025, 7, 3, 22, 0, tzinfo=UTC)
    assert stored["night"] == date(2025, 7, 4)


def test_generated_ids_are_time_ordered_uuid7() -> None:
    ids = [new_event_id() for _ in range(1000)]
    assert all(uuid.UUID(event_id).version == 7 for event_id in ids)
    assert len(set(ids)) == 1000
    prefixes = [event_id[:13] for event_id in ids]
    assert prefixes == sorted(prefixes)


def test_a_batch_of_ids_is_uuid7_of_one_millisecond() -> None:
    ids = new_event_ids(1000)
    parsed = [uuid.UUID(event_id) for event_id in ids]
    assert all(found.version == 7 and found.variant == uuid.RFC_4122 for found in parsed)
    assert all(str(found) == event_id for found, event_id in zip(parsed, ids, strict=True))
    assert len(set(ids)) == 1000
    assert len({event_id[:13] for event_id in ids}) == 1
    assert new_event_ids(0) == []


def test_record_json_uses_rfc3339_utc() -> None:
    stored = {**row(id="r"), "seq": 5, "retracted_seq": None}
    record = orjson.loads(dumps(record_of(stored)))
    assert record["occurred_at"] == "2025-07-03T22:00:00Z"
    assert record["night"] == "2025-07-04"
    assert record["retracted"] is False
    assert record["seq"] == 5
