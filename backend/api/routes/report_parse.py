"""POST /api/v1/reports/parse: an Air Force morning post (kpszsu) in, an official report out.

The parsing is the domain's (backend.domain.kpszsu), the same the CLI runs offline; with
`"store": true` the report is stored through the same store function as POST /reports (same
duplicate and 409 rules; its id derives from the night and the text).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backend.api.body import require_json, too_large
from backend.api.deps import ServicesDep, WriteAccess
from backend.api.errors import ApiError, id_conflict, json_response
from backend.domain.kpszsu import PostError, parse_post
from backend.domain.records import IdConflictError
from backend.domain.reports import Instant, ReportIn
from backend.domain.schemas import ErrorOut
from backend.ingest.parse import problems
from backend.store.reports import store_reports

router = APIRouter(tags=["reports"])
# A post is at most 20,000 characters: up to 80 KB of UTF-8, and the other fields are small.
MAX_PARSE_BODY = 100_000


class ParseRequest(BaseModel):
    """A post to parse, and whether to store its report."""

    model_config = ConfigDict(strict=True, extra="forbid")

    text: str = Field(description="The post as published (at most 20,000 characters).")
    issued_at: Instant | None = Field(
        default=None,
        description="When the post was issued; gives the year. Default: its 'станом на' time.",
    )
    url: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    store: bool = False


class ParseResult(BaseModel):
    """The report as POST /reports takes it, what was not read, and what to check."""

    report: dict[str, Any]
    unparsed: list[str]
    warnings: list[str]


def _text_error(message: str) -> ApiError:
    return ApiError(
        422,
        [
            {
                "loc": ["body", "text"],
                "index": None,
                "field": "text",
                "msg": message,
                "type": "value_error",
            }
        ],
    )


def _request(body: bytes) -> ParseRequest:
    if len(body) > MAX_PARSE_BODY:
        raise too_large(MAX_PARSE_BODY, declared=len(body))
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise ApiError(400, f"malformed JSON: {error}") from None
    if not isinstance(data, dict):
        raise ApiError(422, 'body must be an object {"text": "...", ...}')
    if "text" in data and not isinstance(data["text"], str):
        raise _text_error("text: must be a string (the post as published)")
    try:
        return ParseRequest.model_validate(data)
    except ValidationError as error:
        raise ApiError(422, problems(error, batch=False)) from None


@router.post(
    "/reports/parse",
    dependencies=[WriteAccess],
    response_model=ParseResult,
    responses={
        201: {"model": ParseResult, "description": "Parsed and stored."},
        **{status: {"model": ErrorOut} for status in (400, 401, 409, 413, 415, 422, 503)},
    },
    summary="Parse an Air Force morning post (kpszsu) into an official report; store it on request",
)
async def post_report_parse(request: Request, services: ServicesDep) -> Response:
    """200 with the parsed report; with "store": true, 201 once stored (200 if a duplicate).

    A text that is not an Air Force night report (empty, over 20,000 characters, another
    language, no night or no figure) is a 422 naming `text`.
    """
    require_json(request)
    wanted = _request(await request.body())
    try:
        parsed = parse_post(wanted.text, issued_at=wanted.issued_at, url=wanted.url)
    except PostError as error:
        raise _text_error(str(error)) from None
    answer = {"report": parsed.report, "unparsed": parsed.unparsed, "warnings": parsed.warnings}
    if not wanted.store:
        return json_response(answer)
    content = ReportIn.model_validate(parsed.report).content()
    try:
        outcome = await store_reports(services.engine, [content], received_at=datetime.now(UTC))
    except IdConflictError as error:
        raise id_conflict(error, noun="report ") from None
    return json_response(answer, 201 if outcome.accepted else 200)
