"""Tally endpoints: stats of a night or a range, and the list of nights."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from backend.api.deps import ServicesDep
from backend.api.errors import ApiError, json_response
from backend.api.params import NightParam
from backend.domain.nights import current_night
from backend.domain.ranges import range_stats
from backend.domain.schemas import ErrorOut, NightSummary, StatsOut
from backend.domain.tallies import stats_of
from backend.domain.times import parse_night_label, parse_rfc3339
from backend.store.queries import night_tally, nights_listing, tally
from backend.store.reports import official
from backend.store.summaries import summaries_in

# A span of instants up to this long is folded in the server, a longer one in the read worker.
FOLD_HERE = timedelta(hours=48)
router = APIRouter(tags=["stats"])

_BOUND = (
    "A night label YYYY-MM-DD (inclusive), or an RFC 3339 date-time with offset (events at or "
    "after `from` and at or before `to`)."
)


def _bound(name: str, value: str) -> date | datetime:
    try:
        return _night(value) if len(value) == 10 else _instant(value)
    except ValueError as error:
        raise ApiError(
            422,
            [
                {
                    "loc": ["query", name],
                    "index": None,
                    "field": name,
                    "msg": f"{name}: must be YYYY-MM-DD or an RFC 3339 date-time ({error})",
                    "type": "value_error",
                }
            ],
        ) from None


def _night(value: str) -> date:
    parse_night_label(value)  # the same years as every other night label
    return date.fromisoformat(value)


def _instant(value: str) -> datetime:
    parsed = parse_rfc3339(value)
    assert isinstance(parsed, datetime)
    return parsed


@router.get(
    "/stats",
    response_model=StatsOut,
    responses={422: {"model": ErrorOut}},
    summary="Tallies of a night (default: the current one) or of a range",
)
async def get_stats(
    services: ServicesDep,
    night: NightParam = None,
    from_: Annotated[str | None, Query(alias="from", description=_BOUND, max_length=64)] = None,
    to: Annotated[str | None, Query(description=_BOUND, max_length=64)] = None,
) -> Response:
    """Counts are sums of `count` over events that are not retracted.

    `official` sits beside them, never added in: the night's official reports (for night
    ranges, every night's, added up; for a range of date-times null, as reports state nights).
    """
    if from_ is None and to is None:
        label = night or current_night()
        result = stats_of(await night_tally(services.engine, label), night=label)
        result["official"] = await official(services.engine, nights=(label, label))
        return json_response(result)
    if night is not None:
        raise ApiError(422, "give either night or from/to, not both")
    if from_ is None:
        raise ApiError(422, "from: required together with to")
    start = _bound("from", from_)
    end = _bound("to", to) if to is not None else None
    result = await _range_stats(services, start, end)
    return json_response(result)


async def _range_stats(
    services: ServicesDep, start: date | datetime, end: date | datetime | None
) -> dict[str, Any]:
    if isinstance(start, datetime):
        if end is not None and not isinstance(end, datetime):
            raise ApiError(422, "to: must be a date-time like from")
        stop = end or datetime.now(start.tzinfo)
        # A span of instants folds every event in it: beyond two nights, in the read worker,
        # so that stats over the years do not hold up the writes.
        fold = partial(tally, between=(start, stop))
        if stop - start > FOLD_HERE:
            folded = await services.reads.run(fold)
        else:
            folded = await fold(services.engine)
        # Reports state whole nights, and a span of instants may cut a night: no official.
        return {
            **stats_of(folded, night=None),
            "official": None,
            "from": start,
            "to": stop,
        }
    if isinstance(end, datetime):
        raise ApiError(422, "to: must be a night label like from")
    last = end or current_night()
    label = start if start == last else None
    # The nights' summaries added up (official: each night's counted reports, supersedes
    # being per night), never a fold of every event in the range.
    before, summaries = await summaries_in(services.engine, start, last)
    return {**range_stats(summaries, before, night=label), "from": start, "to": last}


@router.get("/nights", response_model=list[NightSummary], summary="Every night with its totals")
async def get_nights(services: ServicesDep) -> Response:
    """Oldest first; retracted events and reports left out; nights with only reports too."""
    return json_response(await nights_listing(services.engine))
