"""The `skywatch` command line's arguments, built without importing any command's module.

Only the command being run gets its flags (and imports what declares them), so that neither
`skywatch --help` nor one command pays for the modules of the others.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

DESCRIPTION = """skywatch: store, stream and replay a night of aerial attacks on Ukraine.

serve and db (upgrade, backup, restore) run the service and its database; load, import-csv,
import-alerts, record, replay, report, parse-report and follow talk to a running server over
HTTP. `skywatch COMMAND --help` lists a command's flags."""

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


def _serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument(
        "--demo", action="store_true", help="load the night of 3-4 July 2025 into an empty store"
    )


def _load_arguments(load: argparse.ArgumentParser) -> None:
    load.add_argument("file", type=Path)
    load.add_argument("--url", default=os.environ.get("SKYWATCH_URL", DEFAULT_URL))
    load.add_argument("--token", default=None, help="write token (default: the local one)")
    load.add_argument("--batch-size", type=_batch_size, default=1000, help="1-10000 events")


def _import_csv_arguments(imports: argparse.ArgumentParser) -> None:
    from backend.cli.import_csv import MAX_BATCH_REPORTS

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


def _record_arguments(rec: argparse.ArgumentParser) -> None:
    rec.add_argument("--url", default=os.environ.get("SKYWATCH_URL", DEFAULT_URL))
    rec.add_argument(
        "--night", type=_night, default=None, help="YYYY-MM-DD (default: the current night)"
    )
    rec.add_argument("--duration", type=float, default=None, help="stop after N seconds")
    rec.add_argument("--token", default=None, help=_READ_TOKEN_HELP)


def _replay_arguments(rep: argparse.ArgumentParser) -> None:
    rep.add_argument("file", type=Path)
    rep.add_argument("--url", default=os.environ.get("SKYWATCH_URL", DEFAULT_URL))
    rep.add_argument("--token", default=None, help="write token (default: the local one)")
    rep.add_argument("--speed", type=float, default=60.0, help="times faster than real time")
    rep.add_argument(
        "--rebase-now", action="store_true", help="shift times so the first event is now"
    )


def _report_arguments(report: argparse.ArgumentParser) -> None:
    report.add_argument("night", type=date.fromisoformat, help="YYYY-MM-DD")
    report.add_argument("-o", "--output", type=Path, default=None)
    report.add_argument("--url", default=os.environ.get("SKYWATCH_URL", DEFAULT_URL))
    report.add_argument("--token", default=None, help=_READ_TOKEN_HELP)


def _parse_report_arguments(parse_report: argparse.ArgumentParser) -> None:
    from backend.cli.parse_report import add_arguments

    add_arguments(parse_report, DEFAULT_URL)


def _db_arguments(db: argparse.ArgumentParser) -> None:
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply migrations up to the newest")
    backup = db_commands.add_parser(
        "backup", help="copy the SQLite database to FILE, consistent while the server runs"
    )
    backup.add_argument("file", type=Path)
    restore = db_commands.add_parser(
        "restore", help="replace the SQLite database with FILE (stop the server first)"
    )
    restore.add_argument("file", type=Path)


Arguments = Callable[[argparse.ArgumentParser], None]
# name: (help, the function adding its flags); only the command being run gets its flags, so
# that neither `skywatch --help` nor a command imports the modules of the others.
_SIMPLE: dict[str, tuple[str, Arguments]] = {
    "serve": ("run the API and dashboard", _serve_arguments),
    "load": ("post a JSON Lines recording to a server", _load_arguments),
    "import-csv": (
        "post the Air Force dataset's CSV to a server as official reports (one per post "
        "and night; national and regional), never as events",
        _import_csv_arguments,
    ),
    "import-alerts": (
        "post the official air-raid alert record (air raid sirens dataset CSV) as alert events",
        lambda _parser: None,  # replaced below: import_alerts adds its own parser
    ),
    "record": ("write the live stream as JSON Lines to stdout", _record_arguments),
    "replay": ("post a recording into a server as if live", _replay_arguments),
    "report": ("save a night's self-contained HTML report", _report_arguments),
    "parse-report": (
        "read an Air Force morning post (kpszsu) into a report (JSON)",
        _parse_report_arguments,
    ),
    "follow": (
        "poll a live alert feed and post every change to a server as alert events",
        lambda _parser: None,  # replaced below: follow adds its own parser
    ),
    "db": ("database maintenance: upgrade, backup, restore", _db_arguments),
}


def _add_own_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str
) -> bool:
    """The commands whose modules declare their own parser; False for the others."""
    if name == "import-alerts":
        from backend.cli import import_alerts

        import_alerts.add_parser(commands, os.environ.get("SKYWATCH_URL", DEFAULT_URL), _batch_size)
        return True
    if name == "follow":
        from backend.cli import follow

        follow.add_parser(commands, os.environ.get("SKYWATCH_URL", DEFAULT_URL))
        return True
    return False


def parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skywatch",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log every HTTP request (httpx INFO lines)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    chosen = next((word for word in argv if not word.startswith("-")), None)
    for name, (help_text, arguments) in _SIMPLE.items():
        if name == chosen and _add_own_parser(commands, name):
            command = commands.choices[name]
        else:
            command = commands.add_parser(name, help=help_text)
            if name == chosen:
                arguments(command)
        # After the command too (`skywatch replay --verbose ...`); SUPPRESS keeps the top one.
        command.add_argument(
            "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log more"
        )
    return parser
