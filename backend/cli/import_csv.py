"""Turn the national rows of the Kaggle Air Force dataset into event records (wire format).

The dataset ("Massive Missile Attacks on Ukraine", Petro Ivaniuk, from Ukrainian Air Force
reports) has one row per weapon model and report window. Each national row becomes up to three
events at the window's start: `launch` (launched), `shot_down` (destroyed) and `suppressed`
(not_reach_goal, lost to electronic warfare). Ids are derived from the row, so importing the
same file twice changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

import orjson

from backend.domain.nights import KYIV, night_of
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
# (CSV column, event kind), in the order a row's events are listed.
FIGURE_KINDS = (
    ("launched", "launch"),
    ("destroyed", "shot_down"),
    ("not_reach_goal", "suppressed"),
)
# Regional air commands (South, East, West, Centre) re-report events already in the national
# figures; adding them would count those events twice.
REGIONAL_SOURCES = ("pvkpivden", "pvkshid", "pvkzahid", "pvkcenter")
MAX_COUNT = 10_000
MODEL_LENGTH = 64

# Every weapon named in the dataset's `model` column. A combined model ("X-101/X-555 and
# Kalibr") is split on " and "; it gets the class its parts share, else "unknown".
# - Shahed-136/131: the Air Force's count of "Shahed attack drones and decoys of other types"
#   (Gerbera, Parody, ...) together, so it is "drone"; the dataset never separates decoys.
# - Reconnaissance and loitering UAVs (Orlan, ZALA, Supercam, Lancet, KUB, Molniya, ...) are
#   drones too: "decoy" is kept for what a report calls a decoy, which no row does.
# - S-300/S-400 fired at ground targets and Kinzhal fly ballistic paths: ballistic.
# - Air-launched guided missiles that fly aerodynamically (Kh-22/32, Kh-31, Kh-35, Kh-59/69)
#   count with cruise missiles, as do Zircon, Oniks and the small Banderol.
_PART_WEAPONS: dict[str, Weapon] = {
    "Shahed-136/131": "drone",
    "Unknown UAV": "drone",
    "Reconnaissance UAV": "drone",
    "Lancet": "drone",
    "Kub": "drone",
    "Orlan-10": "drone",
    "Orlan-30": "drone",
    "ZALA": "drone",
    "Supercam": "drone",
    "Merlin-VR": "drone",
    "Mohajer-6": "drone",
    "Orion": "drone",
    "Forpost": "drone",
    "Eleron": "drone",
    "Granat-4": "drone",
    "Картограф": "drone",  # Kartograf reconnaissance UAV
    "Молнія": "drone",  # Molniya fixed-wing strike UAV
    "Привет-82": "drone",  # Privet-82 strike UAV
    "Фенікс": "drone",  # Feniks reconnaissance UAV
    "X-101/X-555": "cruise_missile",
    "Kalibr": "cruise_missile",
    "Iskander-K": "cruise_missile",
    "3M22 Zircon": "cruise_missile",
    "P-800 Oniks": "cruise_missile",
    "Banderol": "cruise_missile",
    "X-22": "cruise_missile",
    "X-32": "cruise_missile",
    "X-31": "cruise_missile",
    "X-31P": "cruise_missile",
    "X-31PD": "cruise_missile",
    "X-35": "cruise_missile",
    "X-59": "cruise_missile",
    "X-59MK2": "cruise_missile",
    "X-59/X-69": "cruise_missile",
    "X-69": "cruise_missile",
    "Iskander-M": "ballistic_missile",
    "Iskander-M/KN-23": "ballistic_missile",
    "KN-23": "ballistic_missile",
    "X-47 Kinzhal": "ballistic_missile",
    "C-300": "ballistic_missile",
    "C-400": "ballistic_missile",
    "C-300/C-400": "ballistic_missile",
    "Ballistic Missile": "ballistic_missile",
    "Intercontinental Ballistic Missile": "ballistic_missile",
    "GBU": "guided_bomb",
    "Aerial Bomb": "guided_bomb",
    "Unknown Missile": "unknown",
}
_PARTS = {part.casefold(): weapon for part, weapon in _PART_WEAPONS.items()}
_KIND_ORDER = {kind: index for index, (_, kind) in enumerate(FIGURE_KINDS)}

_SPACES = re.compile(r"\s+")
_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]+/", re.IGNORECASE)


class CsvFormatError(Exception):
    """The file is not the dataset's CSV (no header, or required columns missing)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A row that could not be imported, with its line in the file (the header is line 1)."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class KyivTime:
    """A report time: the instant, and whether the file gave a time of day at all."""

    instant: datetime
    has_time: bool

    @property
    def text(self) -> str:
        """Kyiv local time as the report gives it, cleaned (`2025-07-03 18:00` or a date)."""
        return self.instant.strftime("%Y-%m-%d %H:%M" if self.has_time else "%Y-%m-%d")


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One national report row, parsed."""

    line: int
    start: KyivTime
    end: KyivTime
    model: str
    weapon: Weapon
    figures: Mapping[str, int]
    launch_place: str
    target: str
    source: str

    @property
    def night(self) -> date:
        """The night the whole row belongs to: that of its window's start."""
        return night_of(self.start.instant)

    def key(self, ordinal: int = 0) -> str:
        """The fields that identify the row; `ordinal` tells identical rows apart."""
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


@dataclass(slots=True)
class ImportResult:
    """Events made from a file, and what was skipped or refused."""

    events: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    national_rows: int = 0
    regional_skipped: int = 0
    other_nights: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def nights(self) -> list[date]:
        """The nights the events fall in, oldest first."""
        return sorted({night_of(datetime.fromisoformat(e["occurred_at"])) for e in self.events})


def weapon_of(model: str) -> Weapon | None:
    """The weapon class of a `model` string, or None when a part is not in the table."""
    parts = {_PARTS.get(_clean(part).casefold()) for part in re.split(r"\s+and\s+", model.strip())}
    if None in parts or not parts:
        return None
    weapons = {weapon for weapon in parts if weapon is not None}
    return weapons.pop() if len(weapons) == 1 else "unknown"


def parse_kyiv_time(text: str) -> KyivTime:
    """Parse `2025-07-03 18:00`, `2023-05-16 3:30`, `2025-07-04` (padding, spaces lenient)."""
    match = _TIME.match(_clean(text))
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


def parse_figure(text: str) -> int:
    """A count column: `539.0` -> 539; blank (not reported) -> 0."""
    cleaned = text.strip()
    if not cleaned or cleaned.casefold() == "nan":
        return 0
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_integer() or value < 0:
        raise ValueError(f"{text!r} is not a whole number of weapons")
    if value > MAX_COUNT:
        raise ValueError(f"{text!r} is over the {MAX_COUNT} an event may carry")
    return int(value)


def is_regional(source: str) -> bool:
    """True for a regional air command's post (South, East, West, Centre)."""
    return _post_path(source).casefold().startswith(REGIONAL_SOURCES)


def short_source(source: str) -> str:
    """The posting account of a source path: `kpszsu/posts/...` -> `kpszsu`."""
    return _post_path(source).split("/", 1)[0] or "unknown"


def parse_row(line: int, record: Mapping[str, str]) -> ReportRow:
    """Parse one row; ValueError lists everything wrong with it."""
    errors: list[str] = []
    times: list[KyivTime] = []
    for column in ("time_start", "time_end"):
        try:
            times.append(parse_kyiv_time(record[column]))
        except ValueError as error:
            errors.append(f"{column} {error}")
    model = _clean(record["model"])
    weapon = weapon_of(model)
    if weapon is None:
        errors.append(f"model {record['model']!r} is not in the importer's weapon table")
    figures: dict[str, int] = {}
    for column, kind in FIGURE_KINDS:
        try:
            figures[kind] = parse_figure(record[column])
        except ValueError as error:
            errors.append(f"{column} {error}")
    if len(times) == 2 and _ends_before_start(times[0], times[1]):
        errors.append(f"window ends ({times[1].text}) before it starts ({times[0].text})")
    if errors or weapon is None:
        raise ValueError("; ".join(errors))
    return ReportRow(
        line=line,
        start=times[0],
        end=times[1],
        model=model,
        weapon=weapon,
        figures=figures,
        launch_place=_clean(record["launch_place"]),
        target=_clean(record["target"]),
        source=record["source"].strip(),
    )


def row_events(row: ReportRow, *, ordinal: int = 0) -> list[dict[str, Any]]:
    """The launch, shot_down and suppressed events of a row (zero figures make none)."""
    digest = hashlib.sha1(row.key(ordinal).encode(), usedforsecurity=False).hexdigest()[:12]
    note = f"report window {row.start.text} to {row.end.text} (Kyiv time); {row.source}"
    events = []
    for _, kind in FIGURE_KINDS:
        count = row.figures[kind]
        if count == 0:
            continue
        events.append(
            {
                "id": f"csv-{digest}-{kind}",
                "kind": kind,
                "weapon": row.weapon,
                "model": row.model[:MODEL_LENGTH],
                "count": count,
                "occurred_at": row.start.instant.isoformat(),
                "source": f"kaggle:{short_source(row.source)}"[:100],
                "note": note[:1000],
            }
        )
    return events


def read_rows(stream: TextIO) -> Iterator[tuple[int, Mapping[str, str] | str]]:
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


def import_csv(stream: TextIO, *, nights: Collection[date] | None = None) -> ImportResult:
    """Events of every national row (of the given nights only, if any), oldest first."""
    result = ImportResult()
    rows: list[ReportRow] = []
    for line, record in read_rows(stream):
        result.rows += 1
        if isinstance(record, str):
            result.problems.append(Problem(line, record))
            continue
        if is_regional(record["source"]):
            result.regional_skipped += 1
            continue
        try:
            row = parse_row(line, record)
        except ValueError as error:
            result.problems.append(Problem(line, str(error)))
            continue
        if nights is not None and row.night not in nights:
            result.other_nights += 1
            continue
        result.national_rows += 1
        rows.append(row)
    result.events = _events(rows)
    return result


def import_file(path: Path, *, nights: Collection[date] | None = None) -> ImportResult:
    """import_csv on a file (UTF-8, a byte order mark tolerated)."""
    with path.open(newline="", encoding="utf-8-sig") as stream:
        return import_csv(stream, nights=nights)


def summarize(result: ImportResult, name: str) -> str:
    """One line on what an import found."""
    nights = result.nights
    span = ""
    if nights:
        span = f" ({nights[0]})" if len(nights) == 1 else f" ({nights[0]} to {nights[-1]})"
    other = f", {result.other_nights} of other nights" if result.other_nights else ""
    return (
        f"{name}: {result.rows} rows: {result.national_rows} national, "
        f"{result.regional_skipped} regional rows skipped{other}, {len(result.problems)} bad; "
        f"{len(result.events)} events over {_plural(len(nights), 'night')}{span}"
    )


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def write_jsonl(events: Sequence[Mapping[str, Any]], path: Path) -> None:
    """Write events as a JSON Lines recording, one per line."""
    with path.open("wb") as handle:
        for event in events:
            handle.write(orjson.dumps(event) + b"\n")


def _events(rows: list[ReportRow]) -> list[dict[str, Any]]:
    seen: dict[str, int] = {}
    events: list[tuple[datetime, dict[str, Any]]] = []
    for row in rows:
        # Identical rows exist (two 1-missile rows of one post): number them in file order.
        ordinal = seen.get(row.key(), 0)
        seen[row.key()] = ordinal + 1
        events.extend((row.start.instant, event) for event in row_events(row, ordinal=ordinal))
    # By instant, not by text: offsets change at DST, so the strings do not sort.
    events.sort(key=lambda item: (item[0], _KIND_ORDER[item[1]["kind"]], item[1]["id"]))
    return [event for _, event in events]


def _ends_before_start(start: KyivTime, end: KyivTime) -> bool:
    # A date-only end means "during that day", so only its date can be compared.
    if not end.has_time:
        return end.instant.date() < start.instant.date()
    return end.instant < start.instant


def _post_path(source: str) -> str:
    return _URL_HOST.sub("", source.strip())


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
