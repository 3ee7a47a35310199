"""`skywatch serve --demo`: a newcomer's first start shows a full night, not an empty page.

The night's reconstructed events (what was observed) and the Air Force's report of that
morning (what was stated, seeds/2025-07-04.reports.json, the record `skywatch import-csv`
makes of the same post) are both loaded, side by side: the report never adds to the events.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from pydantic import TypeAdapter
from sqlalchemy import func, select

from backend.config import Settings
from backend.domain.recording import read_recording
from backend.domain.records import to_row
from backend.domain.reports import ReportIn
from backend.domain.schemas import EventIn
from backend.ingest.writer import GroupCommitWriter, store_for
from backend.resources import resource_dir
from backend.store.db import create_engine
from backend.store.migrations import upgrade_database
from backend.store.models import events_table
from backend.store.reports import store_reports

log = logging.getLogger(__name__)
DEMO_NIGHT = "2025-07-04.jsonl"
_EVENTS = TypeAdapter(list[EventIn])
_REPORTS = TypeAdapter(list[ReportIn])


async def load_demo_if_empty(settings: Settings, path: Path | None = None) -> int:
    """Store the recorded night (default: the demo night of the seeds) and its reports (the
    `<night>.reports.json` beside it, if any) when the store holds no event yet; how many
    events were stored."""
    path = path or resource_dir("seeds") / DEMO_NIGHT
    engine = create_engine(settings.resolved_database_url())
    try:
        await upgrade_database(engine)
        async with engine.connect() as conn:
            stored = (await conn.execute(select(func.count()).select_from(events_table))).scalar()
        if stored:
            return 0
        events = _EVENTS.validate_python([line.event for line in read_recording(path)])
        now = datetime.now(UTC)
        rows = [to_row(event, received_at=now) for event in events]
        writer = GroupCommitWriter(
            store_for(engine, sqlite_synchronous=settings.sqlite_synchronous)
        )
        await writer.start()
        try:
            outcome = await writer.insert(rows, client_ids=[row["id"] for row in rows])
        finally:
            await writer.stop()
        reports_path = path.with_name(path.name.removesuffix(".jsonl") + ".reports.json")
        if reports_path.is_file():
            reports = _REPORTS.validate_json(reports_path.read_bytes())
            contents = [report.content() for report in reports]
            await store_reports(engine, contents, received_at=now)
        log.info("demo: loaded %d events of %s", outcome.accepted, path.name)
        return outcome.accepted
    finally:
        await engine.dispose()
