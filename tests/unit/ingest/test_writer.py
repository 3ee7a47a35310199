"""The group-commit writer on a real database: atomicity, idempotency, seq order, sharing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.records import IdConflictError, Row, to_row
from backend.domain.schemas import EventIn
from backend.ingest.writer import GroupCommitWriter, WriteOutcome, store_for
from backend.store.db import create_engine
from backend.store.migrations import upgrade_database
from backend.store.queries import EventFilter, list_events

pytestmark = pytest.mark.asyncio


def rows(*ids: str | None, count: int = 1) -> list[Row]:
    """Rows for launch events with the given ids (None: server-assigned)."""
    now = datetime.now(UTC)
    return [
        to_row(
            EventIn.model_validate(
                {
                    "kind": "launch",
                    "weapon": "drone",
                    "count": count,
                    "occurred_at": "2025-07-03T22:00:00+03:00",
                    **({"id": event_id} if event_id else {}),
                }
            ),
            received_at=now,
        )
        for event_id in ids
    ]


@dataclass
class Harness:
    """A started writer on a migrated database, with the commits it reported."""

    engine: AsyncEngine
    writer: GroupCommitWriter
    commits: list[int]

    async def insert(self, *ids: str | None, count: int = 1) -> WriteOutcome:
        """Insert launch events with these ids as one request."""
        batch = rows(*ids, count=count)
        return await self.writer.insert(batch, client_ids=[i for i in ids if i])

    async def stored(self) -> list[dict[str, object]]:
        """Every stored record."""
        return await list_events(self.engine, EventFilter(), limit=100_000)


@pytest.fixture
async def harness(database_url: str) -> AsyncIterator[Harness]:
    engine = create_engine(database_url)
    await upgrade_database(engine)
    commits: list[int] = []
    writer = GroupCommitWriter(
        store_for(engine, sqlite_synchronous="FULL"), on_commit=commits.append
    )
    await writer.start()
    yield Harness(engine, writer, commits)
    await writer.stop()
    await engine.dispose()


async def test_concurrent_requests_share_commits_and_get_distinct_increasing_seqs(
    harness: Harness,
) -> None:
    outcomes = await asyncio.gather(*(harness.insert(None) for _ in range(300)))
    seqs = [seq for outcome in outcomes for seq in outcome.seqs]
    assert sorted(seqs) == list(range(1, 301))
    assert harness.writer.groups_committed < 300  # group commit happened
    assert harness.commits == sorted(harness.commits)
    assert harness.commits[-1] == 300
    assert len(await harness.stored()) == 300


async def test_concurrent_posts_of_one_id_store_it_once(harness: Harness) -> None:
    outcomes = await asyncio.gather(*(harness.insert("same") for _ in range(20)))
    accepted = [outcome.accepted for outcome in outcomes]
    assert sorted(accepted) == [0] * 19 + [1]
    assert {tuple(outcome.seqs) for outcome in outcomes} == {(1,)}


async def test_a_conflicting_request_fails_alone_and_whole(harness: Harness) -> None:
    await harness.insert("x")
    good, bad = await asyncio.gather(
        harness.insert("a", "b"),
        harness.insert("c", "x", count=9),
        return_exceptions=True,
    )
    assert not isinstance(good, BaseException)
    assert isinstance(bad, IdConflictError)
    assert bad.conflicts == [(1, "x")]
    ids = sorted(str(record["id"]) for record in await harness.stored())
    assert ids == ["a", "b", "x"]


async def test_retraction_takes_the_next_seq(harness: Harness) -> None:
    await harness.insert("r1", "r2")
    outcome = await harness.writer.retract("r1")
    assert outcome is not None
    assert (outcome.seq, outcome.retracted_seq, outcome.newly_retracted) == (1, 3, True)
    again = await harness.writer.retract("r1")
    assert again is not None
    assert again.newly_retracted is False
    assert await harness.writer.retract("nope") is None
    assert harness.commits[-1] == 3
    next_outcome = await harness.insert("r3")
    assert next_outcome.seqs == [4]


async def test_stop_drains_queued_writes(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade_database(engine)
    writer = GroupCommitWriter(store_for(engine, sqlite_synchronous="FULL"))
    await writer.start()
    pending = [asyncio.ensure_future(writer.insert(rows(None), client_ids=[])) for _ in range(50)]
    await asyncio.sleep(0)
    await writer.stop()
    assert all(task.done() and not task.exception() for task in pending)
    assert len(await list_events(engine, EventFilter(), limit=1000)) == 50
    await engine.dispose()
