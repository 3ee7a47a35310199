"""The alert endpoints' wire: GET /alerts and GET /nights/{night}/alerts, their models and the
dicts the routes write (the state itself is backend/domain/alerts.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from backend.domain.alerts import AlertEvent, AlertFold, Interval, State


def state_of(fold: AlertFold) -> list[dict[str, Any]]:
    """The `regions` of GET /alerts."""
    return [
        {"region": item.region, "state": item.state, "since": item.since, "areas": list(item.areas)}
        for item in fold.regions().values()
    ]


def interval_of(item: Interval) -> dict[str, Any]:
    """An interval as GET /nights/{night}/alerts lists it."""
    return {
        "region": item.region,
        "area": item.area,
        "started_at": item.started_at,
        "ended_at": item.ended_at,
    }


def unmatched_of(event: AlertEvent) -> dict[str, Any]:
    """An unmatched end as GET /nights/{night}/alerts lists it."""
    return {
        "id": event.id,
        "region": event.region,
        "area": event.area,
        "occurred_at": event.occurred_at,
        "seq": event.seq,
    }


class RegionAlertOut(BaseModel):
    """A region under alert."""

    region: str
    state: State = Field(description="full: a whole-oblast alert is on; partial: local ones.")
    since: datetime = Field(
        description="Start of the whole-oblast alert (full), or of the earliest open local "
        "alert (partial), whatever night it began in."
    )
    areas: list[str] = Field(description="The raions or hromadas under local alerts.")


class AlertsOut(BaseModel):
    """GET /alerts: every region with an alert on at `at`."""

    at: datetime
    regions: list[RegionAlertOut]


class IntervalOut(BaseModel):
    """One alert, from its start to its end (null: still on)."""

    region: str
    area: str | None
    started_at: datetime
    ended_at: datetime | None


class UnmatchedEndOut(BaseModel):
    """An alert_end with no alert on for its region and area: stored, counted, no effect."""

    id: str | None
    region: str
    area: str | None
    occurred_at: datetime
    seq: int


class NightAlertsOut(BaseModel):
    """GET /nights/{night}/alerts: the alerts overlapping the night's window."""

    night: date
    window_start: datetime
    window_end: datetime
    intervals: list[IntervalOut]
    alert_minutes: dict[str, float] = Field(
        description="Minutes under any alert inside the window (up to now for tonight)."
    )
    unmatched_ends: list[UnmatchedEndOut]
