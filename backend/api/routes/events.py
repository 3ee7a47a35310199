"""Event endpoints: ingest, retraction, listing and the JSON Lines recording."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response, StreamingResponse

from backend import metrics
from backend.api.body import read_body, require_json
from backend.api.deps import ServicesDep, WriteAccess, check_write_token, get_services
from backend.api.errors import RETRY_AFTER_SECONDS, ApiError, id_conflict, json_response
from backend.api.params import NightParam, RegionParam
from backend.domain.placement import placement_warnings
from backend.domain.records import IdConflictError
from backend.domain.schemas import (
    ErrorOut,
    EventIn,
    EventOut,
    IngestResult,
    Kind,
    RetractResult,
    Weapon,
)
from backend.ingest.event_rows import event_rows
from backend.ingest.parse import BodyError
from backend.ingest.writer import StoreUnavailableError
from backend.store.queries import EventFilter, events_lines, events_page

router = APIRouter(tags=["events"])
# Cursors are 64-bit signed integers in both stores; a larger one cannot even be compared.
MAX_SEQ = 2**63 - 1
# One JSON answer holds at most this many events (SKYWATCH has no setting for it: it is part of
# the contract); more are read page by page with `since`, or streamed with format=jsonl.
MAX_PAGE_EVENTS = 10_000

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut} for status in (400, 401, 409, 413, 415, 422, 503)
}
_EVENT_SCHEMA = EventIn.model_json_schema()
_BODY_SCHEMA = {
    "anyOf": [
        _EVENT_SCHEMA,
        {"type": "array", "items": _EVENT_SCHEMA, "minItems": 1, "maxItems": 10_000},
    ]
}


@router.post(
    "/events",
    status_code=201,
    response_model=IngestResult,
    responses={200: {"model": IngestResult, "description": "All were duplicates."}, **_ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _BODY_SCHEMA}},
        },
        "security": [{"HTTPBearer": []}],
    },
    summary="Store one event or a batch of 1-10,000, atomically",
)
async def post_events(request: Request) -> Response:
    """Answers 201 after commit (200 when every event was a duplicate).

    Validated, stored atomically, answered after commit; an ApiError for every refusal.
    The app serves it through FastPath, before FastAPI's routing (it takes only the request).
    """
    try:
        return await _ingest(request)
    except ApiError as error:
        metrics.EVENTS_REFUSED.labels(status=str(error.status)).inc()
        if error.status == 409:
            metrics.EVENTS_CONFLICTS.inc()
        raise


async def _ingest(request: Request) -> Response:
    services = get_services(request)
    check_write_token(request, services)
    require_json(request)
    settings = services.settings
    body = await read_body(request.scope, request.receive, limit=settings.max_body_bytes)
    try:
        posted = event_rows(
            body, max_events=settings.max_batch_events, received_at=datetime.now(UTC)
        )
    except BodyError as error:
        raise ApiError(error.status, error.detail) from None
    try:
        outcome = await services.writer.insert(posted.rows, client_ids=posted.client_ids)
    except IdConflictError as error:
        raise id_conflict(error) from None
    except StoreUnavailableError:
        raise ApiError(
            503, "database unavailable: nothing was stored, retry", retry_after=RETRY_AFTER_SECONDS
        ) from None
    metrics.EVENTS_ACCEPTED.inc(outcome.accepted)
    metrics.EVENTS_DUPLICATES.inc(outcome.duplicates)
    answer = {
        "accepted": outcome.accepted,
        "duplicates": outcome.duplicates,
        "seqs": outcome.seqs,
        "warnings": placement_warnings(posted.rows, batch=posted.batch),
    }
    return json_response(answer, 201 if outcome.accepted else 200)


@router.delete(
    "/events/{event_id}",
    dependencies=[WriteAccess],
    response_model=RetractResult,
    responses={404: {"model": ErrorOut}, **_ERRORS},
    summary="Retract an event: kept, marked retracted, left out of every tally",
)
async def retract_event(
    services: ServicesDep,
    event_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9._:-]{1,64}$")],
) -> Response:
    """Idempotent: retracting a retracted event answers the same."""
    try:
        outcome = await services.writer.retract(event_id)
    except StoreUnavailableError:
        raise ApiError(
            503, "database unavailable: nothing changed, retry", retry_after=RETRY_AFTER_SECONDS
        ) from None
    if outcome is None:
        raise ApiError(404, f"no event with id {event_id!r}")
    return json_response({"id": outcome.id, "seq": outcome.seq, "retracted": True})


@router.get(
    "/events",
    response_model=list[EventOut],
    responses={
        200: {
            "description": "A JSON array, or with format=jsonl one EventOut object per line.",
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
        },
        422: {"model": ErrorOut},
    },
    summary="List events in seq order; format=jsonl streams the recording format",
)
async def get_events(
    services: ServicesDep,
    request: Request,
    region: RegionParam = None,
    night: NightParam = None,
    kind: Kind | None = None,
    weapon: Weapon | None = None,
    since: Annotated[
        int | None, Query(ge=0, le=MAX_SEQ, description="Only events with a larger seq.")
    ] = None,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_PAGE_EVENTS,
            description=f"Default 1000 for JSON, all for jsonl; at most {MAX_PAGE_EVENTS:,}. "
            "A full JSON page links the next one (Link rel=next, the same query with `since`).",
        ),
    ] = None,
    format: Literal["json", "jsonl"] = "json",
) -> Response:
    """Retracted events are included, flagged `retracted: true`."""
    where = EventFilter(night=night, kind=kind, weapon=weapon, region=region, since=since)
    if format == "jsonl":
        # A page at a time: a recording of any size holds one page in memory.
        return StreamingResponse(
            events_lines(services.engine, services.reads, where, limit=limit),
            media_type="application/x-ndjson",
        )
    wanted = limit or 1000
    # A long page is read and encoded in the read worker: it must not hold up the writes.
    page = await events_page(services.engine, services.reads, where, limit=wanted)
    headers = {}
    if page.count == wanted:
        after = request.url.include_query_params(since=page.last_seq)
        headers["Link"] = f'<{after.path}?{after.query}>; rel="next"'
    return Response(page.body, headers=headers, media_type="application/json")
