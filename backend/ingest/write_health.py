"""Whether writes are failing, for /healthz and the log.

A full disk under the data directory fails every write while the database still answers a
ping, so /healthz asks this as well as the database. Failed writes are logged as an outage
(one line when they start, one a minute, one when they work again), not a warning per POST.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from backend.stream.outage_log import OutageLog

log = logging.getLogger("backend.ingest.writer")

# The file system refusing writes, whatever layer reports it.
_STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})
_SQLITE_FULL, _SQLITE_IOERR, _SQLITE_READONLY = 13, 10, 8
_POSTGRES_STORAGE = frozenset({"53100", "58030"})  # disk_full, io_error
# A probe that fits where a group commit does not is still a write that succeeds.
_PROBE_BYTES = 64 * 1024


def storage_failure(error: BaseException) -> str | None:
    """What the storage said, when the error is storage refusing a write; else None."""
    cause: BaseException | None = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(cause, OSError) and cause.errno in _STORAGE_ERRNOS:
        return os.strerror(cause.errno)
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", 0) & 0xFF
        if code in (_SQLITE_FULL, _SQLITE_IOERR, _SQLITE_READONLY):
            return str(cause)
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in _POSTGRES_STORAGE:
        return str(cause)
    return None


def _probe(directory: Path) -> bool:
    path = directory / f".skywatch-probe-{uuid.uuid4().hex}"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, b"\0" * _PROBE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)
        return True
    except OSError:
        return False
    finally:
        path.unlink(missing_ok=True)


class WriteHealth:
    """The writer's failures and successes; the storage problem while there is one."""

    def __init__(self, probe_dir: Path | None = None) -> None:
        # SQLite: the database's directory, written to by /healthz while writes fail, so that
        # health returns when space does, without waiting for a client's write.
        self._probe_dir = probe_dir
        self._outage = OutageLog(log, "writing events")
        self._storage: str | None = None

    def failed(self, error: BaseException) -> None:
        """A write failed with the database unavailable or the storage refusing it."""
        self._outage.failed(error)
        self._storage = storage_failure(error) or self._storage

    def succeeded(self) -> None:
        """A write committed."""
        self._outage.succeeded()
        self._storage = None

    async def storage_problem(self) -> str | None:
        """Why writes fail now (the storage's words), or None when they should work."""
        if self._storage is None:
            return None
        if self._probe_dir is not None and await asyncio.to_thread(_probe, self._probe_dir):
            return None
        return self._storage
