"""Progress on stderr: a bar redrawn in place on a terminal, else one summary line now and then.

Under systemd, nohup or a pipe there is no terminal to redraw on, and a long run (a replay of a
night at 60x lasts 13 minutes) must still show that it is alive and how far it is.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

SUMMARY_SECONDS = 10.0


class ProgressBar:
    """Redraws one line at most ten times a second; off a terminal, a line every 10 s."""

    def __init__(
        self,
        total: int,
        label: str,
        stream: TextIO | None = None,
        *,
        detail: Callable[[], str] | None = None,
        summary_seconds: float = SUMMARY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = max(total, 1)
        self.label = label
        self.done = 0
        self._stream = stream or sys.stderr
        self._terminal = self._stream.isatty()
        self._detail = detail
        self._every = 0.1 if self._terminal else summary_seconds
        self._clock = clock
        self._drawn_at = clock()
        self._shown_done: int | None = None  # what the last summary line said

    def advance(self, amount: int) -> None:
        """Count `amount` more units done."""
        self.done += amount
        self.refresh(final=self._terminal and self.done >= self.total)

    def refresh(self, *, final: bool = False) -> None:
        """Show the progress if it is time to (waits call this, so quiet stretches show too)."""
        now = self._clock()
        if final or now - self._drawn_at >= self._every:
            self._drawn_at = now
            self._draw()

    def close(self) -> None:
        """End the bar's line (a terminal), or the last summary (elsewhere).

        Off a terminal a run short enough to have shown no summary stays quiet: a quick load
        prints only its result, a refused one only its error.
        """
        if self._terminal:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()
        elif self._shown_done is not None and self._shown_done != self.done:
            self._draw()

    def _line(self) -> str:
        share = min(self.done / self.total, 1.0)
        counts = f"{share:4.0%} {self.done}/{self.total}"
        detail = f", {self._detail()}" if self._detail else ""
        if not self._terminal:
            return f"{self.label}: {counts.strip()}{detail}"
        width = 30
        filled = int(share * width)
        bar = "#" * filled + "-" * (width - filled)
        return f"{self.label} [{bar}] {counts}{detail}"

    def _draw(self) -> None:
        self._shown_done = self.done
        if self._terminal:
            self._stream.write(f"\r{self._line()}")
        else:
            self._stream.write(self._line() + "\n")
        self._stream.flush()
