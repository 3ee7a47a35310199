"""GET /trends: per month, week or night, the figures of every night and its alert hours."""

from __future__ import annotations

import calendar
import csv
import io
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from backend.api.deps import ServicesDep
from backend.api.errors import ApiError, json_response
from backend.domain.nights import current_night
from backend.domain.regions import resolve_region
from backend.domain.schemas import WEAPONS, ErrorOut
from backend.domain.trends import BY, By, csv_columns, csv_record, trend_rows
from backend.store.summaries import summaries_in

router = APIRouter(tags=["stats"])

_BOUND = "A month YYYY-MM (or a night label YYYY-MM-DD); `to` inclusive."
_LIST = "Comma-separated, or the parameter repeated."


def _refusal(field: str, message: str) -> ApiError:
    return ApiError(
        422,
        [
            {
                "loc": ["query", field],
                "index": None,
                "field": field,
                "msg": f"{field}: {message}",
                "type": "value_error",
            }
        ],
    )


def _bound(field: str, value: str, *, end: bool) -> date:
    """The first (or, for `to`, the last) night of a month, or the night given."""
    try:
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:])
            if value[4] != "-":
                raise ValueError
            day = calendar.monthrange(year, month)[1] if end else 1
            parsed = date(year, month, day)
        else:
            parsed = date.fromisoformat(value)
        if len(value) not in (7, 10) or not 2000 <= parsed.year <= 2999:
            raise ValueError
    except ValueError:
        message = f"must be YYYY-MM or YYYY-MM-DD, years 2000-2999 ({value!r})"
        raise _refusal(field, message) from None
    return parsed


def _items(field: str, values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _weapons(values: list[str] | None) -> list[str]:
    wanted = _items("weapon", values)
    for weapon in wanted:
        if weapon not in WEAPONS:
            raise _refusal("weapon", f"{weapon!r} is not one of {', '.join(WEAPONS)}")
    return [weapon for weapon in WEAPONS if weapon in wanted] if wanted else list(WEAPONS)


def _regions(values: list[str] | None) -> list[str] | None:
    wanted = _items("region", values)
    codes = []
    for value in wanted:
        code = resolve_region(value)
        if code is None:
            raise _refusal("region", f"unknown region {value!r}")
        codes.append(code)
    return sorted(set(codes)) if wanted else None


@router.get(
    "/trends",
    responses={
        200: {"content": {"text/csv": {}}, "description": "One row per period"},
        422: {"model": ErrorOut},
    },
    summary="Figures and alert hours per month, ISO week or night",
)
async def get_trends(
    services: ServicesDep,
    from_: Annotated[str | None, Query(alias="from", description=_BOUND, max_length=10)] = None,
    to: Annotated[str | None, Query(description=_BOUND, max_length=10)] = None,
    by: Annotated[str, Query(description="month, week (ISO) or night")] = "month",
    weapon: Annotated[list[str] | None, Query(description=_LIST, max_length=200)] = None,
    region: Annotated[list[str] | None, Query(description=_LIST, max_length=200)] = None,
    format: Annotated[Literal["json", "csv"], Query(description="json or csv")] = "json",
) -> Response:
    """A night with a counted official national report counts the report, else its observed
    events, never both; a figure no night of the period states is null; rates count only the
    nights (and weapons) that state both terms. Read from the per-night summaries."""
    if by not in BY:
        raise _refusal("by", f"must be one of {', '.join(BY)}")
    period: By = by
    weapons = _weapons(weapon)
    regions = _regions(region)
    last = _bound("to", to, end=True) if to is not None else current_night()
    first = _bound("from", from_, end=False) if from_ is not None else None
    before, summaries = await summaries_in(services.engine, first or date.min, last)
    if first is None:
        first = summaries[0].night if summaries else last
    if first > last:
        raise _refusal("to", f"must not be before from ({first} > {last})")
    rows = trend_rows(
        summaries,
        before,
        first=first,
        last=last,
        by=period,
        weapons=weapons,
        regions=regions,
        now=datetime.now(UTC),
    )
    if format == "csv":
        return Response(_csv(rows, weapons), media_type="text/csv; charset=utf-8")
    return json_response(rows)


def _csv(rows: list[dict[str, Any]], weapons: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = csv_columns(rows, weapons)
    writer.writerow(columns)
    writer.writerows(csv_record(row, columns) for row in rows)
    return out.getvalue()
