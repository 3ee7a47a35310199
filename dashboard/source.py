"""The one seam between the dashboard and the service: the hub, records, replay sessions."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any, Protocol

from backend.domain.alerts import OpenAlert
from backend.domain.nights import night_window
from backend.domain.reports import StoredReport
from backend.replay.sessions import Session
from backend.replay.timeline import NightTimeline
from backend.services import Services
from backend.store.alerts import night_alerts, opened_on
from backend.store.calendar import recorded_nights
from backend.store.cursor import latest_cursor
from backend.store.queries import EventFilter, iter_events, nights_listing
from backend.store.reports import stored_reports
from backend.store.summaries import opened_from_summaries
from backend.stream.hub import Subscription


class EventSource(Protocol):
    """What the dashboard needs from the service."""

    def subscribe(self, *, limit: int) -> AbstractContextManager[Subscription]: ...

    async def opened_alerts(self, night: date) -> list[OpenAlert]: ...

    async def night_records(self, night: date) -> tuple[int, list[dict[str, Any]]]: ...

    async def night_totals(self) -> list[tuple[date, int]]: ...

    async def nights(self) -> list[date]: ...

    async def night_reports(self, night: date) -> list[StoredReport]: ...


class ServiceSource:
    """EventSource over the running service's hub and database."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def subscribe(self, *, limit: int) -> AbstractContextManager[Subscription]:
        """A hub subscription (open it before reading records, so nothing falls between)."""
        return self._services.hub.subscribe(limit=limit)

    async def opened_alerts(self, night: date) -> list[OpenAlert]:
        """The alerts on when the night began (begun on earlier nights, not ended by then).

        From the per-night summaries while they are current (a past night's page, its report),
        else read from the alert events (opened_on: ~0.5 s over the whole history)."""
        async with self._services.engine.connect() as conn:
            kept = await opened_from_summaries(conn, night)
            if kept is not None:
                return list(kept)
            return await opened_on(conn, night_window(night)[0])

    async def night_records(self, night: date) -> tuple[int, list[dict[str, Any]]]:
        """The latest cursor, and the night's records up to it in seq order."""
        engine = self._services.engine
        cursor = await latest_cursor(engine)
        records = [
            record
            async for record in iter_events(engine, EventFilter(night=night))
            if record["seq"] <= cursor
        ]
        return cursor, records

    async def night_alert_minutes(self, night: date) -> dict[str, float]:
        """Minutes under alert per region in the night's window, as GET /nights/{night}/alerts."""
        found = await night_alerts(self._services.engine, night, now=datetime.now(UTC))
        minutes: dict[str, float] = found["alert_minutes"]
        return minutes

    async def night_totals(self) -> list[tuple[date, int]]:
        """Every night with events or reports and its total launched (the reports' figure
        where there is one, else the observed), as GET /nights computes them."""
        totals = []
        for row in await nights_listing(self._services.engine):
            official = row["official"] or {}
            launched = official.get("launched")
            totals.append((row["night"], launched if launched is not None else row["launched"]))
        return totals

    async def nights(self) -> list[date]:
        """Every night with events or reports, newest first."""
        return await recorded_nights(self._services.engine)

    async def night_reports(self, night: date) -> list[StoredReport]:
        """Every report of the night (retracted and superseded ones too: the fold skips them)."""
        found = await stored_reports(self._services.engine, nights=(night, night))
        return [report for report, _received in found]

    async def replay_session(self, session_id: str) -> Session | None:
        """A replay session as stored now."""
        return await self._services.replays.get(session_id)

    async def night_timeline(self, session: Session) -> NightTimeline:
        """The replayed night's events in time order."""
        return await self._services.timelines.get(session.night)
