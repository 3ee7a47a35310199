"""The events the earlier `skywatch import-csv` stored, and the reports they become.

Until reports existed, import-csv made each national row of the dataset into up to three
events (`launch`, `shot_down`, `suppressed`; a figure of 0 or blank made none) with ids
`csv-<sha1(row key)[:12]>-<kind>` (DatasetRow.key, with an ordinal for identical rows) and a
note `report window <start> to <end> (Kyiv time); <source>`. Migration 0005 turns a store's
such events into the reports import-csv now makes:

- `legacy_event_ids` recomputes those ids from a copy of the dataset, so a stored event is
  traced to its post and night, whose report is then made from the rows themselves;
- `rows_from_events` rebuilds rows from events no row of the file explains (an older copy of
  the dataset): model, class and window come from the events, launched from `launch`,
  destroyed from `shot_down`, not_reach_goal from `suppressed`; a kind with no event is null
  (the event cannot tell 0 from blank), and places, targets and hit counts are unknown.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from backend.domain.dataset_rows import DatasetRow, is_regional, parse_kyiv_time
from backend.domain.nights import KYIV

LEGACY_ID = re.compile(r"^csv-([0-9a-f]{12})-(launch|shot_down|suppressed)$")
# (DatasetRow figure, event kind) as the earlier import made them.
_KINDS = (("launched", "launch"), ("destroyed", "shot_down"), ("not_reach_goal", "suppressed"))
_NOTE = re.compile(r"^report window (.+?) to (.+?) \(Kyiv time\); (.+)$", re.DOTALL)

GroupKey = tuple[str, date]


def is_legacy_id(event_id: str) -> bool:
    """True for an id the earlier import-csv gave an event."""
    return LEGACY_ID.match(event_id) is not None


def legacy_event_ids(rows: Iterable[DatasetRow]) -> dict[str, GroupKey]:
    """Every id the earlier import gave the rows' events -> the (post, night) of its row.

    Regional rows made no events; identical rows were numbered in file order.
    """
    seen: dict[str, int] = {}
    found: dict[str, GroupKey] = {}
    for row in rows:
        if is_regional(row.source):
            continue
        ordinal = seen.get(row.key(), 0)
        seen[row.key()] = ordinal + 1
        digest = hashlib.sha1(row.key(ordinal).encode(), usedforsecurity=False).hexdigest()[:12]
        for figure, kind in _KINDS:
            if getattr(row, figure):
                found[f"csv-{digest}-{kind}"] = (row.source, row.night)
    return found


def rows_from_events(
    events: Sequence[Mapping[str, Any]],
) -> dict[GroupKey, tuple[list[DatasetRow], list[Mapping[str, Any]]]]:
    """Rows rebuilt from legacy events (id, kind, weapon, model, count, occurred_at, note,
    source), by (post, night): one row per legacy row digest in time order, and the events
    each group was made of."""
    by_row: dict[str, list[Mapping[str, Any]]] = {}
    for event in events:
        match = LEGACY_ID.match(event["id"])
        if match is not None:
            by_row.setdefault(match.group(1), []).append(event)
    rows = sorted(
        ((_row_of(parts), parts) for _digest, parts in sorted(by_row.items())),
        key=lambda item: item[0].start.instant,
    )
    groups: dict[GroupKey, tuple[list[DatasetRow], list[Mapping[str, Any]]]] = {}
    for row, parts in rows:
        rebuilt, made_of = groups.setdefault((row.source, row.night), ([], []))
        rebuilt.append(row)
        made_of.extend(parts)
    return groups


def _row_of(events: Sequence[Mapping[str, Any]]) -> DatasetRow:
    first = events[0]
    occurred: datetime = first["occurred_at"]
    start = end = None
    source = first.get("source") or "kaggle:unknown"
    match = _NOTE.match(first.get("note") or "")
    if match is not None:
        try:
            start, end = parse_kyiv_time(match.group(1)), parse_kyiv_time(match.group(2))
            source = match.group(3).strip()
        except ValueError:
            start = end = None
    if start is None or end is None:
        # No readable note: the events' instant (the row's window start) is all there is.
        start = end = parse_kyiv_time(occurred.astimezone(KYIV).strftime("%Y-%m-%d %H:%M"))
    counts = {event["kind"]: int(event["count"]) for event in events}
    figures = {figure: counts.get(kind) for figure, kind in _KINDS}
    return DatasetRow(
        line=0,
        start=start,
        end=end,
        model=str(first.get("model") or "unknown"),
        weapon=first.get("weapon") or "unknown",
        **figures,
        still_attacking=None,
        hit_locations=None,
        debris_locations=None,
        affected_regions=(),
        launch_place="",
        target="",
        target_main="",
        source=source,
    )
