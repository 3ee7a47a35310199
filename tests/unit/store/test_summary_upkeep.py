"""backend/store/summary_upkeep.py on both databases: the marks of past nights are folded by
the app's own upkeep once no write touches them, with no reader asking; the running night's
mark is left to the readers; marks that keep changing are not folded meanwhile."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import orjson
from sqlalchemy import select

from backend.domain.nights import current_night, night_window
from backend.domain.records import to_row
from backend.domain.schemas import EventIn
from backend.store.models import night_dirty_table, night_summaries_table
from backend.store.queries import tally
from backend.store.summary_upkeep import past_marks, settled
from tests.helpers.rig import Rig

# A bound for a loaded machine, not a figure: the upkeep looks every 2 s.
PATIENCE_SECONDS = 30.0


def launches(night: date, count: int) -> list[EventIn]:
    start, _ = night_window(night)
    return [
        EventIn.model_validate(
            {
                "kind": "launch",
                "weapon": "drone",
                "occurred_at": (start + timedelta(hours=10, minutes=index)).isoformat(),
            }
        )
        for index in range(count)
    ]


async def marked_nights(rig: Rig) -> set[date]:
    async with rig.engine.connect() as conn:
        return set((await conn.execute(select(night_dirty_table.c.night))).scalars())


async def stored_observed(rig: Rig, night: date) -> dict[str, object]:
    """The stored summary's observed figures, read from the table (no refresh first)."""
    async with rig.engine.connect() as conn:
        content = (
            await conn.execute(
                select(night_summaries_table.c.content).where(
                    night_summaries_table.c.night == night
                )
            )
        ).scalar_one()
    observed: dict[str, object] = orjson.loads(content)["observed"]
    return observed


async def test_past_nights_are_folded_once_writes_pause_and_the_running_night_is_left(
    rig: Rig,
) -> None:
    today = current_night(datetime.now(UTC))
    past = [today - timedelta(days=offset) for offset in (3, 2)]
    received = datetime.now(UTC)
    for night, count in zip([*past, today], (5, 7, 2), strict=True):
        rows = [to_row(event, received_at=received) for event in launches(night, count)]
        await rig.writer.insert(rows, client_ids=[])
    assert await marked_nights(rig) == {*past, today}
    waited = 0.0
    while await marked_nights(rig) != {today}:
        assert waited < PATIENCE_SECONDS, await marked_nights(rig)
        await asyncio.sleep(0.2)
        waited += 0.2
    for night, count in zip(past, (5, 7), strict=True):
        folded = await tally(rig.engine, nights=(night, night))
        assert folded.launched["drone"] == count
        stored = await stored_observed(rig, night)
        assert stored["events"] == folded.events == count
        assert stored["launched"] == folded.launched, stored


async def test_the_marks_read_are_only_the_past_nights(rig: Rig) -> None:
    today = current_night(datetime.now(UTC))
    received = datetime.now(UTC)
    for night in (today - timedelta(days=1), today):
        rows = [to_row(event, received_at=received) for event in launches(night, 1)]
        await rig.writer.insert(rows, client_ids=[])
    marks = await past_marks(rig.engine, today)
    assert {night for night, _ in marks} <= {today - timedelta(days=1)}


def test_settled_only_when_past_marks_stood_still_for_a_whole_period() -> None:
    night = date(2025, 7, 4)
    assert not settled(frozenset(), frozenset())
    assert not settled(frozenset(), frozenset({(night, "a")}))
    assert not settled(frozenset({(night, "a")}), frozenset({(night, "b")}))
    assert not settled(frozenset({(night, "a")}), frozenset({(night, "a"), (night, "c")}))
    assert settled(frozenset({(night, "a")}), frozenset({(night, "a")}))
