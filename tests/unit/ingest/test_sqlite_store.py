"""The raw sqlite3 store writes exactly what the SQLAlchemy model reads back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from backend.domain.records import to_row
from backend.domain.schemas import EventIn
from backend.ingest.plan import InsertRequest
from backend.ingest.sqlite_store import ROWS_PER_STATEMENT, SqliteWriteStore
from backend.store.db import create_engine
from backend.store.migrations import upgrade_database
from backend.store.models import events_table, from_epoch_micros, to_epoch_micros


def test_epoch_micros_round_trip_exactly() -> None:
    for instant in (
        datetime(2025, 7, 3, 19, 0, 0, 123456, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2025, 10, 26, 3, 30, tzinfo=timezone(timedelta(hours=2))),
    ):
        assert from_epoch_micros(to_epoch_micros(instant)) == instant


async def test_rows_written_raw_read_back_equal_through_sqlalchemy(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    engine = create_engine(url)
    await upgrade_database(engine)
    event = EventIn.model_validate(
        {
            "id": "raw-1",
            "kind": "impact",
            "weapon": "ballistic_missile",
            "model": "Iskander-M",
            "count": 2,
            "occurred_at": "2025-07-04T02:10:05.123456+03:00",
            "city": "Kyiv",
            "source": "kpszsu",
            "note": "two hits",
        }
    )
    row = to_row(event, received_at=datetime(2025, 7, 4, 0, 0, 1, tzinfo=UTC))
    store = SqliteWriteStore(str(tmp_path / "db.sqlite"), synchronous="FULL")
    plan = await store.insert_group([InsertRequest([dict(row)], ["raw-1"])])
    await store.close()
    async with engine.connect() as conn:
        stored = (await conn.execute(select(events_table))).mappings().one()
    await engine.dispose()
    assert plan.last_seq == 1
    assert {name: stored[name] for name in row} == row
    assert stored["seq"] == 1
    assert stored["retracted_seq"] is None


async def test_a_local_alert_s_area_is_written_raw_and_read_back(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    engine = create_engine(url)
    await upgrade_database(engine)
    event = EventIn.model_validate(
        {
            "id": "local-1",
            "kind": "alert_start",
            "region": "UA-63",
            "area": "Kupiansk raion",
            "occurred_at": "2025-07-04T11:30:00+03:00",
        }
    )
    row = to_row(event, received_at=datetime(2025, 7, 4, 8, 31, tzinfo=UTC))
    store = SqliteWriteStore(str(tmp_path / "db.sqlite"), synchronous="FULL")
    await store.insert_group([InsertRequest([dict(row)], ["local-1"])])
    # The same id with another area is a conflict, with the same area a duplicate.
    other = {**row, "area": "Izium raion"}
    plan = await store.insert_group(
        [InsertRequest([dict(row)], ["local-1"]), InsertRequest([other], ["local-1"])]
    )
    await store.close()
    async with engine.connect() as conn:
        stored = (await conn.execute(select(events_table))).mappings().one()
    await engine.dispose()
    assert stored["area"] == "Kupiansk raion"
    assert {name: stored[name] for name in row} == row
    duplicate, conflict = plan.answers
    assert not isinstance(duplicate, Exception)
    assert duplicate.duplicates == 1
    assert isinstance(conflict, Exception)


async def test_a_batch_longer_than_one_statement_is_stored_whole_and_in_order(
    tmp_path: Path,
) -> None:
    # Two full INSERT statements and a shorter last one; fields absent, present, fractional.
    count = 2 * ROWS_PER_STATEMENT + 234
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    engine = create_engine(url)
    await upgrade_database(engine)
    received = datetime(2025, 7, 4, 0, 0, 1, tzinfo=UTC)
    rows = [
        to_row(
            EventIn.model_validate(
                {
                    "id": f"long-{n}",
                    "kind": ("launch", "shot_down", "impact")[n % 3],
                    "weapon": "drone" if n % 3 < 2 else None,
                    "count": 1 + n % 7,
                    "occurred_at": (received + timedelta(seconds=n)).isoformat(),
                    "region": "UA-63" if n % 2 else None,
                    "lat": 49.5 + n / 10_000 if n % 2 == 0 else None,
                    "lon": 36.25 + n / 10_000 if n % 2 == 0 else None,
                    "note": f"n {n}" if n % 5 == 0 else None,
                }
            ),
            received_at=received,
        )
        for n in range(count)
    ]
    store = SqliteWriteStore(str(tmp_path / "db.sqlite"), synchronous="FULL")
    plan = await store.insert_group([InsertRequest([dict(row) for row in rows], [])])
    await store.close()
    async with engine.connect() as conn:
        query = select(events_table).order_by(events_table.c.seq)
        stored = (await conn.execute(query)).mappings().all()
    await engine.dispose()
    assert plan.last_seq == count
    assert [row["seq"] for row in stored] == list(range(1, count + 1))
    read_back = [{name: got[name] for name in row} for got, row in zip(stored, rows, strict=True)]
    assert read_back == rows
