"""The `skywatch` command: its arguments, and the commands that talk to a server over HTTP.

`serve` and `db upgrade` run the server itself (backend/cli/serve.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
from websockets.exceptions import WebSocketException

from backend.auth import read_token_file
from backend.cli import follow as follow_command
from backend.cli import import_alerts
from backend.cli.import_csv import MAX_BATCH_REPORTS, run_import
from backend.cli.load import LoadError, LoadReport, load_file
from backend.cli.parse_report import add_arguments as parse_report_arguments
from backend.cli.parse_report import run as run_parse_report
from backend.cli.record import bearer, record
from backend.cli.repost import repost_file
from backend.cli.serve import serve, upgrade
from backend.config import Settings

DEFAULT_URL = "http://127.0.0.1:8000"
_READ_TOKEN_HELP = (
    "view or write token, needed when the server sets SKYWATCH_VIEW_TOKENS "
    "(default: SKYWATCH_TOKEN, else the local write token)"
)


def _batch_size(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError("must be between 1 and 10000")
    return value


def _night(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a night label (YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="skywatch", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the API and dashboard")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument(
        "--demo", action="store_true", help="load the night of 3-4 July 2025 into an empty store"
    )

    load = commands.add_parser("load", help="post a JSON Lines recording to a server")
    load.add_argument("file", type=Path)
    load.add_argument("--url", default=os.environ.get("SKYWATCH_URL", DEFAULT_URL))
    load.add_argument("--token", default=None, help="write token (default: the local one)")
    load.add_argument("--batch-size", type=_batch_size, default=1000, help="1-10000 events")

    imports = commands.add_parser(
        "import-csv",
        help="post the Air Force dataset's CSV to a server as official reports (one per post "
        "and night; national and regional), never as events",
    )
    imports.add_argument("file", type=Path, help="missile_attacks_daily.csv")
    imports.add_argument("--url", default=os.environ.get("SKYWATCH_URL", DEFAULT_URL))
    imports.add_argument("--token", default=None, help="write token (default: the local one)")
    imports.add_argument(
        "--batch-size",
        type=_batch_size,
        default=MAX_BATCH_REPORTS,
        help=f"reports per POST (at most {MAX_BATCH_REPORTS}, the server's limit)",
    )
    imports.add_argument(
        "--night", type=_night, action="append", help="only this night (YYYY-MM-DD); repeatable"
    )
    imports.add_argument("--dry-run", action="store_true", help="check and count; post nothing")
    imports.add_argument(
        "--skip-bad", action="store_true", help="import the posts without a bad row anyway"
    )
    imports.add_argument(
        "--output",
        type=Path,
        help="write the reports here as JSON Lines (one POST /api/v1/reports body a line) "
        "instead of posting",
    )

    import_alerts.add_parser(commands, os.environ.get("SKYWATCH_URL", DEFAULT_URL), _batch_size)

    rec = commands.add_parser("record", help="write the live stream as JSON Lines to stdout")
    rec.add_argument("--url", default=os.environ.get("SKYWATCH_URL", DEFAULT_URL))
    rec.add_argument(
        "--night", type=_night, default=None, help="YYYY-MM-DD (default: the current night)"
    )
    rec.add_argument("--duration", type=float, default=None, help="stop after N seconds")
    rec.add_argument("--token", default=None, help=_READ_TOKEN_HELP)

    rep = commands.add_parser("replay", help="post a recording into a server as if live")
    rep.add_argument("file", type=Path)
    rep.add_argument("--url", default=os.environ.get("SKYWATCH_URL", DEFAULT_URL))
    rep.add_argument("--token", default=None, help="write token (default: the local one)")
    rep.add_argument("--speed", type=float, default=60.0, help="times faster than real time")
    rep.add_argument(
        "--rebase-now", action="store_true", help="shift times so the first event is now"
    )

    report = commands.add_parser("report", help="save a night's self-contained HTML report")
    report.add_argument("night", type=date.fromisoformat, help="YYYY-MM-DD")
    report.add_argument("-o", "--output", type=Path, default=None)
    report.add_argument("--url", default=os.environ.get("SKYWATCH_URL", DEFAULT_URL))
    report.add_argument("--token", default=None, help=_READ_TOKEN_HELP)

    parse_report = commands.add_parser(
        "parse-report", help="read an Air Force morning post (kpszsu) into a report (JSON)"
    )
    parse_report_arguments(parse_report, DEFAULT_URL)

    follow_command.add_parser(commands, os.environ.get("SKYWATCH_URL", DEFAULT_URL))

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply migrations up to the newest")
    return parser


def _local_token(settings: Settings) -> str | None:
    if os.environ.get("SKYWATCH_TOKEN"):
        return os.environ["SKYWATCH_TOKEN"]
    if settings.api_tokens:
        return settings.api_tokens[0]
    return read_token_file(settings.token_file)


def _write_token(args: argparse.Namespace, settings: Settings, command: str) -> str | None:
    """--token, else the local one; None (after saying so) when there is none."""
    token: str | None = args.token or _local_token(settings)
    if token is None:
        print(
            f"skywatch {command}: no write token: pass --token or set SKYWATCH_TOKEN",
            file=sys.stderr,
        )
    return token


def _post_recording(
    command: str, path: Path, args: argparse.Namespace, token: str
) -> LoadReport | None:
    """Post a recording to --url; None (after saying why) when the file or server refused."""
    try:
        return load_file(path, url=args.url, token=token, batch_size=args.batch_size)
    except LoadError as error:
        print(f"skywatch {command}: {error}", file=sys.stderr)
    except (OSError, httpx.HTTPError) as error:
        print(f"skywatch {command}: {args.url}: {error}", file=sys.stderr)
    return None


def _load(args: argparse.Namespace, settings: Settings) -> int:
    token = _write_token(args, settings, "load")
    if token is None:
        return 2
    report = _post_recording("load", args.file, args, token)
    if report is None:
        return 1
    print(
        f"{args.file}: {report.lines} events, {report.accepted} accepted, "
        f"{report.duplicates} duplicates, {report.retracted} retracted"
    )
    return 0


def _import_csv(args: argparse.Namespace, settings: Settings) -> int:
    return run_import(args, lambda: _write_token(args, settings, "import-csv"))


def _import_alerts(args: argparse.Namespace, settings: Settings) -> int:
    return import_alerts.run_import(args, lambda: _write_token(args, settings, "import-alerts"))


def _read_token(args: argparse.Namespace, settings: Settings) -> str | None:
    """--token, else the local one; None is fine where reading is open."""
    token: str | None = args.token or _local_token(settings)
    return token


def _record(args: argparse.Namespace, settings: Settings) -> int:
    token = _read_token(args, settings)
    try:
        written = record(
            args.url,
            sys.stdout,
            night=None if args.night is None else args.night.isoformat(),
            duration=args.duration,
            token=token,
        )
    except KeyboardInterrupt:
        return 0
    except (OSError, WebSocketException) as error:
        print(f"skywatch record: {args.url}: {error}", file=sys.stderr)
        return 1
    print(f"recorded {written} events", file=sys.stderr)
    return 0


def _replay(args: argparse.Namespace, settings: Settings) -> int:
    token = _write_token(args, settings, "replay")
    if token is None:
        return 2
    if args.speed <= 0:
        print("skywatch replay: --speed must be above 0", file=sys.stderr)
        return 2
    try:
        posted = repost_file(
            args.file, url=args.url, token=token, speed=args.speed, rebase_now=args.rebase_now
        )
    except (LoadError, OSError, httpx.HTTPError) as error:
        print(f"skywatch replay: {error}", file=sys.stderr)
        return 1
    print(f"{args.file}: posted {posted} events")
    return 0


def _report(args: argparse.Namespace, settings: Settings) -> int:
    output: Path = args.output or Path(f"skywatch-{args.night}.html")
    headers = bearer(_read_token(args, settings))
    try:
        response = httpx.get(
            f"{args.url}/api/v1/nights/{args.night}/report", headers=headers, timeout=120
        )
    except httpx.HTTPError as error:
        print(f"skywatch report: {args.url}: {error}", file=sys.stderr)
        return 1
    if response.status_code != 200:
        print(f"skywatch report: HTTP {response.status_code}: {response.text}", file=sys.stderr)
        return 1
    output.write_bytes(response.content)
    print(f"{output}: report of the night {args.night} ({len(response.content):,} bytes)")
    return 0


def _parse_report(args: argparse.Namespace, settings: Settings) -> int:
    return run_parse_report(args, lambda: _write_token(args, settings, "parse-report"))


def _follow(args: argparse.Namespace, settings: Settings) -> int:
    return follow_command.run(args, lambda: _local_token(settings))


_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "serve": serve,
    "load": _load,
    "import-csv": _import_csv,
    "import-alerts": _import_alerts,
    "record": _record,
    "replay": _replay,
    "report": _report,
    "follow": _follow,
    "parse-report": _parse_report,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    if args.command == "db":
        return upgrade(settings)
    return _COMMANDS[args.command](args, settings)


if __name__ == "__main__":
    sys.exit(main())
