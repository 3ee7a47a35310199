"""A feed's alert state and the events that bring Skywatch's state to it.

A good answer of a feed becomes a Snapshot: the air-raid alerts on, each an alert of
Skywatch's fold (region, area; area None for the whole oblast), and the time it speaks for.
Skywatch's own state is read from GET /api/v1/alerts. The difference is a list of events:

- an alert on in the feed and not in Skywatch: an `alert_start` at the feed's start, id from
  the feed's own id, so two followers of one feed post the same start (a duplicate);
- an alert on in Skywatch and not in the feed: an `alert_end` at the time the feed stopped
  listing it (the location's own time where the feed gives one, else the answer's), never
  before the alert began. Its id derives from the alert being ended (region, area and the
  start Skywatch keeps), so whoever ends it, and however often, ends it once.

Only a good answer makes a Snapshot: an unreachable feed or a garbled answer changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from backend.domain.times import parse_rfc3339

Key = tuple[str, str | None]
MAX_AREA_CHARS = 100  # the events' `area` limit


class FeedGarbageError(ValueError):
    """An answer that is not what the feed documents: it is ignored whole."""


@dataclass(frozen=True, slots=True)
class FeedAlert:
    """An air-raid alert the feed lists as on."""

    region: str
    area: str | None
    start_id: str
    started_at: datetime

    @property
    def key(self) -> Key:
        """The alert in Skywatch's fold."""
        return (self.region, self.area)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A good answer: its air-raid alerts by key, the instant it speaks for, and what it left
    out (other alert types by type; locations it could not place)."""

    alerts: Mapping[Key, FeedAlert]
    at: datetime
    source: str
    # Locations listed without an air-raid alert, with the time the feed gives them: an alert
    # that ended there ends at that time rather than at the answer's.
    times: Mapping[Key, datetime] = field(default_factory=dict)
    skipped: Mapping[str, int] = field(default_factory=dict)
    unplaced: tuple[str, ...] = ()


def snapshot_of(
    alerts: Iterable[FeedAlert],
    *,
    at: datetime,
    source: str,
    times: Mapping[Key, datetime] | None = None,
    skipped: Mapping[str, int] | None = None,
    unplaced: Iterable[str] = (),
) -> Snapshot:
    """A Snapshot; two feed alerts of one (region, area) are one alert, from the earlier start."""
    by_key: dict[Key, FeedAlert] = {}
    for alert in alerts:
        known = by_key.get(alert.key)
        if known is None or (alert.started_at, alert.start_id) < (known.started_at, known.start_id):
            by_key[alert.key] = alert
    return Snapshot(
        alerts=by_key,
        at=at.astimezone(UTC),
        source=source,
        times={key: value.astimezone(UTC) for key, value in (times or {}).items()},
        skipped=dict(skipped or {}),
        unplaced=tuple(sorted(set(unplaced))),
    )


def area_name(text: str) -> str:
    """A location's name as an event's `area` (trimmed to the limit)."""
    return " ".join(text.split())[:MAX_AREA_CHARS]


def feed_time(value: object, what: str) -> datetime:
    """An RFC 3339 time of a feed ("2022-04-04T16:45:39.000Z"); FeedGarbageError otherwise."""
    try:
        parsed = parse_rfc3339(value)
    except (TypeError, ValueError) as error:
        raise FeedGarbageError(f"{what}: not an RFC 3339 time: {value!r} ({error})") from None
    assert isinstance(parsed, datetime)
    return parsed.astimezone(UTC)


def skywatch_state(answer: object) -> dict[Key, datetime | None]:
    """The alerts on in a GET /api/v1/alerts answer, with the start where the answer gives it
    (the whole-oblast alert's `since`; a local alert's start is not in it)."""
    if not isinstance(answer, dict) or not isinstance(answer.get("regions"), list):
        raise ValueError("GET /alerts: no `regions` list")
    state: dict[Key, datetime | None] = {}
    for item in answer["regions"]:
        region = item["region"]
        if item["state"] == "full":
            state[(region, None)] = feed_time(item["since"], "since")
        for area in item["areas"]:
            state[(region, area)] = None
    return state


def open_starts(night_alerts: object) -> dict[Key, datetime]:
    """The start of every alert still on, from a GET /api/v1/nights/{night}/alerts answer."""
    if not isinstance(night_alerts, dict) or not isinstance(night_alerts.get("intervals"), list):
        raise ValueError("GET /nights/{night}/alerts: no `intervals` list")
    return {
        (item["region"], item["area"]): feed_time(item["started_at"], "started_at")
        for item in night_alerts["intervals"]
        if item["ended_at"] is None
    }


def end_id(key: Key, started_at: datetime) -> str:
    """The id of the end of the alert `key` begun at `started_at` (the same for every follower)."""
    region, area = key
    text = f"{region}|{area or ''}|{started_at.astimezone(UTC).isoformat()}"
    return "alert-end-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _event(kind: str, key: Key, at: datetime, event_id: str, source: str) -> dict[str, Any]:
    region, area = key
    event: dict[str, Any] = {
        "id": event_id,
        "kind": kind,
        "region": region,
        "occurred_at": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "source": source,
    }
    if area is not None:
        event["area"] = area
    return event


def starts_needed(snapshot: Snapshot, current: Mapping[Key, object]) -> list[dict[str, Any]]:
    """The alert_start events of the alerts on in the feed and not in Skywatch."""
    return [
        _event("alert_start", key, alert.started_at, alert.start_id, snapshot.source)
        for key, alert in sorted(snapshot.alerts.items(), key=lambda item: _order(item[0]))
        if key not in current
    ]


def ends_needed(snapshot: Snapshot, current: Mapping[Key, object]) -> list[Key]:
    """The alerts on in Skywatch that the feed does not list."""
    return sorted((key for key in current if key not in snapshot.alerts), key=_order)


def end_event(key: Key, started_at: datetime, gone_at: datetime, source: str) -> dict[str, Any]:
    """The alert_end of `key` (begun at `started_at`), at `gone_at` but never before its start."""
    return _event("alert_end", key, max(gone_at, started_at), end_id(key, started_at), source)


def _order(key: Key) -> tuple[str, str]:
    return (key[0], key[1] or "")
