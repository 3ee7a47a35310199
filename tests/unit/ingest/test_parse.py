"""Parsing POST bodies: shapes, limits and error locations."""

from __future__ import annotations

import pytest

from backend.ingest.parse import BodyError, parse_events

EVENT = b'{"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00Z"}'


def test_object_and_array_both_parse() -> None:
    assert len(parse_events(EVENT, max_events=10)) == 1
    assert len(parse_events(b"[" + EVENT + b"," + EVENT + b"]", max_events=10)) == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"{", 400), (b"", 400), (b"[]", 422), (b'"x"', 422), (b"null", 422)],
)
def test_bad_shapes(body: bytes, status: int) -> None:
    with pytest.raises(BodyError) as caught:
        parse_events(body, max_events=10)
    assert caught.value.status == status


def test_too_many_events_is_413_before_validation() -> None:
    with pytest.raises(BodyError) as caught:
        parse_events(b"[" + b",".join([b"{}"] * 11) + b"]", max_events=10)
    assert caught.value.status == 413


def test_errors_name_index_and_field_in_batches_only() -> None:
    bad = b'{"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00"}'
    with pytest.raises(BodyError) as single:
        parse_events(bad, max_events=10)
    with pytest.raises(BodyError) as batch:
        parse_events(b"[" + EVENT + b"," + bad + b"]", max_events=10)
    assert isinstance(single.value.detail, list)
    assert isinstance(batch.value.detail, list)
    assert single.value.detail[0]["index"] is None
    assert single.value.detail[0]["loc"] == ["body", "occurred_at"]
    assert batch.value.detail[0]["index"] == 1
    assert batch.value.detail[0]["loc"] == ["body", 1, "occurred_at"]


@pytest.mark.parametrize(
    "occurred_at",
    [
        "2025-07-03T22:00:00Z",
        "2025-07-03t22:00:00z",
        "2025-07-03 22:00:00+03:00",
        "2025-07-03T22:00:00.123456789-01:30",
    ],
)
def test_rfc3339_forms_are_accepted(occurred_at: str) -> None:
    body = EVENT.replace(b"2025-07-03T22:00:00Z", occurred_at.encode())
    assert parse_events(body, max_events=1)[0].occurred_at.tzinfo is not None
