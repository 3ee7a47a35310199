"""The `skywatch` command: the commands that talk to a server over HTTP, and the dispatch.

`serve` and `db` run the server itself (backend/cli/serve.py, backend/cli/backup.py).
"""

# Every module a command needs is imported inside that command: `skywatch --help` must not
# pay for SQLAlchemy, pydantic and httpx (about 4 s on a loaded machine before this).
from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from backend.cli.arguments import parser

if TYPE_CHECKING:
    from backend.cli.load import LoadReport
    from backend.config import Settings


def _local_token(settings: Settings) -> str | None:
    from backend.auth import read_token_file

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
    import httpx

    from backend.cli.load import LoadError, load_file

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
    from backend.cli.import_csv import run_import

    return run_import(args, lambda: _write_token(args, settings, "import-csv"))


def _import_alerts(args: argparse.Namespace, settings: Settings) -> int:
    from backend.cli import import_alerts

    return import_alerts.run_import(args, lambda: _write_token(args, settings, "import-alerts"))


def _read_token(args: argparse.Namespace, settings: Settings) -> str | None:
    """--token, else the local one; None is fine where reading is open."""
    token: str | None = args.token or _local_token(settings)
    return token


def _record(args: argparse.Namespace, settings: Settings) -> int:
    from websockets.exceptions import WebSocketException

    from backend.cli.record import record

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
    import httpx

    from backend.cli.load import LoadError
    from backend.cli.repost import repost_file

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
    import httpx

    from backend.cli.record import bearer

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
    from backend.cli.parse_report import run as run_parse_report

    return run_parse_report(args, lambda: _write_token(args, settings, "parse-report"))


def _follow(args: argparse.Namespace, settings: Settings) -> int:
    from backend.cli import follow as follow_command

    return follow_command.run(args, lambda: _local_token(settings))


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from backend.cli.serve import serve

    return serve(args, settings)


def _db(args: argparse.Namespace, settings: Settings) -> int:
    from backend.cli import backup, serve

    if args.db_command == "backup":
        return backup.backup(args.file, settings)
    if args.db_command == "restore":
        return backup.restore(args.file, settings)
    return serve.upgrade(settings)


_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "serve": _serve,
    "db": _db,
    "load": _load,
    "import-csv": _import_csv,
    "import-alerts": _import_alerts,
    "record": _record,
    "replay": _replay,
    "report": _report,
    "follow": _follow,
    "parse-report": _parse_report,
}


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not verbose:
        # httpx logs a line per request at INFO (thousands during a replay), alembic one per
        # plugin at every start.
        for name in ("httpx", "httpcore", "websockets", "alembic.runtime.plugins"):
            logging.getLogger(name).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    words = sys.argv[1:] if argv is None else argv
    args = parser(words).parse_args(words)
    _configure_logging(args.verbose)
    from backend.config import Settings

    settings = Settings()
    return _COMMANDS[args.command](args, settings)


if __name__ == "__main__":
    sys.exit(main())
