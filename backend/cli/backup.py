"""`skywatch db backup FILE` and `skywatch db restore FILE`: SQLite's online backup API.

The backup API copies the database page by page under SQLite's own locking, so a backup taken
while the server writes is a consistent snapshot (WAL frames included), which copying the
files is not. PostgreSQL has pg_dump for this (docs/operations.md).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from backend.config import Settings

# Restoring into a stopped server's file: copied in steps of this many pages.
_PAGES_PER_STEP = 1024


class BackupError(Exception):
    """The backup or restore could not be made; the message says why."""


def sqlite_path(settings: Settings) -> Path:
    """The configured SQLite database file; BackupError for another database."""
    url = make_url(settings.resolved_database_url())
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "only a SQLite database file can be backed up here; for PostgreSQL use pg_dump "
            "(docs/operations.md)"
        )
    return Path(url.database)


def _is_skywatch(path: Path) -> bool:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    return {"events", "alembic_version"} <= tables


def copy_database(source: Path, target: Path) -> None:
    """Copy `source` into `target` with the backup API (`target` replaced atomically)."""
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
            # One step, one read transaction: a write by another connection between two steps
            # starts the copy over, and a server taking writes all the time never let a copy
            # of a few megabytes finish. The server's WAL lets it write during the step.
            src.backup(dst, pages=-1)
        dst.close()
        src.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def backup(file: Path, settings: Settings) -> int:
    """Write a consistent copy of the live database to `file`."""
    try:
        database = sqlite_path(settings)
        if not database.exists():
            raise BackupError(f"no database at {database} yet (run skywatch db upgrade)")
        copy_database(database, file)
    except (BackupError, sqlite3.Error, OSError) as error:
        print(f"skywatch db backup: {error}", file=sys.stderr)
        return 1
    print(f"{file}: backup of {database} ({file.stat().st_size:,} bytes)")
    return 0


def restore(file: Path, settings: Settings) -> int:
    """Replace the database with the backup `file` (the server must be stopped)."""
    try:
        database = sqlite_path(settings)
        if not file.is_file():
            raise BackupError(f"{file}: no such file")
        if not _is_skywatch(file):
            raise BackupError(f"{file}: not a Skywatch database backup")
        database.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(file) as src, sqlite3.connect(database, timeout=1) as dst:
            # Into the live file, under its lock: its WAL is reset with it, never left stale.
            src.backup(dst, pages=_PAGES_PER_STEP)
        src.close()
        dst.close()
    except (BackupError, sqlite3.Error, OSError) as error:
        print(f"skywatch db restore: {error}", file=sys.stderr)
        return 1
    print(f"{database}: restored from {file}; run skywatch db upgrade if it is older")
    return 0
