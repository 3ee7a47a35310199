"""Night timelines: reloaded when their own night changes, kept when another one does."""

from __future__ import annotations

from datetime import UTC, date, datetime

from backend.domain.records import to_row
from backend.domain.schemas import EventIn
from backend.replay.timeline import NightTimelines
from tests.helpers.rig import Rig

REPLAYED = date(2025, 7, 4)


async def post(rig: Rig, event_id: str, occurred_at: str) -> None:
    event = EventIn.model_validate(
        {"id": event_id, "kind": "launch", "weapon": "drone", "occurred_at": occurred_at}
    )
    await rig.writer.insert([to_row(event, received_at=datetime.now(UTC))], client_ids=[event_id])


async def test_a_change_to_another_night_keeps_the_loaded_timeline(rig: Rig) -> None:
    await post(rig, "replayed-1", "2025-07-03T22:00:00Z")
    timelines = NightTimelines(rig.engine)
    loaded = await timelines.get(REPLAYED)
    await post(rig, "tonight-1", "2026-11-25T22:00:00Z")
    assert await timelines.get(REPLAYED) is loaded
    assert await timelines.get(REPLAYED) is loaded


async def test_a_new_event_of_the_night_reloads_it(rig: Rig) -> None:
    await post(rig, "replayed-1", "2025-07-03T22:00:00Z")
    timelines = NightTimelines(rig.engine)
    loaded = await timelines.get(REPLAYED)
    await post(rig, "tonight-1", "2026-11-25T22:00:00Z")
    await post(rig, "replayed-2", "2025-07-03T23:00:00Z")
    reloaded = await timelines.get(REPLAYED)
    assert [event["id"] for event in reloaded.events] == ["replayed-1", "replayed-2"]
    assert loaded is not reloaded


async def test_a_retraction_in_the_night_reloads_it(rig: Rig) -> None:
    await post(rig, "replayed-1", "2025-07-03T22:00:00Z")
    await post(rig, "replayed-2", "2025-07-03T23:00:00Z")
    timelines = NightTimelines(rig.engine)
    await timelines.get(REPLAYED)
    await post(rig, "tonight-1", "2026-11-25T22:00:00Z")
    assert await timelines.get(REPLAYED) is not None
    await rig.writer.retract("replayed-1")
    reloaded = await timelines.get(REPLAYED)
    assert [event["id"] for event in reloaded.events] == ["replayed-2"]
