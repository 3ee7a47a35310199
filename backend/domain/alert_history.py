"""The official air-raid alert record (the "Ukrainian air raid sirens dataset") as alert events.

One row, `oblast,raion,hromada,level,started_at,finished_at,source` (UTC), is one alert; it
becomes an `alert_start` and an `alert_end` with ids derived from the alert itself (region,
area, start), so importing a file twice, or a night's seed and the whole file, counts each
alert once. The rules (seeds/data/SOURCES.md says why):

- `level` `oblast` is a whole-oblast alert (`area` absent); `raion` and `hromada` are local
  alerts with `area` the raion's or hromada's name, as the file spells it.
- The merged file (`source` "official, merged per oblast") joins every overlapping alert of
  an oblast into one interval; one longer than 24 hours is near-continuous alerts somewhere
  in the oblast (Kharkiv oblast: May 2024 to January 2026), so a local alert with `area`
  "part of the oblast", never a whole-oblast one.
- Some 2022 rows have oblast and raion swapped (`Lubenskyi raion,Poltavska oblast,...`).
- A blank `finished_at` is an alert still on when the file was written: a start only.
- Luhansk's and Crimea's permanent alerts are not in the record; `PERMANENT_ALERTS` holds
  their starts (the dataset's README), added only when asked for.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

from backend.domain.alert_names import is_raion, oblast_code
from backend.domain.nights import night_window

COLUMNS = ("oblast", "raion", "hromada", "level", "started_at", "finished_at", "source")
LEVELS = ("oblast", "raion", "hromada")
MERGED_SOURCE = "merged per oblast"
LONG_MERGED = timedelta(hours=24)
PART_OF_OBLAST = "part of the oblast"
SOURCE_PREFIX = "air raid sirens dataset"
MAX_AREA = 100  # EventIn.area's limit

# Not in the record: on since these instants (UTC), still on.
PERMANENT_ALERTS: tuple[tuple[str, datetime], ...] = (
    ("UA-09", datetime(2022, 4, 4, 16, 45, tzinfo=UTC)),  # Luhansk oblast
    ("UA-43", datetime(2022, 12, 10, 22, 22, tzinfo=UTC)),  # Crimea
)
PERMANENT_SOURCE = f"{SOURCE_PREFIX}, permanent alert (not in the record)"
# Regions the record holds no alert for at all: Luhansk oblast and Crimea under the permanent
# alerts above, Sevastopol never listed. No minutes stored for them means "not known", not
# "no alert" (their alert time reads "—", not 0 h).
NOT_IN_RECORD = frozenset({"UA-09", "UA-43", "UA-40"})


def alert_time_unknown(code: str, minutes: Mapping[str, float]) -> bool:
    """Whether a region's alert minutes are not known: outside the record, none stored."""
    return code in NOT_IN_RECORD and code not in minutes


class AlertFileError(Exception):
    """The file is not the record's CSV (no header, or its columns missing)."""


@dataclass(frozen=True, slots=True)
class HistoryAlert:
    """One alert of the record: where, and from when to when (None: still on)."""

    line: int
    region: str
    area: str | None
    started_at: datetime
    finished_at: datetime | None
    source: str

    @property
    def key(self) -> str:
        """What names the alert: region, area and start (UTC, to the second)."""
        return f"{self.region}|{self.area or ''}|{_utc_text(self.started_at)}"

    @property
    def id_stem(self) -> str:
        """The stable part of both event ids."""
        digest = hashlib.blake2b(self.key.encode("utf-8"), digest_size=8).hexdigest()
        return f"sirens-{digest}"

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether the alert is on at some instant of [start, end)."""
        return self.started_at < end and (self.finished_at is None or self.finished_at > start)

    def events(self) -> list[dict[str, Any]]:
        """The alert as POST /api/v1/events bodies: its start, and its end if it has one."""
        common: dict[str, Any] = {"region": self.region}
        if self.area is not None:
            common["area"] = self.area
        common["source"] = self.source
        stem = self.id_stem
        events = [
            {"id": f"{stem}-s", "kind": "alert_start", "occurred_at": _utc_text(self.started_at)}
            | common
        ]
        if self.finished_at is not None:
            end = {"id": f"{stem}-e", "kind": "alert_end"}
            events.append(end | {"occurred_at": _utc_text(self.finished_at)} | common)
        return events


def _utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _instant(value: str, column: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{column}: {value!r} is not a date-time") from None
    if parsed.tzinfo is None:
        # The record's times are UTC; the file says so with +00:00, but a bare time is too.
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _place(record: dict[str, str]) -> tuple[str, str, str]:
    """(region, raion, hromada), with oblast and raion put back where swapped."""
    oblast, raion, hromada = record["oblast"].strip(), record["raion"].strip(), record["hromada"]
    code = oblast_code(oblast) if oblast else None
    if code is None and raion and is_raion(oblast):
        swapped = oblast_code(raion)
        if swapped is not None:
            return swapped, oblast, hromada.strip()
    if code is None:
        raise ValueError(f"oblast: {oblast!r} is not an oblast of Ukraine")
    return code, raion, hromada.strip()


def _area(
    level: str, raion: str, hromada: str, duration: timedelta | None, source: str
) -> str | None:
    if level == "oblast":
        if MERGED_SOURCE in source and (duration is None or duration > LONG_MERGED):
            return PART_OF_OBLAST
        return None
    area = raion if level == "raion" else hromada
    if not area:
        raise ValueError(f"{level}: a {level}-level alert needs its {level} name")
    if len(area) > MAX_AREA:
        raise ValueError(f"{level}: {area[:40]!r}... is over {MAX_AREA} characters")
    return area


def parse_alert(line: int, record: dict[str, str]) -> HistoryAlert:
    """One row as an alert; ValueError names the column and why."""
    level = record["level"].strip().lower()
    if level not in LEVELS:
        raise ValueError(f"level: {record['level']!r} is not one of {', '.join(LEVELS)}")
    region, raion, hromada = _place(record)
    started_at = _instant(record["started_at"], "started_at")
    finished = record["finished_at"].strip()
    finished_at = _instant(finished, "finished_at") if finished else None
    if finished_at is not None and finished_at <= started_at:
        raise ValueError(f"finished_at: {finished} is not after started_at")
    source = record["source"].strip()
    duration = None if finished_at is None else finished_at - started_at
    area = _area(level, raion, hromada, duration, source)
    label = f"{SOURCE_PREFIX}, {source}" if source else SOURCE_PREFIX
    return HistoryAlert(line, region, area, started_at, finished_at, label[:100])


def read_rows(stream: TextIO) -> Iterator[tuple[int, dict[str, str] | str]]:
    """(line number, row) for every row; a row the CSV cannot split is (line, reason)."""
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is None:
        raise AlertFileError("empty file: no header")
    names = [name.strip().lstrip("\ufeff") for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise AlertFileError(f"not the alert record: missing columns {', '.join(missing)}")
    where = [names.index(column) for column in COLUMNS]
    width = len(names)
    for fields in reader:
        line = reader.line_num
        if not fields:
            continue
        if len(fields) != width:
            yield line, f"{len(fields)} fields, the header has {width}"
            continue
        yield line, {column: fields[index] for column, index in zip(COLUMNS, where, strict=True)}


def nights_span(first: date | None, last: date | None) -> tuple[datetime, datetime]:
    """[start, end) of the nights `first` to `last` (open ends: the whole record)."""
    start = night_window(first)[0] if first else datetime.min.replace(tzinfo=UTC)
    end = night_window(last)[1] if last else datetime.max.replace(tzinfo=UTC)
    return start, end


def permanent_alerts(end: datetime) -> list[HistoryAlert]:
    """Luhansk's and Crimea's permanent alerts, if they began before `end` (always on since)."""
    return [
        HistoryAlert(0, region, None, since, None, PERMANENT_SOURCE)
        for region, since in PERMANENT_ALERTS
        if since < end
    ]


@dataclass(slots=True)
class Problem:
    """A row that cannot be read: its line and why."""

    line: int
    message: str


@dataclass(slots=True)
class Conversion:
    """What a file holds: its alerts (of the span asked for) and the rows it could not read."""

    alerts: list[HistoryAlert] = field(default_factory=list)
    rows: int = 0
    outside: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def events(self) -> int:
        """How many events the alerts make."""
        return sum(2 if alert.finished_at is not None else 1 for alert in self.alerts)


def convert(
    stream: TextIO,
    *,
    first: date | None = None,
    last: date | None = None,
    permanent: bool = False,
) -> Conversion:
    """The alerts of the file overlapping the nights `first` to `last` (default: all), and
    with `permanent` Luhansk's and Crimea's permanent alerts."""
    start, end = nights_span(first, last)
    result = Conversion()
    for line, record in read_rows(stream):
        result.rows += 1
        if isinstance(record, str):
            result.problems.append(Problem(line, record))
            continue
        try:
            alert = parse_alert(line, record)
        except ValueError as error:
            result.problems.append(Problem(line, str(error)))
            continue
        if alert.overlaps(start, end):
            result.alerts.append(alert)
        else:
            result.outside += 1
    if permanent:
        result.alerts.extend(permanent_alerts(end))
    return result
