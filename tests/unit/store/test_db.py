"""Engines (backend/store/db.py): on PostgreSQL every statement is planned for its parameters,
so a plan chosen while the events table was small is not kept as it grows."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from backend.store.db import create_engine
from backend.store.migrations import upgrade_database
from tests.helpers.databases import truncate_events

LOOKUP = "PREPARE lookup(varchar, varchar) AS SELECT seq FROM events WHERE id IN ($1, $2)"
GROW = (
    "INSERT INTO events (seq, id, kind, count, occurred_at, received_at, night) "
    "SELECT n, 'grown-' || n, 'launch', 1, now(), now(), current_date "
    "FROM generate_series(1, 20000) AS n"
)


async def _plan_after_growth(url: str) -> tuple[str, str]:
    engine = create_engine(url)
    try:
        await upgrade_database(engine)
        async with engine.connect() as conn:
            mode = (await conn.execute(text("SHOW plan_cache_mode"))).scalar_one()
            await conn.execute(text(LOOKUP))
            # PostgreSQL settles on a generic plan after five executions: on the empty table.
            for _ in range(6):
                await conn.execute(text("EXECUTE lookup('a', 'b')"))
            await conn.execute(text(GROW))
            plan = await conn.execute(text("EXPLAIN EXECUTE lookup('grown-7', 'grown-9')"))
            await conn.rollback()
        return mode, "\n".join(row[0] for row in plan)
    finally:
        await engine.dispose()


def test_a_lookup_prepared_on_an_empty_table_uses_the_id_index_once_it_grew(
    postgres_url: str,
) -> None:
    asyncio.run(truncate_events(postgres_url))
    mode, plan = asyncio.run(_plan_after_growth(postgres_url))
    assert mode == "force_custom_plan"
    assert "events_id_key" in plan, plan
    assert "Seq Scan" not in plan, plan
