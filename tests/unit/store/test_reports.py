"""backend/store/reports.py on both databases: one transaction per batch, idempotent by id,
and concurrent writers of the same id settled without an error (the primary key decides)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.records import IdConflictError
from backend.domain.reports import ReportIn
from backend.store.db import create_engine
from backend.store.migrations import upgrade_database
from backend.store.reports import (
    night_reports,
    retract_report,
    store_reports,
)

NIGHT = date(2025, 7, 4)
NOW = datetime(2025, 7, 4, 7, tzinfo=UTC)


def content(report_id: str, launched: int = 539) -> dict[str, Any]:
    """The stored content of a national report with one drone line."""
    data = {
        "id": report_id,
        "night": "2025-07-04",
        "issuer": "air_force",
        "scope": "national",
        "issued_at": "2025-07-04T09:00:00+03:00",
        "lines": [{"weapon": "drone", "launched": launched}],
    }
    return ReportIn.model_validate(data).content()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated engine on an empty database."""
    engine = create_engine(database_url)
    await upgrade_database(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


async def test_concurrent_writers_of_one_report_store_it_once(engine: AsyncEngine) -> None:
    outcomes = await asyncio.gather(
        *(store_reports(engine, [content("af-1")], received_at=NOW) for _ in range(8))
    )
    assert sorted(outcome.accepted for outcome in outcomes) == [0] * 7 + [1]
    assert [report["id"] for report in await night_reports(engine, NIGHT)] == ["af-1"]


async def test_concurrent_writers_of_other_content_get_conflicts(engine: AsyncEngine) -> None:
    results = await asyncio.gather(
        *(
            store_reports(engine, [content("af-1", launched)], received_at=NOW)
            for launched in range(1, 7)
        ),
        return_exceptions=True,
    )
    conflicts = [result for result in results if isinstance(result, IdConflictError)]
    assert len(conflicts) == 5
    assert all(error.conflicts == [(0, "af-1")] for error in conflicts)
    assert len(await night_reports(engine, NIGHT)) == 1


async def test_a_conflict_in_a_batch_stores_none_of_it(engine: AsyncEngine) -> None:
    await store_reports(engine, [content("af-1")], received_at=NOW)
    with pytest.raises(IdConflictError) as caught:
        await store_reports(engine, [content("af-2"), content("af-1", 7)], received_at=NOW)
    assert caught.value.conflicts == [(1, "af-1")]
    assert [report["id"] for report in await night_reports(engine, NIGHT)] == ["af-1"]


async def test_one_id_twice_in_a_batch(engine: AsyncEngine) -> None:
    same = await store_reports(engine, [content("af-1"), content("af-1")], received_at=NOW)
    assert (same.accepted, same.duplicates, same.ids) == (1, 1, ["af-1", "af-1"])
    with pytest.raises(IdConflictError):
        await store_reports(engine, [content("af-2"), content("af-2", 1)], received_at=NOW)


async def test_retract_is_idempotent_and_unknown_ids_are_false(engine: AsyncEngine) -> None:
    await store_reports(engine, [content("af-1")], received_at=NOW)
    assert await retract_report(engine, "af-1", now=NOW)
    assert await retract_report(engine, "af-1", now=NOW)
    assert not await retract_report(engine, "nothing", now=NOW)
    [report] = await night_reports(engine, NIGHT)
    assert report["retracted"] is True
