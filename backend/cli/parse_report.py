"""`skywatch parse-report FILE.txt`: read an Air Force morning post (kpszsu) into a report.

Parsing runs here, offline, with the same parser as POST /api/v1/reports/parse
(backend.domain.kpszsu); the report is printed as JSON, and with --post stored through
POST /api/v1/reports. `--url` is the post's URL, as the issue names it (it goes into the
report); the server is `--server`, since in this command `--url` already has that meaning.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import orjson

from backend.cli.record import bearer
from backend.domain.kpszsu import PostError, parse_post
from backend.domain.times import parse_rfc3339


def _instant(text: str) -> datetime:
    try:
        value = parse_rfc3339(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} {error}") from None
    assert isinstance(value, datetime)  # parse_rfc3339 answers a datetime for a string
    return value


def add_arguments(command: argparse.ArgumentParser, default_server: str) -> None:
    """The command's flags."""
    command.add_argument("file", help="the post as a text file, or - for standard input")
    command.add_argument(
        "--issued-at",
        type=_instant,
        default=None,
        help="when the post was issued, RFC 3339; gives the year (default: its 'станом на' time)",
    )
    command.add_argument("--url", default=None, help="the post's URL (kept in the report)")
    command.add_argument("--post", action="store_true", help="store it: POST /api/v1/reports")
    command.add_argument("--token", default=None, help="write token for --post")
    command.add_argument(
        "--server",
        default=os.environ.get("SKYWATCH_URL", default_server),
        help="the server --post stores it on (default: SKYWATCH_URL, else %(default)s)",
    )


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    return Path(file).read_text(encoding="utf-8")


def run(args: argparse.Namespace, write_token: Callable[[], str | None]) -> int:
    """Print the parsed report; with --post store it. 0 on success, 1 on a refusal, 2 usage."""
    try:
        parsed = parse_post(_read(args.file), issued_at=args.issued_at, url=args.url)
    except (OSError, UnicodeDecodeError) as error:
        print(f"skywatch parse-report: {args.file}: {error}", file=sys.stderr)
        return 1
    except PostError as error:
        print(f"skywatch parse-report: {args.file}: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(orjson.dumps(parsed.report, option=orjson.OPT_INDENT_2).decode() + "\n")
    for sentence in parsed.unparsed:
        print(f"unparsed: {sentence}", file=sys.stderr)
    for warning in parsed.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.post:
        return 0
    token = write_token()
    if token is None:
        return 2
    return _store(parsed.report, args.server, token)


def _store(report: dict[str, Any], server: str, token: str) -> int:
    headers = {**bearer(token), "Content-Type": "application/json"}
    try:
        answer = httpx.post(
            f"{server}/api/v1/reports", content=orjson.dumps(report), headers=headers, timeout=30
        )
    except httpx.HTTPError as error:
        print(f"skywatch parse-report: {server}: {error}", file=sys.stderr)
        return 1
    if answer.status_code not in (200, 201):
        print(f"skywatch parse-report: HTTP {answer.status_code}: {answer.text}", file=sys.stderr)
        return 1
    state = "stored" if answer.status_code == 201 else "already stored"
    print(f"report {report['id']} {state} on {server}", file=sys.stderr)
    return 0
