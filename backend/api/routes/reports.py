"""Official report endpoints: post (atomic, idempotent by id), retract, and a night's list.

Reports are stored beside the events and never folded into them; their figures reach
GET /stats and GET /nights as `official`, next to the observed tallies.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from backend.api.body import require_json
from backend.api.deps import ServicesDep, WriteAccess
from backend.api.errors import ApiError, id_conflict, json_response
from backend.domain.records import IdConflictError
from backend.domain.reports import ReportIn, ReportOut, ReportRetracted, ReportsResult
from backend.domain.schemas import ErrorOut, NightLabel
from backend.ingest.parse import BodyError, parse_reports
from backend.store.reports import (
    ReportRefusedError,
    night_reports,
    retract_report,
    store_reports,
)

router = APIRouter(tags=["reports"])
# A POST's reports; the body limit (8 MiB) holds a few hundred reports with their full text.
MAX_BATCH_REPORTS = 1000
ReportIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut} for status in (400, 401, 409, 413, 415, 422, 503)
}


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    """The schema with its local $defs references replaced by the definitions themselves.

    The request body is declared by hand (one report or an array), outside the document's
    components, so a `#/$defs/...` reference in it would point nowhere.
    """
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {key: _inline(value, defs) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_inline(item, defs) for item in schema]
    return schema


_REPORT_SCHEMA = ReportIn.model_json_schema()
_REPORT_SCHEMA = _inline(
    {key: value for key, value in _REPORT_SCHEMA.items() if key != "$defs"},
    _REPORT_SCHEMA.get("$defs", {}),
)
_BODY_SCHEMA = {
    "anyOf": [
        _REPORT_SCHEMA,
        {
            "type": "array",
            "items": _REPORT_SCHEMA,
            "minItems": 1,
            "maxItems": MAX_BATCH_REPORTS,
        },
    ]
}


def _refused(error: ReportRefusedError, *, batch: bool) -> ApiError:
    index = error.index if batch else None
    return ApiError(
        422,
        [
            {
                "loc": ["body", *([index] if index is not None else []), error.field],
                "index": index,
                "field": error.field,
                "msg": error.message,
                "type": "value_error",
            }
        ],
    )


@router.post(
    "/reports",
    dependencies=[WriteAccess],
    status_code=201,
    response_model=ReportsResult,
    responses={200: {"model": ReportsResult, "description": "All were duplicates."}, **_ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _BODY_SCHEMA}},
        },
    },
    summary="Store one official report or a batch, atomically (never added to the events)",
)
async def post_reports(request: Request, services: ServicesDep) -> Response:
    """Answers 201 after commit (200 when every report was a duplicate).

    Idempotent by id like events: the same content again is a duplicate, other content under
    a stored id a 409 naming its index. A report without an id gets one derived from its
    content, so reposting it is a duplicate too.
    """
    require_json(request)
    body = await request.body()
    try:
        reports = parse_reports(body, max_reports=MAX_BATCH_REPORTS)
    except BodyError as error:
        raise ApiError(error.status, error.detail) from None
    contents = [report.content() for report in reports]
    try:
        outcome = await store_reports(services.engine, contents, received_at=datetime.now(UTC))
    except IdConflictError as error:
        raise id_conflict(error, noun="report ") from None
    except ReportRefusedError as error:
        raise _refused(error, batch=body.lstrip().startswith(b"[")) from None
    answer = {"accepted": outcome.accepted, "duplicates": outcome.duplicates, "ids": outcome.ids}
    return json_response(answer, 201 if outcome.accepted else 200)


@router.delete(
    "/reports/{report_id}",
    dependencies=[WriteAccess],
    response_model=ReportRetracted,
    responses={404: {"model": ErrorOut}, **_ERRORS},
    summary="Retract a report: kept, flagged, left out of every official total",
)
async def delete_report(services: ServicesDep, report_id: ReportIdPath) -> Response:
    """Idempotent: retracting a retracted report answers the same."""
    if not await retract_report(services.engine, report_id, now=datetime.now(UTC)):
        raise ApiError(404, f"no report with id {report_id!r}")
    return json_response({"id": report_id, "retracted": True})


@router.get(
    "/nights/{night}/reports",
    response_model=list[ReportOut],
    responses={422: {"model": ErrorOut}},
    summary="Every official report of a night, national and regional, in issued_at order",
)
async def get_night_reports(services: ServicesDep, night: NightLabel) -> Response:
    """Superseded and retracted reports are included, flagged."""
    return json_response(await night_reports(services.engine, night))
