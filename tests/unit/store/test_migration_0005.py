"""alembic/versions/0005: a store made by the previous release (tests/fixtures/prev_release)
upgraded to head: its csv- events become the reports import-csv makes, nothing else changes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from alembic import command
from backend.cli.import_csv import import_file
from backend.domain.dataset_legacy import is_legacy_id
from backend.store.db import create_engine
from backend.store.migrations import alembic_config
from backend.store.models import (
    UTCDateTime,
    events_table,
    replay_sessions_table,
    reports_table,
)
from backend.store.reports import store_reports
from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.helpers.dataset import dataset

FIXTURE = Path(__file__).parents[2] / "fixtures" / "prev_release" / "store.json"
# The nights tests/fixtures/prev_release/make_store.py imported with the previous release.
NIGHTS = ("2025-07-04", "2025-07-23", "2025-07-24", "2026-03-30", "2023-03-09")
TABLES = {t.name: t for t in (events_table, replay_sessions_table, reports_table)}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'prev.db'}"
        return
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


def typed(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for name, value in row.items():
        kind = table.c[name].type
        if value is not None and isinstance(kind, UTCDateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(kind, sa.Date):
            value = date.fromisoformat(value)
        values[name] = value
    return values


async def migrate(engine: AsyncEngine, revision: str) -> None:
    def run(connection: sa.Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)


async def load_fixture(engine: AsyncEngine, store: dict[str, Any]) -> None:
    await migrate(engine, store["alembic_version"])
    async with engine.begin() as conn:
        for name, rows in store["tables"].items():
            table = TABLES[name]
            columns = [table.c[column] for column in rows[0]] if rows else []
            for row in rows:
                await conn.execute(
                    sa.insert(sa.table(name, *[sa.column(c.name, c.type) for c in columns])).values(
                        typed(table, row)
                    )
                )


async def read(engine: AsyncEngine, table: sa.Table, *columns: str) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        query = sa.select(*[table.c[c] for c in columns]).order_by(table.c[columns[0]])
        return [dict(row) for row in (await conn.execute(query)).mappings()]


def test_previous_release_store_upgrades_to_reports(fresh_url: str) -> None:
    store = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert store["alembic_version"] == "0003"
    prev = store["tables"]
    legacy = [event for event in prev["events"] if is_legacy_id(event["id"])]
    others = [event for event in prev["events"] if not is_legacy_id(event["id"])]
    assert legacy
    assert others

    nights = {date.fromisoformat(night) for night in NIGHTS}
    imported = import_file(dataset(), nights=nights).reports
    imported = [report for report in imported if report["scope"] == "national"]

    async def scenario() -> tuple[list[Any], list[Any], list[Any]]:
        engine = create_engine(fresh_url)
        try:
            await load_fixture(engine, store)
            await migrate(engine, "head")
            await migrate(engine, "head")  # at head already: nothing more happens
            again = await store_reports(engine, imported, received_at=datetime.now(UTC))
            assert (again.accepted, again.duplicates) == (0, len(imported))
            events = await read(engine, events_table, "seq", "id", "count", "retracted_seq")
            sessions = await read(engine, replay_sessions_table, "id", "version", "night")
            reports = await read(
                engine, reports_table, "id", "content", "received_at", "retracted_at"
            )
            return events, sessions, reports
        finally:
            await engine.dispose()

    events, sessions, reports = asyncio.run(scenario())
    # Every other event, with its seq, as it was; no csv- event left.
    assert events == [
        {key: event[key] for key in ("seq", "id", "count", "retracted_seq")} for event in others
    ]
    assert [s["id"] for s in sessions] == [s["id"] for s in prev["replay_sessions"]]
    assert [s["version"] for s in sessions] == [s["version"] for s in prev["replay_sessions"]]
    stored = {report["id"]: orjson.loads(report["content"]) for report in reports}
    # The report stored before is kept as it was.
    for before in prev["reports"]:
        assert stored.pop(before["id"]) == json.loads(before["content"])
    # The rest are exactly the reports the new import makes of the imported nights ...
    made = {report["id"]: report for report in imported}
    from_file = {key: value for key, value in stored.items() if key in made}
    assert from_file == made
    # ... and the one rebuilt from the events of a row the shipped file does not have.
    [(_rebuilt_id, rebuilt)] = [(k, v) for k, v in stored.items() if k not in made]
    assert rebuilt["night"] == "2022-10-18"
    assert rebuilt["lines"] == [
        {
            "weapon": "drone",
            "model": "Shahed-136/131",
            "launched": 43,
            "shot_down": 37,
            "suppressed": None,
            "neutralized": None,
            "still_in_air": None,
        }
    ]
    assert "kpszsu/posts/pfbid0oldercopy" in rebuilt["note"]
    received = {r["id"]: r["received_at"] for r in reports}
    first_legacy = min(datetime.fromisoformat(e["received_at"]) for e in legacy)
    assert min(received[k] for k in made) == first_legacy
    assert all(report["retracted_at"] is None for report in reports)
