"""Night views on a real database and hub: shared updates, coalescing, retractions."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import orjson
import pytest

from backend.domain.records import to_row
from backend.domain.schemas import EventIn
from dashboard.alert_map import ALERT
from dashboard.render import Props, render
from dashboard.source import ServiceSource
from dashboard.views import night as night_views
from dashboard.views.night import NightViews
from dashboard.views.shared import TIMELINE_INTERVAL, Viewer
from tests.helpers.rig import Rig

NIGHT = date(2025, 7, 4)  # the night of the events Rig.post commits


@pytest.fixture
async def views(rig: Rig) -> AsyncIterator[NightViews]:
    night_views = NightViews(ServiceSource(rig.services()))
    yield night_views
    await night_views.close()


async def next_counter(viewer: Viewer, element: str) -> str:
    """The next value the viewer is sent for an element."""
    while True:
        for text in await asyncio.wait_for(viewer.next(5), 10):
            props = orjson.loads(text)["props"]
            if element in props:
                return str(props[element]["children"])


async def test_a_view_starts_from_the_store_and_follows_new_events(
    rig: Rig,
    views: NightViews,
) -> None:
    await rig.post(3)
    view = await views.get(NIGHT)
    assert b'"3"' in view.full_message().encode()
    first, second = view.attach(), view.attach()
    await rig.post(2)
    assert await next_counter(first, "count-drones-launched") == "5"
    assert await next_counter(second, "count-drones-launched") == "5"
    assert view.viewer_count == 2
    assert await views.get(NIGHT) is view


async def test_a_burst_becomes_a_few_updates(rig: Rig, views: NightViews) -> None:
    view = await views.get(NIGHT)
    viewer = view.attach()
    await asyncio.gather(*(rig.post() for _ in range(200)))
    await asyncio.sleep(1.5)
    messages = await viewer.next(0.1)
    assert 1 <= len(messages) <= 8
    latest: dict[str, object] = {}
    for text in messages:
        latest |= orjson.loads(text)["props"]
    assert latest["count-drones-launched"] == {"children": "200"}


async def _sent_while_posting(
    rig: Rig, viewer: Viewer, *, settle: float, fields: dict[str, object] | None = None
) -> list[tuple[float, set[str]]]:
    """(when, elements) of every message while posting every 0.2 s for 2.4 s, then settling."""
    sent: list[tuple[float, set[str]]] = []
    loop = asyncio.get_running_loop()
    for _ in range(12):
        await rig.post(fields=fields)
        await asyncio.sleep(0.2)
        sent += [(loop.time(), set(orjson.loads(text)["props"])) for text in await viewer.next(0)]
    await asyncio.sleep(settle)
    sent += [(loop.time(), set(orjson.loads(text)["props"])) for text in await viewer.next(0)]
    return sent


def _times(sent: list[tuple[float, set[str]]], element: str) -> list[float]:
    return [at for at, props in sent if element in props]


async def test_the_map_follows_once_a_second_and_catches_up(
    rig: Rig,
    views: NightViews,
) -> None:
    view = await views.get(NIGHT)
    viewer = view.attach()
    sent = await _sent_while_posting(
        rig, viewer, settle=1.5, fields={"kind": "impact", "region": "UA-30"}
    )
    counter_updates = _times(sent, "count-impacts")
    map_updates = _times(sent, "city-map")
    assert len(counter_updates) >= 8
    # About one map update a second over ~2.4 s of changes, plus the catch-up after.
    assert 2 <= len(map_updates) <= 5, map_updates
    # Read every 0.2 s, so a second between sends shows as no less than 0.8 s here.
    assert all(b - a >= 0.75 for a, b in itertools.pairwise(map_updates)), map_updates
    assert map_updates[-1] > counter_updates[-1] - 0.05
    final = orjson.loads(view.full_message())["props"]["city-map"]["figure"]
    assert "12" in orjson.dumps(final).decode()  # Kyiv's callout counts all 12 impacts


async def test_the_timeline_follows_every_five_seconds_and_catches_up(
    rig: Rig,
    views: NightViews,
) -> None:
    view = await views.get(NIGHT)
    viewer = view.attach()
    sent = await _sent_while_posting(rig, viewer, settle=TIMELINE_INTERVAL)
    counter_updates = _times(sent, "count-drones-launched")
    timeline_updates = _times(sent, "timeline")
    assert len(counter_updates) >= 8
    # Drawn when the view loaded: 12 changes over 2.4 s come in one or two redraws, 5 s apart,
    # the last after the last change.
    assert 1 <= len(timeline_updates) <= 2, timeline_updates
    assert all(b - a >= TIMELINE_INTERVAL - 0.25 for a, b in itertools.pairwise(timeline_updates))
    assert timeline_updates[-1] > counter_updates[-1] - 0.05
    # The last figure shows the last state: all 12 launches in the one 10-minute bin.
    final = orjson.loads(view.full_message())["props"]["timeline"]["figure"]
    assert 12 in final["data"][0]["y"]


async def test_a_past_night_with_nothing_new_is_not_rendered_again(
    rig: Rig, views: NightViews, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reports are read every 0.1 s here: each read that finds them unchanged, and every
    # event of another night, leaves the view as it was, unrendered.
    monkeypatch.setattr(night_views, "REPORTS_POLL_SECONDS", 0.1)
    await rig.post(3)
    view = await views.get(NIGHT)
    viewer = view.attach()
    rendered: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Props:
        rendered.append(1)
        return render(*args, **kwargs)

    monkeypatch.setattr(night_views, "render", counted)
    await asyncio.sleep(1.5)  # past the figures' owed redraws after the load
    rendered.clear()
    await rig.post(2, fields={"occurred_at": "2025-07-10T22:00:00Z"})
    await asyncio.sleep(1.0)
    assert rendered == []
    assert await viewer.next(0) == []
    # A new event of this night is rendered and sent as before.
    await rig.post(1)
    assert await next_counter(viewer, "count-drones-launched") == "4"
    assert rendered


async def test_a_retraction_reloads_the_night(rig: Rig, views: NightViews) -> None:
    await rig.writer.insert(
        [
            {
                **row,
                "id": f"r{index}",
            }
            for index, row in enumerate(await _rows(2))
        ],
        client_ids=["r0", "r1"],
    )
    view = await views.get(NIGHT)
    viewer = view.attach()
    await rig.writer.retract("r0")
    assert await next_counter(viewer, "count-drones-launched") == "1"


async def _rows(count: int) -> list[dict[str, object]]:
    event = EventIn.model_validate(
        {"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00Z"}
    )
    return [to_row(event, received_at=datetime.now(UTC)) for _ in range(count)]


async def test_a_past_night_nobody_watches_is_released(views: NightViews) -> None:
    view = await views.get(NIGHT)
    viewer = view.attach()
    await views.release(NIGHT, keep=date(2030, 1, 1))
    assert await views.get(NIGHT) is view  # still watched
    view.detach(viewer)
    await views.release(NIGHT, keep=date(2030, 1, 1))
    assert await views.get(NIGHT) is not view


async def test_a_page_that_leaves_while_its_night_loads_strands_no_view(
    views: NightViews,
) -> None:
    loading = asyncio.create_task(views.get(NIGHT))
    await asyncio.sleep(0)
    loading.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await loading
    await views.release(NIGHT, keep=date(2030, 1, 1))
    assert NIGHT not in views


async def test_a_view_keeps_an_alert_begun_before_its_night(rig: Rig, views: NightViews) -> None:
    def alert(at: str, **fields: str) -> dict[str, object]:
        event = EventIn.model_validate(
            {"kind": "alert_start", "region": "UA-63", "occurred_at": at, **fields}
        )
        return to_row(event, received_at=datetime.now(UTC))

    # 11:30 Kyiv time on 3 July: the night before NIGHT, half an hour before it ended.
    await rig.writer.insert([alert("2025-07-03T11:30:00+03:00")], client_ids=[])
    view = await views.get(NIGHT)
    oblasts = orjson.loads(view.full_message())["props"]["city-map"]["figure"]["data"]
    assert next(t for t in oblasts if t["name"] == "UA-63")["fillcolor"] == ALERT
    # A late report of another of last night's alerts reaches tonight's view too.
    viewer = view.attach()
    await rig.writer.insert([alert("2025-07-03T11:00:00+03:00", region="UA-46")], client_ids=[])
    for _ in range(4):  # a few updates at most: the reload redraws the map at once
        for text in await asyncio.wait_for(viewer.next(5), 10):
            figure = orjson.loads(text)["props"].get("city-map")
            if figure is not None:
                traces = {t["name"]: t for t in figure["figure"]["data"]}
                if traces["UA-46"]["fillcolor"] == ALERT:
                    return
    raise AssertionError("the view never showed last night's late-reported alert")
