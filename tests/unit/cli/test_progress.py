"""Progress (backend/cli/progress.py): a bar on a terminal, summary lines elsewhere."""

from __future__ import annotations

import io

from backend.cli.progress import ProgressBar
from tests.helpers.clock import ManualClock


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_one_summary_line_per_period_and_at_the_end() -> None:
    out, clock = io.StringIO(), ManualClock()
    bar = ProgressBar(300, "loading n.jsonl", out, summary_seconds=10, clock=clock)
    bar.advance(100)  # at 0 s: too soon for a line
    clock.now = 10.0
    bar.advance(100)
    clock.now = 15.0
    bar.refresh()  # a quiet stretch: still under 10 s since the last line
    bar.advance(100)
    bar.close()
    assert out.getvalue().splitlines() == [
        "loading n.jsonl: 67% 200/300",
        "loading n.jsonl: 100% 300/300",
    ]


def test_a_quiet_stretch_still_shows_progress_and_the_detail() -> None:
    out, clock = io.StringIO(), ManualClock()
    bar = ProgressBar(10, "replaying", out, detail=lambda: "3m00s left", clock=clock)
    clock.now = 30.0
    bar.refresh()
    assert out.getvalue() == "replaying: 0% 0/10, 3m00s left\n"


def test_a_terminal_gets_one_redrawn_line() -> None:
    out = Terminal()
    bar = ProgressBar(2, "loading", out)
    bar.advance(2)
    bar.close()
    assert "\n" not in out.getvalue()[:-1]
    assert out.getvalue().endswith("100% 2/2\n")
    assert out.getvalue().startswith("\rloading [")


def test_off_a_terminal_a_quick_run_prints_nothing() -> None:
    out, clock = io.StringIO(), ManualClock()
    bar = ProgressBar(3, "loading", out, clock=clock)
    bar.advance(3)
    bar.close()
    assert out.getvalue() == ""
