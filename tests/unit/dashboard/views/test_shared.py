"""The pieces every shared view has: a page's bounded queue and the figures' cadence."""

from __future__ import annotations

import asyncio

import pytest

from backend.stream.inbox import SubscriberOverflowError
from dashboard.views.shared import (
    FIGURE_INTERVAL,
    VIEWER_QUEUE_LIMIT,
    FigureCadence,
    FigureCadences,
    Viewer,
)


async def test_a_viewer_that_falls_behind_is_cut_off_not_grown() -> None:
    viewer = Viewer()
    accepted = [viewer.push(str(index)) for index in range(VIEWER_QUEUE_LIMIT + 10)]
    assert accepted == [True] * VIEWER_QUEUE_LIMIT + [False] * 10
    assert viewer.overflowed
    assert viewer.empty  # what it held is dropped: the page reconnects and gets it all again
    with pytest.raises(SubscriberOverflowError):
        await viewer.next(0)


async def test_a_viewer_waits_for_a_message_or_times_out() -> None:
    viewer = Viewer()
    assert await viewer.next(0.01) == []
    asyncio.get_running_loop().call_later(0.01, viewer.push, "hello")
    assert await viewer.next(5) == ["hello"]


def test_figures_are_redrawn_at_most_once_an_interval() -> None:
    cadence = FigureCadence()
    assert cadence.ready()
    assert cadence.seconds_until_owed_redraw() is None
    cadence.drawn()
    assert not cadence.ready()
    assert cadence.ready(force=True)
    cadence.hold()
    wait = cadence.seconds_until_owed_redraw()
    assert wait is not None
    assert 0 < wait <= FIGURE_INTERVAL
    cadence.drawn()
    assert not cadence.owed


def test_each_figure_keeps_its_own_interval() -> None:
    cadences = FigureCadences({"map": 1.0, "timeline": 5.0})
    assert cadences.due() == {"map", "timeline"}
    cadences.hold()
    cadences.drawn(frozenset({"map", "timeline"}))
    assert cadences.due() == frozenset()
    assert cadences.seconds_until_owed_redraw() is None
    cadences.hold()
    wait = cadences.seconds_until_owed_redraw()
    assert wait is not None
    assert 0 < wait <= 1.0  # the map's redraw comes first
    assert cadences.owed == {"map", "timeline"}
    assert cadences.due(force=True) == {"map", "timeline"}
    cadences.drawn(frozenset({"map"}))
    assert cadences.owed == {"timeline"}
    later = cadences.seconds_until_owed_redraw()
    assert later is not None
    assert 1.0 < later <= 5.0
