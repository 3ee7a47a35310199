"""backend/store/calendar.py on both databases: the nights with anything live, newest first."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from backend.domain.records import to_row
from backend.domain.reports import ReportIn
from backend.domain.schemas import EventIn
from backend.store.calendar import recorded_nights
from backend.store.reports import retract_report, store_reports
from tests.helpers.report_records import report_record
from tests.helpers.rig import Rig

NOW = datetime(2025, 7, 5, 7, tzinfo=UTC)


def _report(**fields: Any) -> dict[str, Any]:
    return ReportIn.model_validate(report_record(**fields)).content()


async def test_nights_with_events_or_reports_newest_first(rig: Rig) -> None:
    assert await recorded_nights(rig.engine) == []
    event = EventIn.model_validate(
        {"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00Z"}
    )
    await rig.writer.insert([to_row(event, received_at=NOW)], client_ids=[])
    reports = [
        _report(),  # the night of the event: listed once
        _report(id="af-0626", night="2025-06-26"),
        _report(id="af-0101", night="2025-01-01"),
    ]
    await store_reports(rig.engine, reports, received_at=NOW)
    await retract_report(rig.engine, "af-0101", now=NOW)
    assert await recorded_nights(rig.engine) == [date(2025, 7, 4), date(2025, 6, 26)]
