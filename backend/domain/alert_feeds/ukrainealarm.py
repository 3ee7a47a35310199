"""api.ukrainealarm.com v3 (GET /api/v3/alerts, GET /api/v3/regions) as a Snapshot.

The alerts answer (UkraineAlarm/UkraineAlarm-python, models AlertRegionModel and Alert) is a
list of regions with alerts on: `{regionId, regionType (State|District|Community), regionName,
regionEngName, lastUpdate, activeAlerts: [{regionId, regionType, type, lastUpdate}]}`, `type`
one of AIR, ARTILLERY, URBAN_FIGHTS, CHEMICAL, NUCLEAR, INFO, UNKNOWN.

- Only AIR alerts are alerts here; other types are counted by type and skipped.
- A State's alert is the whole oblast's (regionId as in uids.py, else its regionName);
  a District's or Community's is a local alert of the oblast the regions list puts it in,
  `area` = its regionName. The alerts answer does not name that oblast: GET /api/v3/regions
  (`{"states": [{regionId, regionName, regionType, regionChildIds: [...]}]}`) does.
- The API has no alert id: a start's id is made of regionId, type and the alert's
  `lastUpdate` (its start), which every follower of the feed reads alike.
- Times are UTC; one written without an offset is read as UTC.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
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

SOURCE = "ukrainealarm.com"
ID_PREFIX = "ua-"
AIR = "AIR"
STATE = "State"
_REGION_ID = re.compile(r"^[A-Za-z0-9._-]{1,20}$")
_NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$")


@dataclass(frozen=True, slots=True)
class Item:
    """One region of the alerts answer, read."""

    region_id: str
    region_type: str
    name: str
    last_update: datetime | None
    air_started_at: datetime | None  # the AIR alert's lastUpdate, when one is on
    other_types: tuple[str, ...]


def _utc(value: object, what: str) -> datetime:
    if isinstance(value, str) and _NAIVE.match(value):
        value = value + "Z"
    return feed_time(value, what)


def _field(item: Mapping[str, Any], name: str) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip():
        raise FeedGarbageError(f"region {item.get('regionId')!r}: {name}: missing or not text")
    return value.strip()


def _read_item(item: object) -> Item:
    if not isinstance(item, dict):
        raise FeedGarbageError(f"a region is not an object: {item!r:.80}")
    region_id = _field(item, "regionId")
    if _REGION_ID.match(region_id) is None:
        raise FeedGarbageError(f"regionId {region_id!r}: not 1-20 of [A-Za-z0-9._-]")
    active = item.get("activeAlerts")
    if not isinstance(active, list):
        raise FeedGarbageError(f"region {region_id}: activeAlerts: not a list")
    air: datetime | None = None
    others: list[str] = []
    for alert in active:
        if not isinstance(alert, dict):
            raise FeedGarbageError(f"region {region_id}: an active alert is not an object")
        kind = _field(alert, "type")
        if kind != AIR:
            others.append(kind)
            continue
        started = _utc(alert.get("lastUpdate"), f"region {region_id}: AIR lastUpdate")
        air = started if air is None else min(air, started)
    last = item.get("lastUpdate")
    return Item(
        region_id=region_id,
        region_type=_field(item, "regionType"),
        name=_field(item, "regionName"),
        last_update=None if last is None else _utc(last, f"region {region_id}: lastUpdate"),
        air_started_at=air,
        other_types=tuple(others),
    )


def read_alerts(payload: object) -> list[Item]:
    """The regions of a GET /api/v3/alerts answer; FeedGarbageError names what is wrong."""
    if not isinstance(payload, list):
        raise FeedGarbageError("not a list of regions")
    return [_read_item(item) for item in payload]


def local_ids(items: list[Item]) -> set[str]:
    """The districts and communities listed (placing them needs the regions list)."""
    return {item.region_id for item in items if item.region_type != STATE}


def _walk(node: object, code: str | None, places: dict[str, str]) -> None:
    if not isinstance(node, dict) or not isinstance(node.get("regionId"), str):
        raise FeedGarbageError(f"a region of the list has no regionId: {node!r:.80}")
    if code is None:
        name = node.get("regionName")
        code = region_of_uid(node["regionId"]) or (
            resolve_region(name) if isinstance(name, str) else None
        )
        if code is None:
            return  # a state that is none of the 27 (the API lists a test region)
    places[node["regionId"]] = code
    children = node.get("regionChildIds") or []
    if not isinstance(children, list):
        raise FeedGarbageError(f"region {node['regionId']}: regionChildIds: not a list")
    for child in children:
        _walk(child, code, places)


def read_regions(payload: object) -> dict[str, str]:
    """regionId -> the ISO code of its oblast, for every region of GET /api/v3/regions."""
    if not isinstance(payload, dict) or not isinstance(payload.get("states"), list):
        raise FeedGarbageError("regions: not an object with a `states` list")
    places: dict[str, str] = {}
    for state in payload["states"]:
        _walk(state, None, places)
    return places


def _key(item: Item, places: Mapping[str, str]) -> Key | None:
    if item.region_type == STATE:
        code = region_of_uid(item.region_id) or resolve_region(item.name)
        return None if code is None else (code, None)
    code = places.get(item.region_id)
    return None if code is None else (code, area_name(item.name))


def start_id(region_id: str, started_at: datetime) -> str:
    """The id of an AIR alert's start: regionId, type and its start."""
    return f"{ID_PREFIX}{region_id}-{AIR}-{started_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def snapshot(items: list[Item], places: Mapping[str, str], *, polled_at: datetime) -> Snapshot:
    """The Snapshot of the read regions; `places` from read_regions. The API gives no time of
    the whole answer: it speaks for the poll."""
    alerts: list[FeedAlert] = []
    times: dict[Key, datetime] = {}
    skipped: Counter[str] = Counter()
    unplaced: list[str] = []
    for item in items:
        skipped.update(item.other_types)
        key = _key(item, places)
        if key is None:
            if item.air_started_at is not None:
                unplaced.append(f"{item.name} (regionId {item.region_id})")
            continue
        if item.air_started_at is not None:
            alert_id = start_id(item.region_id, item.air_started_at)
            alerts.append(FeedAlert(key[0], key[1], alert_id, item.air_started_at))
        elif item.last_update is not None:
            times[key] = item.last_update
    return snapshot_of(
        alerts, at=polled_at, source=SOURCE, times=times, skipped=skipped, unplaced=unplaced
    )
