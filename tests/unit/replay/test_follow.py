"""The one rule replay followers share: when a screen gets everything again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from backend.replay.clock import ReplayClock
from backend.replay.follow import ReplayFollower
from backend.replay.sessions import Session
from backend.replay.timeline import NightTimeline

NIGHT = date(2025, 7, 4)
START = datetime(2025, 7, 3, 9, 0, tzinfo=UTC)
END = START + timedelta(hours=24)
WALL = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def _record(seq: int, minutes: int) -> dict[str, Any]:
    return {
        "seq": seq,
        "id": f"e{seq}",
        "kind": "launch",
        "weapon": "drone",
        "count": 1,
        "occurred_at": START + timedelta(minutes=minutes),
        "region": None,
        "retracted": False,
    }


TIMELINE = NightTimeline.build(NIGHT, [_record(seq, seq * 10) for seq in range(1, 7)], 6)


def _session(clock: ReplayClock, version: int = 1) -> Session:
    return Session(id="s", night=NIGHT, clock=clock, version=version)


def _clock() -> ReplayClock:
    return ReplayClock(START, END, START, WALL, speed=60.0, paused=False)


def test_the_first_step_starts_from_scratch() -> None:
    step = ReplayFollower().step(_session(_clock()), TIMELINE, WALL + timedelta(seconds=25))
    assert step.restart
    assert (step.position, step.end) == (START + timedelta(minutes=25), 2)


def test_playing_on_brings_only_the_events_the_clock_passed() -> None:
    follower = ReplayFollower()
    session = _session(_clock())
    follower.step(session, TIMELINE, WALL + timedelta(seconds=25))
    step = follower.step(session, TIMELINE, WALL + timedelta(seconds=45))
    assert not step.restart
    assert not step.controlled
    assert (step.start, step.end) == (2, 4)


def test_a_pause_is_a_control_but_not_a_restart() -> None:
    follower = ReplayFollower()
    clock = _clock()
    follower.step(_session(clock), TIMELINE, WALL + timedelta(seconds=25))
    paused = clock.pause(WALL + timedelta(seconds=30))
    step = follower.step(_session(paused, version=2), TIMELINE, WALL + timedelta(seconds=90))
    assert step.controlled
    assert not step.restart
    assert step.position == START + timedelta(minutes=30)
    assert (step.start, step.end) == (2, 3)


def test_a_seek_forward_or_back_starts_over() -> None:
    for target in (START + timedelta(minutes=5), START + timedelta(minutes=55)):
        follower = ReplayFollower()
        clock = _clock()
        follower.step(_session(clock), TIMELINE, WALL + timedelta(seconds=25))
        sought = clock.seek(target, WALL + timedelta(seconds=30))
        step = follower.step(_session(sought, version=2), TIMELINE, WALL + timedelta(seconds=30))
        assert step.restart
        assert step.controlled
        assert step.position == target


def test_a_changed_night_starts_over() -> None:
    follower = ReplayFollower()
    session = _session(_clock())
    follower.step(session, TIMELINE, WALL + timedelta(seconds=25))
    reloaded = NightTimeline.build(NIGHT, [_record(seq, seq * 10) for seq in range(1, 8)], 7)
    step = follower.step(session, reloaded, WALL + timedelta(seconds=26))
    assert step.restart
    assert not step.controlled
