"""alerts.in.ua's GET /v1/alerts/active.json as a Snapshot.

The answer (alerts.in.ua API docs; the alerts-ua/alerts-in-ua-py client) is
`{"alerts": [...], "meta": {"last_updated_at": "2023/01/27 22:01:12 +0000", ...}}`, each alert
`{id, location_title, location_type (oblast|raion|hromada|city|unknown), started_at,
finished_at, updated_at, alert_type, location_uid, location_oblast, location_oblast_uid, ...}`.

- Only `air_raid` alerts are alerts here; other types are counted by type and skipped.
- A whole-region alert is one of `location_type` oblast, or of the region itself
  (`location_uid` equal to `location_oblast_uid`: Kyiv city, uid 31, is of type city).
  Raions, hromadas and other cities are local alerts of their oblast, `area` = the title.
- An alert listed with a `finished_at` is over (at that time): not on.
- The answer speaks for `meta.last_updated_at`, else its Last-Modified, else the poll time.
- Any alert that cannot be read makes the whole answer garbage: leaving one out could end it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from backend.domain.alert_feeds.state import (
    FeedAlert,
    FeedGarbageError,
    Key,
    Snapshot,
    area_name,
    feed_time,
    snapshot_of,
)
from backend.domain.alert_feeds.uids import region_of_uid
from backend.domain.regions import resolve_region

SOURCE = "alerts.in.ua"
ID_PREFIX = "aiu-"
AIR_RAID = "air_raid"
WHOLE_REGION_TYPES = frozenset({"oblast"})
_META_FORMAT = "%Y/%m/%d %H:%M:%S %z"
_ID = re.compile(r"^[A-Za-z0-9._:-]{1,60}$")  # an event id, less the prefix


def _text(alert: Mapping[str, Any], name: str, *, optional: bool = False) -> str | None:
    value = alert.get(name)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value).strip() == "":
        raise FeedGarbageError(f"alert {alert.get('id')!r}: {name}: missing or not text")
    return str(value).strip()


def _region(alert: Mapping[str, Any]) -> str | None:
    code = region_of_uid(alert.get("location_oblast_uid"))
    if code is None and isinstance(alert.get("location_oblast"), str):
        code = resolve_region(alert["location_oblast"])
    return code


def _answer_time(meta: object, last_modified: datetime | None, polled_at: datetime) -> datetime:
    if isinstance(meta, dict) and isinstance(meta.get("last_updated_at"), str):
        try:
            return datetime.strptime(meta["last_updated_at"], _META_FORMAT).astimezone(UTC)
        except ValueError:
            raise FeedGarbageError(
                f"meta.last_updated_at: not {_META_FORMAT}: {meta['last_updated_at']!r}"
            ) from None
    return (last_modified or polled_at).astimezone(UTC)


def parse_active(
    payload: object, *, polled_at: datetime, last_modified: datetime | None = None
) -> Snapshot:
    """The Snapshot of an active.json answer; FeedGarbageError names what is wrong."""
    if not isinstance(payload, dict) or not isinstance(payload.get("alerts"), list):
        raise FeedGarbageError("not an object with an `alerts` list")
    at = _answer_time(payload.get("meta"), last_modified, polled_at)
    alerts: list[FeedAlert] = []
    times: dict[Key, datetime] = {}
    skipped: Counter[str] = Counter()
    unplaced: list[str] = []
    for alert in payload["alerts"]:
        if not isinstance(alert, dict):
            raise FeedGarbageError(f"an alert is not an object: {alert!r:.80}")
        kind = _text(alert, "alert_type")
        if kind != AIR_RAID:
            skipped[str(kind)] += 1
            continue
        alert_id = str(_text(alert, "id"))
        if _ID.match(alert_id) is None:
            raise FeedGarbageError(f"alert id {alert_id!r}: not 1-60 of [A-Za-z0-9._:-]")
        title = _text(alert, "location_title")
        location_type = _text(alert, "location_type")
        started_at = feed_time(alert.get("started_at"), f"alert {alert_id}: started_at")
        finished = alert.get("finished_at")
        region = _region(alert)
        if region is None:
            unplaced.append(f"{title} (oblast uid {alert.get('location_oblast_uid')!r})")
            continue
        whole = (
            location_type in WHOLE_REGION_TYPES
            or _text(alert, "location_uid", optional=True)
            == str(alert.get("location_oblast_uid")).strip()
        )
        key: Key = (region, None if whole else area_name(str(title)))
        if finished is not None:
            times[key] = feed_time(finished, f"alert {alert_id}: finished_at")
            continue
        alerts.append(FeedAlert(key[0], key[1], f"{ID_PREFIX}{alert_id}", started_at))
    return snapshot_of(
        alerts, at=at, source=SOURCE, times=times, skipped=skipped, unplaced=unplaced
    )
