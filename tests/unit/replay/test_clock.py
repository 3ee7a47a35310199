"""The replay clock: no drift, exact re-anchoring, clamping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.replay.clock import ReplayClock

START = datetime(2025, 7, 3, 9, 0, tzinfo=UTC)
END = datetime(2025, 7, 4, 9, 0, tzinfo=UTC)
WALL = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def clock(speed: float = 60, paused: bool = False) -> ReplayClock:
    return ReplayClock(START, END, START, WALL, speed, paused)


def test_position_moves_at_speed_without_drift() -> None:
    running = clock(60)
    assert running.position(WALL + timedelta(seconds=10)) == START + timedelta(minutes=10)
    # A day of wall time later it is exactly where the formula says, clamped to the end.
    assert running.position(WALL + timedelta(minutes=30)) == START + timedelta(hours=24)
    assert running.finished(WALL + timedelta(minutes=24))


def test_pause_play_seek_and_speed_reanchor() -> None:
    paused = clock(60).pause(WALL + timedelta(seconds=30))
    assert paused.position(WALL + timedelta(hours=5)) == START + timedelta(minutes=30)
    playing = paused.play(WALL + timedelta(hours=5))
    assert playing.position(WALL + timedelta(hours=5, seconds=1)) == START + timedelta(minutes=31)
    target = START + timedelta(hours=14, minutes=10)
    sought = playing.seek(target, WALL + timedelta(hours=6))
    assert sought.position(WALL + timedelta(hours=6)) == target
    faster = sought.with_speed(600, WALL + timedelta(hours=6, seconds=6))
    expected = target + timedelta(minutes=6) + timedelta(minutes=100)
    assert faster.position(WALL + timedelta(hours=6, seconds=16)) == expected


def test_seek_is_clamped_and_play_after_the_end_restarts() -> None:
    assert clock().seek(END + timedelta(days=3), WALL).position(WALL) == END
    finished = clock().seek(END, WALL)
    assert finished.play(WALL).position(WALL) == START


@pytest.mark.parametrize("speed", [0.5, 3601, 0])
def test_speed_out_of_range_is_refused(speed: float) -> None:
    with pytest.raises(ValueError, match="speed"):
        clock().with_speed(speed, WALL)
