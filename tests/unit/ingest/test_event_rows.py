"""The one-pass rows of POST /events against the reference path (parse_events, to_row): the same
rows for every body it takes, and for every other body the reference's answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.domain.records import to_row
from backend.ingest import event_rows as module
from backend.ingest.event_rows import event_rows
from backend.ingest.parse import BodyError, parse_events

NOW = datetime(2025, 7, 4, 0, 0, tzinfo=UTC)
LIMIT = 5
VALID = {
    "kind": "impact",
    "weapon": "drone",
    "occurred_at": "2025-07-04T01:00:00+03:00",
    "region": "UA-63",
    "city": "Kharkiv",
}

# Values EventIn takes for each field alone (GOOD), and the near misses it refuses (BAD).
GOOD: dict[str, list[Any]] = {
    "id": ["a-1", "b.2:x", "c" * 64, None],
    "kind": ["launch", "shot_down", "suppressed", "impact", "debris", "alert_start", "alert_end"],
    "weapon": ["drone", "decoy", "ballistic_missile", "unknown", None],
    "model": ["Shahed-136", "m" * 64, None],
    "count": [1, 2, 10_000],
    "occurred_at": [
        "2025-07-03T22:00:00+03:00",
        "2025-07-03T19:00:00Z",
        "2025-07-03t22:00:00.123456789z",
        "2025-07-03 22:00:00-01:30",
        "2025-10-26T03:30:00+02:00",
    ],
    "region": ["UA-30", "UA-63", "UA-51", "Kharkiv oblast", "Харківська область", None],
    "area": ["Kupiansk raion", None],
    "city": ["Kharkiv", "Kyiv", "Odesa", "Somewhere", None],
    "lat": [50.45, 49, 90, -90.0, None],
    "lon": [30.52, 36, -180, None],
    "source": ["kpszsu", "", None],
    "note": ["two hits", "", 'a": "b', "back\\u0000slash", "ok\\", None],
}
BAD: dict[str, list[Any]] = {
    "id": ["a-1 ", "", "x" * 65, 7],
    "kind": ["Launch", None, 1],
    "weapon": ["tank", 0],
    "model": ["", "m" * 65, "a\x00b", 3],
    "count": [0, 10_001, -1, 1.0, "1", None, True, 10**30],
    "occurred_at": [
        "2025-07-03T22:00:00",
        "2025-02-30T22:00:00Z",
        "1999-12-31T23:00:00Z",
        "2999-12-31T23:59:59-23:59",
        "2025-07-03T22:00:00Z\n",
        "",
        None,
        1_720_000_000,
    ],
    "region": ["Nowhere", "", "r" * 101, "UA-30\x00", 30],
    "area": ["", "a" * 101, 1],
    "city": ["", "c" * 101, "Kyiv\x00", 2],
    "lat": [90.5, -91, "50", True, float("nan"), float("inf")],
    "lon": [180.5, "30", float("-inf")],
    "source": ["s" * 101, 1, "s\x00"],
    "note": ["n" * 1001, "\x00"],
    "extra": [1, None],
}
BASES: list[dict[str, Any]] = [
    {"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00+03:00"},
    {"kind": "impact", "occurred_at": "2025-07-04T01:00:00+03:00", "city": "Kharkiv"},
    {"kind": "debris", "occurred_at": "2025-07-04T01:00:00Z", "region": "UA-30", "lat": 50.4},
    {"kind": "alert_start", "region": "UA-63", "occurred_at": "2025-07-03T21:00:00Z"},
    {},
]


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    """A base event (mostly valid) with a few fields set, removed or spoilt."""
    event = dict(draw(st.sampled_from(BASES)))
    for name in draw(st.lists(st.sampled_from(sorted(GOOD)), max_size=4, unique=True)):
        choice = draw(st.integers(0, 15))
        if choice == 15:
            event.pop(name, None)
        elif choice == 14:
            event[name] = draw(st.sampled_from(BAD[name]))
        else:
            event[name] = draw(st.sampled_from(GOOD[name]))
    if draw(st.integers(0, 15)) == 15:
        event["extra"] = draw(st.sampled_from(BAD["extra"]))
    return event


def _encode(draw: st.DrawFn, event: dict[str, Any]) -> bytes:
    # The standard library writes what orjson cannot (integers past 64 bits).
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
    # Hypothesis favours small numbers: the rare tweaks are the large ones.
    tweak = draw(st.integers(0, 29))
    if tweak == 29 and len(event) > 0:
        # The first key again, at the end.
        key = next(iter(event))
        again = json.dumps({key: event[key]}, ensure_ascii=False, separators=(",", ":"))
        return text[:-1] + b"," + again[1:].encode()
    if tweak == 28:
        return text.replace(b'":', b'" :\n')
    if tweak == 27:
        return text.replace(b'"kind"', b'"k\\u0069nd"').replace(b'"lat"', b'"l\\u0061t"')
    return text


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """One object, an array of 0..LIMIT+1, or something else entirely."""
    shape = draw(st.integers(0, 9))
    if shape == 0:
        return draw(st.sampled_from([b"", b"{", b"[", b"null", b'"x"', b"[1]", b"[[]]", b"{}"]))
    if shape < 4:
        return (
            b" \n" + _encode(draw, draw(events())) if shape == 3 else _encode(draw, draw(events()))
        )
    items = draw(st.lists(events(), max_size=LIMIT + 1))
    return b"[" + b",".join(_encode(draw, item) for item in items) + b"]"


def _reference(body: bytes) -> tuple[Any, ...]:
    try:
        parsed = parse_events(body, max_events=LIMIT)
    except BodyError as error:
        return ("refused", error.status, error.detail)
    rows = [to_row(event, received_at=NOW) for event in parsed]
    ids = [event.id for event in parsed if event.id is not None]
    return ("rows", _comparable(rows, ids), ids, body.lstrip()[:1] == b"[")


def _new(body: bytes) -> tuple[Any, ...]:
    try:
        posted = event_rows(body, max_events=LIMIT, received_at=NOW)
    except BodyError as error:
        return ("refused", error.status, error.detail)
    return ("rows", _comparable(posted.rows, posted.client_ids), posted.client_ids, posted.batch)


def _comparable(rows: list[dict[str, Any]], client_ids: list[str]) -> list[Any]:
    # Generated ids differ from run to run; compared by value and type, key order included.
    return [
        [
            (name, type(value), value if name != "id" or value in client_ids else "new")
            for name, value in row.items()
        ]
        for row in rows
    ]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies())
def test_the_same_answer_as_the_reference_path(body: bytes) -> None:
    assert _new(body) == _reference(body)


@pytest.mark.parametrize(
    "body",
    [
        *(
            orjson.dumps([VALID, {**VALID, name: "a\x00b"}])
            for name in ("model", "region", "area", "city", "source", "note")
        ),
        b'{"kind": "impact", "occurred_at": "2025-07-04T01:00:00Z", "l\\u0061t": 50}',
        b'{"kind": "impact", "occurred_at": "2025-07-04T01:00:00Z", "lat": 50, "lat": null}',
        b'{"kind": "impact", "occurred_at": "2025-07-04T01:00:00Z", "note": "\\": \\":"}',
        b'{"kind": "impact", "occurred_at": "2025-07-04T01:00:00Z", "note": "\\\\u0000"}',
        b'{"kind" : "impact", "occurred_at"\n:"2025-07-04T01:00:00Z", "kind": "debris"}',
        b'[{"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-04T01:00:00Z"}] x',
        b'{"kind": "alert_end", "region": "UA-63", "weapon": null, "area": null,'
        b' "occurred_at": "2025-07-04T01:00:00Z"}',
        b'{"kind": "launch", "weapon": "drone", "area": null, "occurred_at": "2025-07-04T01:00Z"}',
        b'{"kind": "impact", "city": "Kyiv", "region": "UA-63",'
        b' "occurred_at": "2025-07-04T01:00:00Z"}',
        b"[" + b",".join([orjson.dumps(VALID)] * (LIMIT + 1)) + b"]",
        b"[" + b",".join([b"{}"] * (LIMIT + 1)) + b"]",
    ],
)
def test_edges_get_the_reference_answer(body: bytes) -> None:
    assert _new(body) == _reference(body)


@pytest.mark.parametrize(
    "event",
    [
        {"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00+03:00"},
        {**VALID, "id": "x-1", "model": "Iskander-M", "count": 3, "source": "s", "note": "n"},
        {**VALID, "region": None, "lat": 50.0, "lon": 36.2},
        {**VALID, "region": "Kharkiv oblast", "city": "Somewhere"},
        {"kind": "alert_start", "region": "Kharkiv oblast", "area": "Kupiansk raion"}
        | {"occurred_at": "2025-07-03T22:00:00Z", "weapon": None},
    ],
)
def test_valid_events_take_the_one_pass(event: dict[str, Any]) -> None:
    for body in (orjson.dumps(event), orjson.dumps([event] * LIMIT)):
        assert module._fast(body, max_events=LIMIT, received_at=NOW) is not None
