"""Which write failures are the storage refusing, and health while they last."""

from __future__ import annotations

import asyncio
import errno
import logging
import sqlite3
from pathlib import Path

import pytest

from backend.ingest.write_health import WriteHealth, storage_failure


def _sqlite_error(code: int, message: str) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


def test_storage_failures_are_told_from_outages() -> None:
    assert storage_failure(OSError(errno.ENOSPC, "No space left on device")) is not None
    assert storage_failure(_sqlite_error(13, "database or disk is full")) is not None
    assert storage_failure(_sqlite_error(5, "database is locked")) is None
    assert storage_failure(ConnectionRefusedError(errno.ECONNREFUSED, "refused")) is None
    assert storage_failure(TimeoutError()) is None


def test_health_fails_while_storage_refuses_and_logs_one_outage(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "gone"  # a probe there fails, as on a full disk
    health = WriteHealth(missing)
    caplog.set_level(logging.WARNING)
    for _ in range(50):
        health.failed(_sqlite_error(13, "database or disk is full"))
    assert asyncio.run(health.storage_problem()) == "database or disk is full"
    missing.mkdir()  # room again: the probe write succeeds before any client's write
    assert asyncio.run(health.storage_problem()) is None
    health.succeeded()
    assert [record.getMessage().split(";")[0] for record in caplog.records] == [
        "writing events failed",
        "writing events works again after 50 failed attempts",
    ]


def test_an_outage_that_is_not_storage_leaves_health_to_the_ping() -> None:
    health = WriteHealth(None)
    health.failed(TimeoutError())
    assert asyncio.run(health.storage_problem()) is None
