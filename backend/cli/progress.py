"""A terminal progress bar on stderr, silent when stderr is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Redraws one line at most ten times a second."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = max(total, 1)
        self.label = label
        self.done = 0
        self._stream = stream or sys.stderr
        self._enabled = self._stream.isatty()
        self._drawn_at = 0.0

    def advance(self, amount: int) -> None:
        """Count `amount` more units done."""
        self.done += amount
        now = time.monotonic()
        if self._enabled and (now - self._drawn_at >= 0.1 or self.done >= self.total):
            self._drawn_at = now
            self._draw()

    def close(self) -> None:
        """End the bar's line."""
        if self._enabled:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()

    def _draw(self) -> None:
        width = 30
        share = min(self.done / self.total, 1.0)
        filled = int(share * width)
        bar = "#" * filled + "-" * (width - filled)
        self._stream.write(f"\r{self.label} [{bar}] {share:4.0%} {self.done}/{self.total}")
        self._stream.flush()
