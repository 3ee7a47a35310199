"""The latest cursor (backend/store/cursor.py): max of seq and retracted_seq, on every driver."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from backend.domain.records import Row, to_row
from backend.domain.schemas import EventIn
from backend.ingest.plan import InsertRequest
from backend.ingest.sqlite_store import SqliteWriteStore
from backend.store.cursor import (
    LATEST_CURSOR_SQLITE,
    cursor_of,
    latest_cursor,
    latest_cursor_on,
    latest_cursor_sync,
)
from backend.store.db import create_engine
from backend.store.migrations import upgrade_database
from tests.helpers.rig import Rig


def launch(event_id: str) -> Row:
    """The row of a launch event with a client-chosen id."""
    event = EventIn.model_validate(
        {"id": event_id, "kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00Z"}
    )
    return to_row(event, received_at=datetime.now(UTC))


async def post(rig: Rig, *ids: str) -> None:
    """Commit launch events with these ids in one request."""
    await rig.writer.insert([launch(event_id) for event_id in ids], client_ids=list(ids))


def test_cursor_of_an_empty_store_is_zero() -> None:
    assert cursor_of((None, None)) == 0


def test_cursor_of_is_the_larger_of_seq_and_retracted_seq() -> None:
    assert cursor_of((7, None)) == 7
    assert cursor_of((7, 9)) == 9
    assert cursor_of((9, 7)) == 9


async def test_an_empty_store_has_cursor_zero(rig: Rig) -> None:
    assert await latest_cursor(rig.engine) == 0


async def test_the_cursor_is_the_highest_seq_of_the_events(rig: Rig) -> None:
    await post(rig, "a", "b", "c")
    assert await latest_cursor(rig.engine) == 3


async def test_a_retraction_moves_the_cursor_to_its_retracted_seq(rig: Rig) -> None:
    await post(rig, "a", "b", "c")
    outcome = await rig.writer.retract("a")
    assert outcome is not None
    assert outcome.retracted_seq == 4
    # The highest seq of an event is still 3: the cursor is the retraction's.
    assert await latest_cursor(rig.engine) == 4
    await post(rig, "d")
    assert await latest_cursor(rig.engine) == 5


async def test_a_repeated_retraction_does_not_move_the_cursor(rig: Rig) -> None:
    await post(rig, "a")
    await rig.writer.retract("a")
    await rig.writer.retract("a")
    assert await latest_cursor(rig.engine) == 2


async def test_the_async_and_sync_readings_agree(rig: Rig) -> None:
    await post(rig, "a", "b")
    await rig.writer.retract("b")
    async with rig.engine.connect() as conn:
        on_async = await latest_cursor_on(conn)
        on_sync = await conn.run_sync(latest_cursor_sync)
    assert on_async == on_sync == 3


async def test_the_sqlite3_statement_answers_as_the_sqlalchemy_one(tmp_path: Path) -> None:
    path = tmp_path / "cursor.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade_database(engine)
    store = SqliteWriteStore(str(path), synchronous="NORMAL")

    def raw() -> int:
        with sqlite3.connect(path) as conn:
            return cursor_of(conn.execute(LATEST_CURSOR_SQLITE).fetchone())

    readings: list[tuple[int, int]] = []
    try:
        readings.append((raw(), await latest_cursor(engine)))
        await store.insert_group([InsertRequest([launch("a"), launch("b")], ["a", "b"])])
        readings.append((raw(), await latest_cursor(engine)))
        await store.retract("a")
        readings.append((raw(), await latest_cursor(engine)))
        await store.insert_group([InsertRequest([launch("c")], ["c"])])
        readings.append((raw(), await latest_cursor(engine)))
    finally:
        await store.close()
        await engine.dispose()
    assert readings == [(0, 0), (2, 2), (3, 3), (4, 4)]
