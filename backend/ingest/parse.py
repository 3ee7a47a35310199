"""Parse a POST /events (or /reports) body into validated items, with errors that name index
and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from backend.domain.reports import ReportIn
from backend.domain.schemas import EventIn
from backend.ingest.json_keys import duplicate_key

_EVENTS = TypeAdapter(list[EventIn])
_REPORTS = TypeAdapter(list[ReportIn])


class BodyError(Exception):
    """A request body that cannot be accepted: HTTP status and a JSON-ready detail."""

    def __init__(self, status: int, detail: str | list[dict[str, Any]]) -> None:
        super().__init__(str(detail))
        self.status = status
        self.detail = detail


def problems(
    error: ValidationError, *, batch: bool, innermost: bool = False
) -> list[dict[str, Any]]:
    """Pydantic errors as the API reports them: loc, index, field, msg, type.

    `field` is the top-level field, or with `innermost` the deepest one named: a report's
    error in lines[3].launched names `launched` (loc keeps the whole path).
    """
    found = []
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        loc = list(item["loc"])
        # A single object is validated as a one-item list: its index 0 is not the client's.
        position = loc.pop(0) if loc and isinstance(loc[0], int) else None
        index = position if batch else None
        names = [str(part) for part in loc if isinstance(part, str)]
        field = (names[-1] if innermost else names[0]) if names else None
        message = str(item["msg"]).removeprefix("Value error, ")
        found.append(
            {
                "loc": ["body", *([index] if index is not None else []), *loc],
                "index": index,
                "field": field,
                "msg": message if field is None else f"{field}: {message}",
                "type": item["type"],
            }
        )
    return found


def parse_events(body: bytes, *, max_events: int) -> list[EventIn]:
    """One event object or an array of 1..max_events of them, validated; else BodyError."""
    items = _items(body, noun="event", limit=max_events)
    try:
        return _EVENTS.validate_python(items.data)
    except ValidationError as error:
        raise BodyError(422, problems(error, batch=items.batch)) from None


def parse_reports(body: bytes, *, max_reports: int) -> list[ReportIn]:
    """One report object or an array of 1..max_reports of them, validated; else BodyError."""
    items = _items(body, noun="report", limit=max_reports)
    try:
        return _REPORTS.validate_python(items.data)
    except ValidationError as error:
        raise BodyError(422, problems(error, batch=items.batch, innermost=True)) from None


@dataclass(frozen=True, slots=True)
class _Items:
    data: list[Any]
    batch: bool  # posted as an array: errors name each item's index


def _items(body: bytes, *, noun: str, limit: int) -> _Items:
    """The posted objects as a list (one object is a list of one), within `limit`."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BodyError(400, f"malformed JSON: {error}") from None
    batch = isinstance(data, list)
    duplicate = duplicate_key(body, data)
    if duplicate is not None:
        raise BodyError(422, [duplicate.problem(batch=batch)])
    if isinstance(data, dict):
        data = [data]
    elif not batch:
        article = "an" if noun[0] in "aeiou" else "a"
        raise BodyError(
            422, f"body must be {article} {noun} object or a JSON array of {noun} objects"
        )
    if not data:
        raise BodyError(422, f"the array of {noun}s is empty: send 1 to {limit} {noun}s")
    if len(data) > limit:
        raise BodyError(413, f"too many {noun}s in one request: {len(data)} > {limit}")
    return _Items(data, batch)
