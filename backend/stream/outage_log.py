"""Logging for a dependency that is down: one warning when it goes, one line when it is back.

A poll that fails every second for an hour-long outage must not bury the log in identical
tracebacks; the first failure carries the traceback, repeats are counted and summarized.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from backend import metrics

REPEAT_EVERY_SECONDS = 60.0


class OutageLog:
    """Tracks one recurring operation's failures and logs their start, their persistence and
    their end."""

    def __init__(
        self, logger: logging.Logger, what: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._log = logger
        self._clock = clock
        self._what = what
        self._failures = 0
        self._last_logged = 0.0
        # skywatch_outage{operation=what}: 1 from the first failure to the next success.
        self._gauge = metrics.OUTAGE.labels(operation=what)
        self._gauge.set(0)

    @property
    def failing(self) -> bool:
        """Whether the last attempt failed."""
        return self._failures > 0

    def failed(self, error: BaseException) -> None:
        """Record a failure: the first is logged with its traceback, then one line a minute."""
        self._failures += 1
        self._gauge.set(1)
        now = self._clock()
        if self._failures == 1:
            self._log.warning("%s failed; retrying", self._what, exc_info=error)
            self._last_logged = now
        elif now - self._last_logged >= REPEAT_EVERY_SECONDS:
            self._log.warning(
                "%s still failing (%d attempts): %s",
                self._what,
                self._failures,
                type(error).__name__,
            )
            self._last_logged = now

    def succeeded(self) -> None:
        """Record a success; logs the recovery after failures."""
        if self._failures:
            self._log.warning("%s works again after %d failed attempts", self._what, self._failures)
        self._failures = 0
        self._gauge.set(0)
