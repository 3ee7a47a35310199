"""`skywatch import-csv`: a whole file of the Air Force dataset, read row by row.

Rows the dataset's format (backend/cli/csv_rows.py) cannot read are reported with their line;
regional command rows are skipped (they re-report national figures).
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import orjson

from backend.cli.csv_rows import (
    KIND_ORDER,
    REQUIRED_COLUMNS,
    ReportRow,
    is_regional,
    parse_row,
    row_events,
)
from backend.domain.nights import night_of


class CsvFormatError(Exception):
    """The file is not the dataset's CSV (no header, or required columns missing)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A row that could not be imported, with its line in the file (the header is line 1)."""

    line: int
    message: str


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
    events.sort(key=lambda item: (item[0], KIND_ORDER[item[1]["kind"]], item[1]["id"]))
    return [event for _, event in events]
