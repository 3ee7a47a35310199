"""`skywatch import-alerts`: the official air-raid alert record posted as alert events.

The file (the air raid sirens dataset's format, English or Ukrainian names) is read and
converted by backend/domain/alert_history.py: each alert becomes an alert_start and an
alert_end with ids derived from the alert, so importing twice, or over the demo night's seed,
stores each alert once. Events go to POST /api/v1/events in batches; each batch is atomic, so
a run stopped half way is finished by running it again.

A row that cannot be read is reported with its line and why; nothing is posted then, unless
--skip-bad, which posts the rest.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from backend.cli.batch_post import BatchRefusedError, post_records
from backend.domain.alert_history import AlertFileError, Conversion, convert

DEFAULT_BATCH_EVENTS = 5000
MAX_BATCH_EVENTS = 10_000  # the server's default SKYWATCH_MAX_BATCH_EVENTS


def convert_file(path: Path, args: argparse.Namespace) -> Conversion:
    """The file's alerts for the arguments' nights (UTF-8, a byte order mark tolerated)."""
    with path.open(newline="", encoding="utf-8-sig") as stream:
        return convert(
            stream, first=args.date_from, last=args.date_to, permanent=args.permanent_alerts
        )


def events_of(conversion: Conversion) -> list[dict[str, Any]]:
    """Every alert's events, in time order (a replay reads them as they happened)."""
    events = [event for alert in conversion.alerts for event in alert.events()]
    events.sort(key=lambda event: event["occurred_at"])
    return events


def post_events(
    events: Sequence[dict[str, Any]],
    *,
    url: str,
    token: str,
    batch_size: int = DEFAULT_BATCH_EVENTS,
    client: httpx.Client | None = None,
) -> tuple[int, int]:
    """POST the events in batches; (accepted, duplicates). BatchRefusedError when the server
    refuses a batch (the batches before it stay stored)."""
    size = max(1, min(batch_size, MAX_BATCH_EVENTS))
    return post_records(
        events,
        url=url,
        path="/api/v1/events",
        token=token,
        size=size,
        noun="event",
        progress="posting alerts",
        timeout=120.0,
        client=client,
    )


def summarize(conversion: Conversion, name: str, seconds: float) -> str:
    """The one line at the end: rows, alerts, skipped, seconds."""
    outside = f", {conversion.outside} outside the nights asked for" if conversion.outside else ""
    return (
        f"{name}: {conversion.rows} rows, {len(conversion.alerts)} alerts "
        f"({conversion.events} events), {len(conversion.problems)} skipped{outside}, "
        f"{seconds:.1f} s"
    )


def run_import(args: argparse.Namespace, write_token: Callable[[], str | None]) -> int:
    """`skywatch import-alerts` with its parsed arguments; the exit status."""
    began = time.monotonic()
    # One line per batch from httpx would bury the progress bar and the summary.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.date_from and args.date_to and args.date_from > args.date_to:
        print("skywatch import-alerts: --from is after --to", file=sys.stderr)
        return 2
    try:
        conversion = convert_file(args.file, args)
    except (OSError, UnicodeDecodeError, AlertFileError) as error:
        print(f"skywatch import-alerts: {args.file}: {error}", file=sys.stderr)
        return 1
    for problem in conversion.problems:
        print(f"{args.file}:{problem.line}: {problem.message}", file=sys.stderr)
    if conversion.problems and not args.skip_bad:
        print(
            f"skywatch import-alerts: {len(conversion.problems)} bad row(s), nothing imported "
            "(--skip-bad imports the rest)",
            file=sys.stderr,
        )
        return 1
    events = events_of(conversion)
    posted = ""
    if not args.dry_run:
        token = write_token()
        if token is None:
            return 2
        try:
            accepted, duplicates = post_events(
                events, url=args.url, token=token, batch_size=args.batch_size
            )
        except BatchRefusedError as error:
            print(f"skywatch import-alerts: {args.file}: {error}", file=sys.stderr)
            return 1
        except (OSError, httpx.HTTPError) as error:
            print(f"skywatch import-alerts: {args.url}: {error}", file=sys.stderr)
            return 1
        posted = f"; {accepted} events accepted, {duplicates} duplicates"
    print(summarize(conversion, str(args.file), time.monotonic() - began) + posted)
    return 0


def add_parser(commands: Any, default_url: str, batch_size: Callable[[str], int]) -> None:
    """The `import-alerts` subcommand's arguments."""
    parser = commands.add_parser(
        "import-alerts",
        help="post the official air-raid alert record (air raid sirens dataset CSV) as alert "
        "events",
        description="Each row (oblast,raion,hromada,level,started_at,finished_at,source; UTC) "
        "becomes an alert_start and an alert_end with stable ids: importing twice changes "
        "nothing. Level oblast is a whole-oblast alert; raion and hromada are local alerts "
        "(area: the raion or hromada); a merged-file interval over 24 hours is a local alert "
        "of 'part of the oblast'.",
    )
    parser.add_argument("file", type=Path, help="e.g. seeds/data/air_raid_sirens_*.csv")
    parser.add_argument("--url", default=default_url)
    parser.add_argument("--token", default=None, help="write token (default: the local one)")
    parser.add_argument(
        "--from",
        dest="date_from",
        type=_night,
        default=None,
        help="only alerts on during the nights from this one (YYYY-MM-DD, the night's label: "
        "12:00 the day before to 12:00 that day, Kyiv time)",
    )
    parser.add_argument(
        "--to", dest="date_to", type=_night, default=None, help="up to this night (YYYY-MM-DD)"
    )
    parser.add_argument("--dry-run", action="store_true", help="read and count; post nothing")
    parser.add_argument(
        "--skip-bad", action="store_true", help="import the other rows when some cannot be read"
    )
    parser.add_argument(
        "--permanent-alerts",
        action="store_true",
        help="also post the permanent alerts the record leaves out: Luhansk oblast since "
        "2022-04-04 16:45 UTC and Crimea since 2022-12-10 22:22 UTC (a start, no end)",
    )
    parser.add_argument(
        "--batch-size",
        type=batch_size,
        default=DEFAULT_BATCH_EVENTS,
        help=f"events per POST (1-{MAX_BATCH_EVENTS})",
    )


def _night(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
