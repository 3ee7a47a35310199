"""`skywatch import-csv`: the Air Force dataset's CSV as official reports, not events.

The file is read row by row (backend/domain/dataset_rows.py); each post's rows of a night
become one report (backend/domain/dataset_reports.py: national for the Air Force's posts,
regional for the air commands'), posted to POST /api/v1/reports in batches. A report never
adds to the observed events: the night's page shows both. Report ids are derived from the
post and night, so importing the same file twice changes nothing.

A row the format cannot read is reported with its line; with --skip-bad the other posts are
imported, but never a post with a bad row (its report would be short of that row's figures
under the id of the whole post's report).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import httpx
import orjson

from backend.cli.batch_post import BatchRefusedError, post_records
from backend.domain.dataset_reports import Notice, reports_of
from backend.domain.dataset_rows import (
    CsvFormatError,
    DatasetRow,
    is_regional,
    parse_row,
    read_records,
)

__all__ = [
    "CsvFormatError",
    "ImportResult",
    "Problem",
    "import_csv",
    "import_file",
]

# The API's limit on the reports of one POST (backend/api/routes/reports.py MAX_BATCH_REPORTS;
# the CLI reaches the server only over HTTP, so a test checks the two agree).
MAX_BATCH_REPORTS = 1000
Problem = Notice


@dataclass(slots=True)
class ImportResult:
    """Reports made from a file, and what was skipped, refused or worth a warning."""

    reports: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    national_rows: int = 0
    regional_rows: int = 0
    other_nights: int = 0
    left_out_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def nights(self) -> list[date]:
        """The nights the reports are of, oldest first."""
        return sorted({date.fromisoformat(report["night"]) for report in self.reports})

    @property
    def national(self) -> int:
        """How many of the reports are national."""
        return sum(1 for report in self.reports if report["scope"] == "national")


def import_csv(stream: TextIO, *, nights: Collection[date] | None = None) -> ImportResult:
    """The reports of every post (of the given nights only, if any), oldest night first."""
    result = ImportResult()
    rows: list[DatasetRow] = []
    bad_posts: set[str] = set()
    for line, record in read_records(stream):
        result.rows += 1
        if isinstance(record, str):
            result.problems.append(Problem(line, record))
            continue
        try:
            row = parse_row(line, record)
        except ValueError as error:
            result.problems.append(Problem(line, str(error)))
            bad_posts.add(record["source"].strip())
            continue
        if nights is not None and row.night not in nights:
            result.other_nights += 1
            continue
        if is_regional(row.source):
            result.regional_rows += 1
        else:
            result.national_rows += 1
        rows.append(row)
    kept = [row for row in rows if row.source not in bad_posts]
    result.left_out_rows = len(rows) - len(kept)
    conversion = reports_of(kept)
    result.reports = conversion.reports
    result.warnings = conversion.warnings
    result.problems.extend(conversion.refused)
    result.problems.sort(key=lambda problem: problem.line)
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
    left_out = ""
    if result.left_out_rows:
        left_out = f", {result.left_out_rows} left out with their post"
    regional = len(result.reports) - result.national
    return (
        f"{name}: {result.rows} rows: {result.national_rows} national, "
        f"{result.regional_rows} regional{other}, {len(result.problems)} bad{left_out}; "
        f"{_plural(len(result.reports), 'report')} ({result.national} national, "
        f"{regional} regional) over {_plural(len(nights), 'night')}{span}"
    )


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def write_jsonl(reports: Sequence[Mapping[str, Any]], path: Path) -> None:
    """Write reports as JSON Lines, one POST /api/v1/reports body per line (keys sorted)."""
    with path.open("wb") as handle:
        for report in reports:
            handle.write(orjson.dumps(report, option=orjson.OPT_SORT_KEYS) + b"\n")


def post_reports(
    reports: Sequence[Mapping[str, Any]],
    *,
    url: str,
    token: str,
    batch_size: int = MAX_BATCH_REPORTS,
    client: httpx.Client | None = None,
) -> tuple[int, int]:
    """POST the reports in batches (each atomic); (accepted, duplicates).

    BatchRefusedError when the server refuses a batch: the batches before it stay stored, and
    posting the file again adds only what was missing.
    """
    size = max(1, min(batch_size, MAX_BATCH_REPORTS))
    return post_records(
        reports,
        url=url,
        path="/api/v1/reports",
        token=token,
        size=size,
        noun="report",
        progress="posting reports",
        timeout=60.0,
        client=client,
    )


def run_import(args: argparse.Namespace, write_token: Callable[[], str | None]) -> int:
    """`skywatch import-csv` with its parsed arguments; the exit status."""
    try:
        result = import_file(args.file, nights=args.night)
    except (OSError, UnicodeDecodeError, CsvFormatError) as error:
        print(f"skywatch import-csv: {args.file}: {error}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(f"{args.file}:{problem.line}: {problem.message}", file=sys.stderr)
    for warning in result.warnings:
        print(f"{args.file}:{warning.line}: warning: {warning.message}", file=sys.stderr)
    print(summarize(result, str(args.file)))
    if result.problems and not args.skip_bad:
        print(
            f"skywatch import-csv: {len(result.problems)} bad row(s), nothing imported "
            "(--skip-bad imports the posts without one)",
            file=sys.stderr,
        )
        return 1
    if args.dry_run:
        return 0
    if args.output:
        write_jsonl(result.reports, args.output)
        print(f"{args.output}: {len(result.reports)} reports written")
        return 0
    token = write_token()
    if token is None:
        return 2
    try:
        accepted, duplicates = post_reports(
            result.reports, url=args.url, token=token, batch_size=args.batch_size
        )
    except BatchRefusedError as error:
        print(f"skywatch import-csv: {args.file}: {error}", file=sys.stderr)
        return 1
    except (OSError, httpx.HTTPError) as error:
        print(f"skywatch import-csv: {args.url}: {error}", file=sys.stderr)
        return 1
    print(f"{accepted} reports accepted, {duplicates} duplicates")
    return 0
