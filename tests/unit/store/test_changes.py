"""The change feed (backend/store/changes.py): changes after a cursor in order, and snapshots."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from backend.domain.records import Row, to_row
from backend.domain.schemas import EventIn
from backend.store.changes import RECENT_EVENTS, Change, read_changes, read_snapshot
from tests.helpers.rig import Rig

NIGHT = date(2025, 7, 4)  # 2025-07-03T22:00Z is 01:00 in Kyiv on the morning of 4 July
OTHER_NIGHT = date(2025, 7, 10)


def launch(event_id: str, *, occurred_at: str = "2025-07-03T22:00:00Z", count: int = 1) -> Row:
    """The row of a drone launch with a client-chosen id."""
    event = EventIn.model_validate(
        {
            "id": event_id,
            "kind": "launch",
            "weapon": "drone",
            "count": count,
            "occurred_at": occurred_at,
        }
    )
    return to_row(event, received_at=datetime.now(UTC))


async def post(rig: Rig, *ids: str, occurred_at: str = "2025-07-03T22:00:00Z") -> None:
    """Commit launch events with these ids in one request."""
    rows = [launch(event_id, occurred_at=occurred_at) for event_id in ids]
    await rig.writer.insert(rows, client_ids=list(ids))


def summary(changes: list[Change]) -> list[tuple[int, str, str]]:
    """(cursor, "event"/"retracted", id) of each change."""
    found = []
    for change in changes:
        if change.record is not None:
            assert change.retracted_id is None
            found.append((change.cursor, "event", str(change.record["id"])))
        else:
            assert change.retracted_id is not None
            found.append((change.cursor, "retracted", change.retracted_id))
    return found


async def test_an_empty_store_has_no_changes(rig: Rig) -> None:
    assert await read_changes(rig.engine, after=0, limit=100) == []


async def test_new_events_come_in_seq_order_with_their_records(rig: Rig) -> None:
    await post(rig, "a", "b")
    await post(rig, "c")
    changes = await read_changes(rig.engine, after=0, limit=100)
    assert summary(changes) == [(1, "event", "a"), (2, "event", "b"), (3, "event", "c")]
    assert all(change.night == NIGHT for change in changes)
    first = changes[0].record
    assert first is not None
    assert (first["seq"], first["kind"], first["weapon"], first["retracted"]) == (
        1,
        "launch",
        "drone",
        False,
    )


async def test_only_changes_after_the_cursor_are_read(rig: Rig) -> None:
    await post(rig, "a", "b", "c")
    assert summary(await read_changes(rig.engine, after=1, limit=100)) == [
        (2, "event", "b"),
        (3, "event", "c"),
    ]
    assert await read_changes(rig.engine, after=3, limit=100) == []
    assert await read_changes(rig.engine, after=50, limit=100) == []


async def test_a_retraction_is_a_change_at_its_retracted_seq(rig: Rig) -> None:
    await post(rig, "a", "b", "c")
    await rig.writer.retract("b")
    changes = await read_changes(rig.engine, after=0, limit=100)
    assert summary(changes) == [
        (1, "event", "a"),
        (2, "event", "b"),
        (3, "event", "c"),
        (4, "retracted", "b"),
    ]
    assert changes[-1].night == NIGHT
    assert summary(await read_changes(rig.engine, after=3, limit=100)) == [(4, "retracted", "b")]


async def test_events_and_retractions_interleave_in_cursor_order(rig: Rig) -> None:
    await post(rig, "a", "b")
    await rig.writer.retract("a")  # 3
    await post(rig, "c")  # 4
    await rig.writer.retract("c")  # 5
    await post(rig, "d")  # 6
    assert summary(await read_changes(rig.engine, after=0, limit=100)) == [
        (1, "event", "a"),
        (2, "event", "b"),
        (3, "retracted", "a"),
        (4, "event", "c"),
        (5, "retracted", "c"),
        (6, "event", "d"),
    ]


async def test_a_retraction_is_read_once_after_its_event_was_read(rig: Rig) -> None:
    await post(rig, "a", "b")
    assert len(await read_changes(rig.engine, after=0, limit=100)) == 2
    await rig.writer.retract("a")
    assert summary(await read_changes(rig.engine, after=2, limit=100)) == [(3, "retracted", "a")]


async def test_pages_of_limit_events_cover_every_cursor_once_in_order(rig: Rig) -> None:
    await post(rig, "a", "b")
    await rig.writer.retract("a")  # 3
    await post(rig, "c", "d", "e")  # 4, 5, 6
    await rig.writer.retract("d")  # 7
    await rig.writer.retract("b")  # 8
    await post(rig, "f")  # 9
    pages: list[list[tuple[int, str, str]]] = []
    after = 0
    while changes := await read_changes(rig.engine, after=after, limit=2):
        events = [change for change in changes if change.record is not None]
        assert len(events) <= 2
        pages.append(summary(changes))
        after = changes[-1].cursor
    read = [change for page in pages for change in page]
    assert [cursor for cursor, _, _ in read] == list(range(1, 10))
    assert read == [
        (1, "event", "a"),
        (2, "event", "b"),
        (3, "retracted", "a"),
        (4, "event", "c"),
        (5, "event", "d"),
        (6, "event", "e"),
        (7, "retracted", "d"),
        (8, "retracted", "b"),
        (9, "event", "f"),
    ]
    # A full page ends at its last event: the retraction after it waits for the next page.
    assert pages[0] == [(1, "event", "a"), (2, "event", "b")]


async def test_a_page_that_is_not_full_reaches_the_latest_cursor(rig: Rig) -> None:
    await post(rig, "a", "b", "c")
    await rig.writer.retract("a")  # 4
    await rig.writer.retract("b")  # 5
    assert summary(await read_changes(rig.engine, after=2, limit=10)) == [
        (3, "event", "c"),
        (4, "retracted", "a"),
        (5, "retracted", "b"),
    ]


async def test_changes_carry_the_night_of_their_event(rig: Rig) -> None:
    await post(rig, "early")
    await post(rig, "late", occurred_at="2025-07-09T21:00:00Z")
    await rig.writer.retract("late")
    changes = await read_changes(rig.engine, after=0, limit=100)
    assert [(change.cursor, change.night) for change in changes] == [
        (1, NIGHT),
        (2, OTHER_NIGHT),
        (3, OTHER_NIGHT),
    ]


async def test_a_snapshot_of_an_empty_store_is_empty_at_cursor_zero(rig: Rig) -> None:
    snapshot = await read_snapshot(rig.engine, night=NIGHT)
    assert snapshot.seq == 0
    assert snapshot.night == NIGHT
    assert snapshot.recent == []
    assert snapshot.stats["events"] == 0
    assert snapshot.stats["night"] == NIGHT


async def test_a_snapshot_has_the_night_stats_and_events_as_of_the_latest_cursor(
    rig: Rig,
) -> None:
    await post(rig, "a", "b", "c")
    await post(rig, "elsewhere", occurred_at="2025-07-09T21:00:00Z")
    await rig.writer.retract("b")
    snapshot = await read_snapshot(rig.engine, night=NIGHT)
    assert snapshot.seq == 5
    # The retracted event is listed (marked) but not counted; the other night is neither.
    assert [(r["id"], r["seq"], r["retracted"]) for r in snapshot.recent] == [
        ("a", 1, False),
        ("b", 2, True),
        ("c", 3, False),
    ]
    assert snapshot.stats["launched"]["drone"] == 2
    assert snapshot.stats["events"] == 2


async def test_a_snapshot_lists_the_latest_events_of_the_night_oldest_first(rig: Rig) -> None:
    total = RECENT_EVENTS + 5
    ids = [f"e{index:03}" for index in range(1, total + 1)]
    await post(rig, *ids)
    snapshot = await read_snapshot(rig.engine, night=NIGHT)
    assert [r["seq"] for r in snapshot.recent] == list(range(6, total + 1))
    assert snapshot.stats["launched"]["drone"] == total


async def test_snapshots_taken_during_writes_are_consistent(rig: Rig) -> None:
    # Every event counts one drone: stats, the listed events and the cursor must agree.
    writes = 40

    async def write() -> None:
        for index in range(writes):
            await post(rig, f"w{index}")

    async def snapshots() -> list[tuple[int, int, list[int]]]:
        taken = []
        for _ in range(writes):
            snapshot = await read_snapshot(rig.engine, night=NIGHT)
            counted = snapshot.stats["launched"].get("drone", 0)
            taken.append((snapshot.seq, counted, [r["seq"] for r in snapshot.recent]))
            await asyncio.sleep(0)
        return taken

    _, taken = await asyncio.gather(write(), snapshots())
    for seq, counted, recent in taken:
        assert counted == seq
        assert recent == list(range(1, seq + 1))
