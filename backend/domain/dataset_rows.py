"""The rows of the Kaggle Air Force dataset ("Massive Missile Attacks on Ukraine"), parsed.

The dataset (Petro Ivaniuk, from Ukrainian Air Force reports, seeds/data/SOURCES.md) has one
row per weapon model and report window; the `source` column names the post the row was read
from. A blank figure is "not reported" and stays None here, never 0. Reading a stream and
parsing is all this module does: backend.domain.dataset_reports makes reports of the rows.
"""

from __future__ import annotations

import ast
import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TextIO

from backend.domain.dataset_weapons import clean, weapon_of
from backend.domain.nights import KYIV, night_of
from backend.domain.reports import MAX_FIGURE, Issuer
from backend.domain.schemas import Weapon

REQUIRED_COLUMNS = (
    "time_start",
    "time_end",
    "model",
    "launch_place",
    "target",
    "launched",
    "destroyed",
    "not_reach_goal",
    "source",
)
# Read when the file has them (the shipped one does); absent, they are "not reported".
OPTIONAL_FIGURES = (
    ("still_attacking", "still_attacking"),
    ("num_hit_location", "hit_locations"),
    ("num_fall_fragment_location", "debris_locations"),
)

# The regional air commands' accounts (South, East, West, Centre), by the start of the post
# path; their rows re-report events already in the national figures.
REGIONAL_ISSUERS: dict[str, Issuer] = {
    "pvkpivden": "air_command_south",
    "pvkshid": "air_command_east",
    "pvkzahid": "air_command_west",
    "pvkcenter": "air_command_center",
}
# National accounts other than the Air Force's own (kpszsu). Their posts count nationally:
# the dataset puts them among the national rows, often for a night the Air Force left out.
NATIONAL_ISSUERS: dict[str, Issuer] = {"kpszsu": "air_force", "generalstaff.ua": "general_staff"}

_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]+/", re.IGNORECASE)


class CsvFormatError(Exception):
    """The file is not the dataset's CSV (no header, required columns missing, bad quoting)."""


@dataclass(frozen=True, slots=True)
class KyivTime:
    """A report time: the instant, and whether the file gave a time of day at all.

    A date-only value is that day's 00:00 Kyiv time, the instant its night is reckoned from.
    """

    instant: datetime
    has_time: bool

    @property
    def text(self) -> str:
        """Kyiv local time as the report gives it, cleaned (`2025-07-03 18:00` or a date)."""
        return self.instant.strftime("%Y-%m-%d %H:%M" if self.has_time else "%Y-%m-%d")


@dataclass(frozen=True, slots=True)
class DatasetRow:
    """One row, parsed; figures are None where the row leaves them blank."""

    line: int
    start: KyivTime
    end: KyivTime
    model: str
    weapon: Weapon
    launched: int | None
    destroyed: int | None
    not_reach_goal: int | None
    still_attacking: int | None
    hit_locations: int | None
    debris_locations: int | None
    affected_regions: tuple[str, ...]
    launch_place: str
    target: str
    target_main: str
    source: str

    @property
    def night(self) -> date:
        """The night the whole row belongs to: that of its window's start."""
        return night_of(self.start.instant)

    def key(self, ordinal: int = 0) -> str:
        """The fields the earlier import-csv identified the row by (its event ids' digest);
        `ordinal` tells identical rows apart."""
        fields = (
            self.start.text,
            self.end.text,
            self.model,
            self.launch_place,
            self.target,
            self.source,
            str(ordinal),
        )
        return "\x1f".join(fields)


def parse_kyiv_time(text: str) -> KyivTime:
    """Parse `2025-07-03 18:00`, `2023-05-16 3:30`, `2025-07-04` (padding, spaces lenient)."""
    match = _TIME.match(clean(text))
    if match is None:
        raise ValueError(f"{text!r} is not a date or date and time")
    year, month, day, hour, minute, second = match.groups()
    try:
        local = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError as error:
        raise ValueError(f"{text!r}: {error}") from None
    # Through UTC and back: a time in the spring-forward gap becomes the real instant (03:30
    # on that night is 04:30 EEST); in the repeated autumn hour the first (summer) one is taken.
    instant = local.replace(tzinfo=KYIV).astimezone(UTC).astimezone(KYIV)
    return KyivTime(instant, has_time=hour is not None)


def parse_figure(text: str) -> int | None:
    """A count column: `539.0` -> 539; blank or NaN (not reported) -> None, never 0."""
    cleaned = text.strip()
    if not cleaned or cleaned.casefold() == "nan":
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_integer() or value < 0:
        raise ValueError(f"{text!r} is not a whole number of weapons")
    if value > MAX_FIGURE:
        raise ValueError(f"{text!r} is over the {MAX_FIGURE} a report figure may be")
    return int(value)


def parse_names(text: str) -> tuple[str, ...]:
    """The `affected region` column: a Python-style list of names (`['Kyiv', 'Kyiv oblast']`)."""
    if not text.strip():
        return ()
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        raise ValueError(f"{text!r} is not a list of names") from None
    if not isinstance(value, list | tuple) or not all(isinstance(name, str) for name in value):
        raise ValueError(f"{text!r} is not a list of names")
    return tuple(clean(name) for name in value if clean(name))


def post_path(source: str) -> str:
    """The source without its scheme and host: `https://t.me/kpszsu/1` -> `kpszsu/1`."""
    return _URL_HOST.sub("", source.strip())


def account_of(source: str) -> str:
    """The posting account of a source path: `kpszsu/posts/...` -> `kpszsu`."""
    return post_path(source).split("/", 1)[0] or "unknown"


def issuer_of(source: str) -> Issuer:
    """Who stated a post: a regional command, the Air Force, the General Staff, or other."""
    account = account_of(source).casefold()
    for prefix, issuer in REGIONAL_ISSUERS.items():
        if account.startswith(prefix):
            return issuer
    return NATIONAL_ISSUERS.get(account, "other")


def is_regional(source: str) -> bool:
    """True for a regional air command's post (South, East, West, Centre)."""
    return issuer_of(source) in REGIONAL_ISSUERS.values()


def parse_row(line: int, record: Mapping[str, str]) -> DatasetRow:
    """Parse one row; ValueError lists everything wrong with it."""
    errors: list[str] = []
    times: list[KyivTime] = []
    for column in ("time_start", "time_end"):
        try:
            times.append(parse_kyiv_time(record[column]))
        except ValueError as error:
            errors.append(f"{column} {error}")
    model = clean(record["model"])
    weapon = weapon_of(model)
    if weapon is None:
        errors.append(f"model {record['model']!r} is not in the importer's weapon table")
    figures: dict[str, int | None] = {}
    columns = [(name, name) for name in ("launched", "destroyed", "not_reach_goal")]
    for column, name in (*columns, *OPTIONAL_FIGURES):
        try:
            figures[name] = parse_figure(record.get(column, ""))
        except ValueError as error:
            errors.append(f"{column} {error}")
    regions: tuple[str, ...] = ()
    try:
        regions = parse_names(record.get("affected region", ""))
    except ValueError as error:
        errors.append(f"affected region {error}")
    if len(times) == 2 and _ends_before_start(times[0], times[1]):
        errors.append(f"window ends ({times[1].text}) before it starts ({times[0].text})")
    if not record["source"].strip():
        errors.append("source is blank: the row names no post")
    if errors or weapon is None:
        raise ValueError("; ".join(errors))
    return DatasetRow(
        line=line,
        start=times[0],
        end=times[1],
        model=model,
        weapon=weapon,
        **figures,
        affected_regions=regions,
        launch_place=clean(record["launch_place"]),
        target=clean(record["target"]),
        target_main=clean(record.get("target_main", "")),
        source=record["source"].strip(),
    )


def read_records(stream: TextIO) -> Iterator[tuple[int, Mapping[str, str] | str]]:
    """(first line, row as a mapping) per CSV record, or (line, message) for a malformed one."""
    reader = csv.reader(stream)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise CsvFormatError("the file is empty") from None
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise CsvFormatError(f"missing column(s): {', '.join(missing)}")
    previous = reader.line_num
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # The reader cannot resynchronise after this (an unclosed quote runs to the end).
            raise CsvFormatError(f"line {previous + 1}: {error}") from None
        # line_num is the record's last line; a quoted field may span several.
        first, previous = previous + 1, reader.line_num
        if not fields:
            continue
        if len(fields) != len(header):
            yield first, f"expected {len(header)} fields, found {len(fields)}"
            continue
        yield first, dict(zip(header, fields, strict=True))


def _ends_before_start(start: KyivTime, end: KyivTime) -> bool:
    # A date-only end means "during that day", so only its date can be compared.
    if not end.has_time:
        return end.instant.date() < start.instant.date()
    return end.instant < start.instant
