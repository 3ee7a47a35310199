"""Snapshots folded once and sent to many (issue 15): a reconnect storm reads the database
once per night and cursor, and sharing never costs a viewer a change."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import orjson
import pytest

from backend.stream.session import StreamSession
from backend.stream.snapshots import shared_snapshots
from tests.helpers.rig import Rig

NIGHT = date(2025, 7, 4)  # the rig's events are 2025-07-03T22:00Z


async def test_viewers_asking_at_once_share_one_fold(rig: Rig) -> None:
    await rig.post(2_000)
    shared = shared_snapshots(rig.engine)
    before = shared.folds
    answers = await asyncio.gather(
        *(shared.get(rig.engine, NIGHT, cursor=rig.hub.cursor) for _ in range(200))
    )
    assert shared.folds == before + 1
    assert len({id(answer) for answer in answers}) == 1
    message = orjson.loads(answers[0].frame)
    assert (message["type"], message["seq"], message["stats"]["events"]) == (
        "snapshot",
        rig.hub.cursor,
        2_000,
    )


async def test_a_newer_cursor_folds_again(rig: Rig) -> None:
    await rig.post(10)
    shared = shared_snapshots(rig.engine)
    first = await shared.get(rig.engine, NIGHT, cursor=rig.hub.cursor)
    await rig.post(5)
    second = await shared.get(rig.engine, NIGHT, cursor=first.snapshot.seq + 5)
    assert second.snapshot.seq == first.snapshot.seq + 5
    assert orjson.loads(second.frame)["stats"]["events"] == 15


async def test_a_shared_snapshot_older_than_the_subscription_is_completed_from_the_store(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    await rig.post(10)
    shared = shared_snapshots(rig.engine)
    stale = await shared.get(rig.engine, NIGHT, cursor=0)
    await rig.post(3)
    await asyncio.sleep(0.5)  # the hub publishes the 3 new events before the viewer comes

    async def reuse(*_args: object, **_kwargs: object) -> object:
        return stale  # as if the viewer joined a fold begun before those 3 were written

    monkeypatch.setattr(shared, "get", reuse)
    frames: list[dict[str, Any]] = []
    caught_up = asyncio.Event()

    async def send(text: str) -> None:
        frames.append(orjson.loads(text))
        if frames[-1].get("seq") == stale.snapshot.seq + 3:
            caught_up.set()

    session = StreamSession(engine=rig.engine, hub=rig.hub, send=send, night=NIGHT, send_timeout=5)
    task = asyncio.create_task(session.run(since=None, queue_limit=1000))
    await asyncio.wait_for(caught_up.wait(), 30)  # a bound on a hang, not a claim about speed
    task.cancel()
    assert frames[0]["type"] == "snapshot"
    delivered = [event["seq"] for frame in frames[1:] for event in frame["events"]]
    assert delivered == [stale.snapshot.seq + 1, stale.snapshot.seq + 2, stale.snapshot.seq + 3]
