"""An outage is logged when it starts, once a minute while it lasts, and when it ends."""

from __future__ import annotations

import logging

import pytest

from backend.stream.outage_log import OutageLog

logger = logging.getLogger("tests.outage")


def test_an_outage_is_three_lines_not_one_per_attempt(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    outage = OutageLog(logger, "database poll", clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="tests.outage"):
        for _ in range(59):  # one attempt a second for the first minute
            outage.failed(ConnectionRefusedError("down"))
            now[0] += 1
        assert [record.exc_info is not None for record in caplog.records] == [True]
        now[0] += 1
        outage.failed(ConnectionRefusedError("down"))
        assert "still failing (60 attempts)" in caplog.records[-1].getMessage()
        assert outage.failing
        outage.succeeded()
        assert "works again after 60 failed attempts" in caplog.records[-1].getMessage()
    assert len(caplog.records) == 3
    assert not outage.failing


def test_success_without_failure_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="tests.outage"):
        OutageLog(logger, "database poll").succeeded()
    assert caplog.records == []
