"""Replay views on a real database: the page's state at the session's position, shared."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import orjson
import pytest
from sqlalchemy import delete

from backend.domain.records import to_row
from backend.domain.schemas import EventIn
from backend.replay.sessions import Session, utc_now
from backend.services import Services
from backend.store.models import replay_sessions_table
from dashboard.source import ServiceSource
from dashboard.views.replay import ReplayViews, clock_text
from dashboard.views.shared import Viewer
from tests.helpers.rig import Rig

NIGHT = date(2025, 7, 4)
# Kyiv clock readings of four waves and how many drones each launched.
WAVES = {"2025-07-03T19:00:00+03:00": 1, "2025-07-03T21:00:00+03:00": 2}
WAVES |= {"2025-07-03T23:00:00+03:00": 4, "2025-07-04T01:00:00+03:00": 8}


@pytest.fixture
async def services(rig: Rig) -> Services:
    rows = [
        to_row(
            EventIn.model_validate(
                {"kind": "launch", "weapon": "drone", "count": count, "occurred_at": at}
            ),
            received_at=datetime.now(UTC),
        )
        for at, count in WAVES.items()
    ]
    await rig.writer.insert(rows, client_ids=[])
    return rig.services()


@pytest.fixture
async def views(services: Services) -> AsyncIterator[ReplayViews]:
    replay_views = ReplayViews(ServiceSource(services))
    yield replay_views
    await replay_views.close()


async def paused_at(services: Services, kyiv: str) -> Session:
    """A paused session of the night at a Kyiv clock reading."""
    now = utc_now()
    session = await services.replays.create(
        night=NIGHT, speed=60, position=datetime.fromisoformat(kyiv), now=now
    )
    return await services.replays.save(session, session.clock.pause(now))


def props_of(text: str) -> dict[str, dict[str, object]]:
    props: dict[str, dict[str, object]] = orjson.loads(text)["props"]
    return props


async def next_drones(viewer: Viewer) -> str:
    """The next drone count the viewer is sent."""
    while True:
        for text in await asyncio.wait_for(viewer.next(5), 10):
            props = props_of(text)
            if "count-drones-launched" in props:
                return str(props["count-drones-launched"]["children"])


async def test_a_view_shows_the_night_up_to_the_position(
    services: Services, views: ReplayViews
) -> None:
    session = await paused_at(services, "2025-07-03T22:00:00+03:00")
    view = await views.get(session.id)
    assert view is not None
    full = orjson.loads(view.full_message())
    assert full["props"]["count-drones-launched"]["children"] == "3"
    assert full["props"]["kyiv-time"]["children"] == "Replay 22:00:00"
    assert full["replay"]["paused"] is True


async def test_a_seek_on_the_session_moves_every_viewer(
    services: Services, views: ReplayViews
) -> None:
    session = await paused_at(services, "2025-07-04T02:00:00+03:00")
    view = await views.get(session.id)
    assert view is not None
    first, second = view.attach(), view.attach()
    now = utc_now()
    back = session.clock.seek(datetime.fromisoformat("2025-07-03T20:00:00+03:00"), now)
    session = await services.replays.save(session, back)
    assert await next_drones(first) == "1"
    assert await next_drones(second) == "1"
    forward = session.clock.seek(datetime.fromisoformat("2025-07-03T23:30:00+03:00"), now)
    await services.replays.save(session, forward)
    assert await next_drones(first) == "7"
    assert await views.get(session.id) is view


async def test_playing_folds_what_the_clock_passes(services: Services, views: ReplayViews) -> None:
    session = await paused_at(services, "2025-07-04T00:59:00+03:00")
    view = await views.get(session.id)
    assert view is not None
    viewer = view.attach()
    # At 600x, the 01:00 wave is a tenth of a second of wall time away.
    playing = session.clock.with_speed(600, utc_now()).play(utc_now())
    await services.replays.save(session, playing)
    assert await next_drones(viewer) == "15"


async def test_a_deleted_session_tells_its_viewers(services: Services, views: ReplayViews) -> None:
    session = await paused_at(services, "2025-07-03T22:00:00+03:00")
    view = await views.get(session.id)
    assert view is not None
    viewer = view.attach()
    async with services.engine.begin() as conn:
        await conn.execute(delete(replay_sessions_table))
    messages = await asyncio.wait_for(viewer.next(5), 10)
    assert messages == ['{"type":"gone"}']
    assert view.gone


async def test_an_unknown_session_has_no_view(views: ReplayViews) -> None:
    assert await views.get("no-such-session") is None


def test_the_clock_reads_in_kyiv_time() -> None:
    assert clock_text(datetime(2025, 7, 3, 23, 10, tzinfo=UTC)) == "Replay 02:10:00"
