"""Alert endpoints: the alert state at an instant, and a night's alert intervals.

Both read the state across nights (backend/store/alerts.py): an alert begun before noon is
still on after it. Reading needs what every GET needs (AccessControl: a view token when
SKYWATCH_VIEW_TOKENS is set).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from backend.api.deps import ServicesDep
from backend.api.errors import ApiError, json_response
from backend.domain.alert_wire import AlertsOut, NightAlertsOut, state_of
from backend.domain.schemas import ErrorOut, NightLabel
from backend.domain.times import parse_rfc3339
from backend.store.alerts import alerts_at, night_alerts

router = APIRouter(tags=["alerts"])


def _at(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = parse_rfc3339(value)
    except ValueError as error:
        raise ApiError(
            422,
            [
                {
                    "loc": ["query", "at"],
                    "index": None,
                    "field": "at",
                    "msg": f"at: must be an RFC 3339 date-time with offset ({error})",
                    "type": "value_error",
                }
            ],
        ) from None
    assert isinstance(parsed, datetime)
    return parsed.astimezone(UTC)


@router.get(
    "/alerts",
    response_model=AlertsOut,
    responses={422: {"model": ErrorOut}},
    summary="Regions under air-raid alert at an instant (default: now)",
)
async def get_alerts(
    services: ServicesDep,
    at: Annotated[
        str | None,
        Query(description="An RFC 3339 date-time with offset; default now.", max_length=64),
    ] = None,
) -> Response:
    """From every alert event up to `at`, whatever night it belongs to; retracted ones left
    out. `full`: a whole-oblast alert is on; `partial`: only local ones (see `areas`)."""
    instant = _at(at)
    fold = await alerts_at(services.engine, instant)
    return json_response({"at": instant, "regions": state_of(fold)})


@router.get(
    "/nights/{night}/alerts",
    response_model=NightAlertsOut,
    responses={422: {"model": ErrorOut}},
    summary="Every alert interval overlapping a night's window, and minutes under alert",
)
async def get_night_alerts(
    services: ServicesDep,
    night: Annotated[NightLabel, Path(description="A night label YYYY-MM-DD.")],
) -> Response:
    """Intervals begun before the window or still on are included with their real start and
    end (`ended_at` null: still on). `alert_minutes` counts per region the minutes inside the
    window (for tonight, up to now) under any alert, overlaps once. `unmatched_ends` lists
    the alert_ends of the window that found no alert on: stored and counted, no effect."""
    return json_response(await night_alerts(services.engine, night, now=datetime.now(UTC)))
