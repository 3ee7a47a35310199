"""The hub on a real database: fan-out, coalescing, bounded queues, catching up by polling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime

import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.records import to_row
from backend.domain.schemas import EventIn
from backend.ingest.writer import GroupCommitWriter, store_for
from backend.store.changes import Change, read_changes
from backend.stream import hub as hub_module
from backend.stream.hub import FRAME_CHANGES, encode_frames
from backend.stream.inbox import SubscriberOverflowError
from tests.helpers.rig import Rig, collect


async def test_every_subscriber_gets_every_change_once_in_order(rig: Rig) -> None:
    with rig.hub.subscribe(limit=10_000) as first, rig.hub.subscribe(limit=10_000) as second:
        await asyncio.gather(*(rig.post() for _ in range(100)))
        assert await collect(first, 100) == list(range(1, 101))
        assert await collect(second, 100) == list(range(1, 101))


async def test_a_burst_is_coalesced_into_few_batches(rig: Rig) -> None:
    with rig.hub.subscribe(limit=10_000) as subscription:
        await asyncio.gather(*(rig.post() for _ in range(500)))
        batches = 0
        received = 0
        while received < 500:
            for batch in await asyncio.wait_for(subscription.next(), 10):
                batches += 1
                received += len(batch.changes)
        assert batches < 50


async def test_frames_are_encoded_once_and_shared(rig: Rig) -> None:
    with rig.hub.subscribe(limit=100) as first, rig.hub.subscribe(limit=100) as second:
        await rig.post(3)
        [batch_a] = await asyncio.wait_for(first.next(), 10)
        [batch_b] = await asyncio.wait_for(second.next(), 10)
        assert batch_a is batch_b
        assert batch_a.frames(None, sent=0) is batch_b.frames(None, sent=0)
        message = orjson.loads(batch_a.frames(None, sent=0)[0])
        assert [record["seq"] for record in message["events"]] == [1, 2, 3]
        partial = orjson.loads(batch_a.frames(None, sent=2)[0])
        assert [record["seq"] for record in partial["events"]] == [3]


async def test_a_subscriber_that_does_not_drain_overflows_alone(rig: Rig) -> None:
    with rig.hub.subscribe(limit=20) as slow, rig.hub.subscribe(limit=10_000) as fast:
        for _ in range(30):
            await rig.post()
            await asyncio.sleep(0.03)
        assert await collect(fast, 30) == list(range(1, 31))
        assert slow.overflowed
        with pytest.raises(SubscriberOverflowError):
            await slow.next()
        assert rig.hub.subscriber_count == 1


async def test_a_big_batch_does_not_cut_off_a_client_that_keeps_up(rig: Rig) -> None:
    with rig.hub.subscribe(limit=10) as subscription:
        await rig.post(500)
        assert len(await collect(subscription, 500)) == 500
        assert not subscription.overflowed


OtherWorker = Callable[[], Awaitable[object]]


@pytest.fixture
async def other_worker(rig: Rig) -> AsyncIterator[OtherWorker]:
    """A launch committed by a writer of its own, as another worker's, that the hub is not
    told of (no bus)."""
    writer = GroupCommitWriter(store_for(rig.engine, sqlite_synchronous="NORMAL"))
    await writer.start()
    event = EventIn.model_validate(
        {"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00Z"}
    )

    async def commit() -> object:
        return await writer.insert([to_row(event, received_at=datetime.now(UTC))], client_ids=[])

    yield commit
    await writer.stop()


async def test_commits_it_was_not_told_about_arrive_by_polling(
    rig: Rig, other_worker: OtherWorker
) -> None:
    with rig.hub.subscribe(limit=100) as subscription:
        # As if another worker committed and its bus message was lost.
        await other_worker()
        assert await collect(subscription, 1) == [1]


async def test_a_cursor_the_database_does_not_have_is_forgotten(rig: Rig) -> None:
    with rig.hub.subscribe(limit=100) as subscription:
        # A stray bus message (another deployment on the same Redis, say).
        rig.hub.notify(10**9)
        await asyncio.sleep(0.1)
        await rig.post(2)
        assert await collect(subscription, 2) == [1, 2]


def test_frames_are_chunked_in_cursor_order_with_resumable_seqs() -> None:
    night = date(2025, 7, 4)
    changes = [Change(cursor, night, record={"seq": cursor}) for cursor in range(1, 401)]
    changes.append(Change(401, night, retracted_id="x"))
    changes.append(Change(402, date(2025, 7, 5), record={"seq": 402}))
    frames = [orjson.loads(text) for text in encode_frames(tuple(changes), night, 402)]
    assert [(frame["type"], frame["seq"]) for frame in frames] == [
        ("events", 250),
        ("events", 400),
        ("retracted", 402),
    ]
    assert len(frames[0]["events"]) == FRAME_CHANGES
    assert frames[2]["ids"] == ["x"]


async def test_this_processs_commits_are_published_as_read_back(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []

    async def counting_read(engine: AsyncEngine, *, after: int, limit: int) -> list[Change]:
        reads.append(after)
        return await read_changes(engine, after=after, limit=limit)

    monkeypatch.setattr(hub_module, "read_changes", counting_read)
    # No poll of the latest cursor meanwhile: one landing between a commit and its hand-over
    # would (rightly) have the hub read that commit instead.
    monkeypatch.setattr(rig.hub, "_poll_interval", 60.0)
    await asyncio.sleep(0.3)  # the poll already waiting ends on its old 0.2 s
    with rig.hub.subscribe(limit=1_000) as subscription:
        await rig.post(3, fields={"kind": "impact", "city": "Kyiv"})
        await rig.post(2)
        batches = list(await asyncio.wait_for(subscription.next(), 10))
        while sum(len(batch.changes) for batch in batches) < 5:
            batches += await asyncio.wait_for(subscription.next(), 10)
    # Handed over by the writer, not read back, and the records a read gives.
    assert reads == []
    published = [change.record for batch in batches for change in batch.changes]
    stored = await read_changes(rig.engine, after=0, limit=100)
    assert published == [change.record for change in stored]
    assert [record["seq"] for record in published if record] == [1, 2, 3, 4, 5]


async def test_a_commit_after_another_workers_is_read_with_it_in_order(
    rig: Rig, other_worker: OtherWorker
) -> None:
    with rig.hub.subscribe(limit=100) as subscription:
        # Another worker's commit (seq 1) the hub has not heard of, then one of this process
        # (seq 2): not next to the hub's cursor, so read from the database with the other.
        await other_worker()
        await rig.post()
        assert await collect(subscription, 2) == [1, 2]
