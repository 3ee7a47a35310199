"""Official reports in the store: writing a batch atomically and idempotently, retracting,
and reading a night's reports. Never joined with the events: a report states totals.

Reports are rare (a few a night), so each POST is its own transaction rather than going
through the events' group-commit writer. Concurrent writers of the same id are settled by the
primary key: the loser's IntegrityError rolls its transaction back and it plans again, now
seeing the winner's row (a duplicate or a conflict, never a 500).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from backend.domain.official import official_of, superseded_ids
from backend.domain.records import IdConflictError
from backend.domain.reports import StoredReport, canonical
from backend.store.db import SQLITE_IMMEDIATE, retrying_write
from backend.store.models import reports_table
from backend.store.summaries import mark_nights, mark_report

_R = reports_table


class ReportRefusedError(Exception):
    """A report that names another in a way the store cannot accept (index, field, message)."""

    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class ReportsOutcome:
    """How many reports were new, how many duplicates, and every posted id in order."""

    accepted: int
    duplicates: int
    ids: list[str]


async def store_reports(
    engine: AsyncEngine, contents: list[dict[str, Any]], *, received_at: datetime
) -> ReportsOutcome:
    """Store the reports in one transaction: all of them, or none (an error is raised)."""
    return await retrying_write(engine, lambda conn: _store(conn, contents, received_at))


def _store(
    conn: Connection, contents: list[dict[str, Any]], received_at: datetime
) -> ReportsOutcome:
    conn = conn.execution_options(**{SQLITE_IMMEDIATE: True})
    with conn.begin():
        ids = [content["id"] for content in contents]
        wanted = set(ids) | {c["supersedes"] for c in contents if c["supersedes"] is not None}
        query = select(_R.c.id, _R.c.night, _R.c.content).where(_R.c.id.in_(sorted(wanted)))
        known = {row.id: (row.night, row.content) for row in conn.execute(query)}
        stored = {key: orjson.loads(content) for key, (_night, content) in known.items()}
        nights = {key: night for key, (night, _content) in known.items()}
        new: dict[str, dict[str, Any]] = {}
        conflicts: list[tuple[int, str]] = []
        for index, content in enumerate(contents):
            earlier = stored.get(content["id"]) or new.get(content["id"])
            if earlier is None:
                new[content["id"]] = content
                nights[content["id"]] = date.fromisoformat(content["night"])
            elif canonical(earlier) != canonical(content):
                conflicts.append((index, content["id"]))
        if conflicts:
            raise IdConflictError(conflicts)
        _check_supersedes(contents, nights)
        if new:
            conn.execute(insert(_R), [_row(content, received_at) for content in new.values()])
            mark_nights(conn, (date.fromisoformat(content["night"]) for content in new.values()))
    return ReportsOutcome(len(new), len(contents) - len(new), ids)


def _check_supersedes(contents: list[dict[str, Any]], nights: dict[str, date]) -> None:
    """A correction replaces a report of its own night; one not stored yet may come later."""
    for index, content in enumerate(contents):
        target = content["supersedes"]
        if target is None or target not in nights:
            continue
        if nights[target] != date.fromisoformat(content["night"]):
            raise ReportRefusedError(
                index,
                "supersedes",
                f"supersedes: report {target!r} is of night {nights[target]}, not "
                f"{content['night']}: a report supersedes one of its own night",
            )


def _row(content: dict[str, Any], received_at: datetime) -> dict[str, Any]:
    return {
        "id": content["id"],
        "night": date.fromisoformat(content["night"]),
        "issuer": content["issuer"],
        "scope": content["scope"],
        "issued_at": datetime.fromisoformat(content["issued_at"]),
        "supersedes": content["supersedes"],
        "retracted_at": None,
        "content": canonical(content).decode(),
        "received_at": received_at,
    }


async def retract_report(engine: AsyncEngine, report_id: str, *, now: datetime) -> bool:
    """Flag the report retracted (kept); False when no report has that id. Idempotent."""
    async with engine.begin() as conn:
        await conn.execute(
            update(_R)
            .where(_R.c.id == report_id, _R.c.retracted_at.is_(None))
            .values(retracted_at=now)
        )
        await conn.run_sync(lambda sync: mark_report(sync, report_id))
        found = await conn.execute(select(_R.c.id).where(_R.c.id == report_id))
        return found.first() is not None


async def stored_reports(
    engine: AsyncEngine, *, nights: tuple[date, date] | None = None
) -> list[tuple[StoredReport, datetime]]:
    """Reports (of a night range, or all), each with its received_at, in issued_at order."""
    async with engine.connect() as conn:
        return await stored_reports_on(conn, nights=nights)


async def stored_reports_on(
    conn: AsyncConnection, *, nights: tuple[date, date] | None = None
) -> list[tuple[StoredReport, datetime]]:
    """The same, read on a connection the caller holds (for a consistent snapshot)."""
    query = select(_R.c.content, _R.c.retracted_at, _R.c.received_at)
    if nights is not None:
        query = query.where(_R.c.night.between(*nights))
    query = query.order_by(_R.c.issued_at, _R.c.id)
    rows = (await conn.execute(query)).all()
    return [
        (StoredReport(orjson.loads(row.content), row.retracted_at is not None), row.received_at)
        for row in rows
    ]


async def official(engine: AsyncEngine, *, nights: tuple[date, date]) -> dict[str, Any] | None:
    """The official figures of the reports of a night range (None without a counted one)."""
    async with engine.connect() as conn:
        return await official_on(conn, nights=nights)


async def official_on(conn: AsyncConnection, *, nights: tuple[date, date]) -> dict[str, Any] | None:
    """The same, read on a connection the caller holds (for a consistent snapshot)."""
    found = await stored_reports_on(conn, nights=nights)
    return official_of(report for report, _received in found)


async def night_reports(engine: AsyncEngine, night: date) -> list[dict[str, Any]]:
    """GET /nights/{night}/reports: every report of the night, flagged, in issued_at order."""
    found = await stored_reports(engine, nights=(night, night))
    superseded = superseded_ids(report for report, _received in found)
    return [
        {
            **report.content,
            "received_at": received_at,
            "superseded": report.content["id"] in superseded,
            "retracted": report.retracted,
        }
        for report, received_at in found
    ]


async def reports_by_night(engine: AsyncEngine) -> dict[date, list[StoredReport]]:
    """Every report in the store, grouped by night (reports are a few a night)."""
    grouped: dict[date, list[StoredReport]] = defaultdict(list)
    for report, _received in await stored_reports(engine):
        grouped[date.fromisoformat(report.content["night"])].append(report)
    return dict(grouped)
