"""Error responses: every refusal is JSON with a message that names the problem."""

from __future__ import annotations

import logging
from concurrent.futures import BrokenExecutor
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.exceptions import RequestValidationError, WebSocketRequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.domain.records import IdConflictError, dumps

log = logging.getLogger(__name__)
# Seconds a client should wait before retrying when the database did not answer.
RETRY_AFTER_SECONDS = 2


class ApiError(Exception):
    """An error answer: status, detail, and whether to ask for a bearer token."""

    def __init__(
        self,
        status: int,
        detail: str | list[dict[str, Any]],
        *,
        bearer: bool = False,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(str(detail))
        self.status = status
        self.detail = detail
        self.headers: dict[str, str] = {}
        if bearer:
            self.headers["WWW-Authenticate"] = "Bearer"
        if retry_after is not None:
            self.headers["Retry-After"] = str(retry_after)


def id_conflict(error: IdConflictError, *, noun: str = "") -> ApiError:
    """The 409 for ids posted again with other content, one problem per (index, id)."""
    return ApiError(
        409,
        [
            {
                "loc": ["body", index, "id"],
                "index": index,
                "field": "id",
                "msg": f"id: {noun}{item_id!r} already exists with different content",
                "type": "id_conflict",
            }
            for index, item_id in error.conflicts
        ],
    )


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer, encoded by the records' encoder (times as RFC 3339, UTC)."""
    return Response(
        dumps(value), status_code=status, headers=headers, media_type="application/json"
    )


def error_response(
    status: int, detail: str | list[dict[str, Any]], headers: dict[str, str] | None = None
) -> Response:
    """A JSON error body {"detail": ...}."""
    return json_response({"detail": detail}, status, headers)


def unavailable(detail: str) -> Response:
    """503 with Retry-After: the database did not answer."""
    return error_response(503, detail, {"Retry-After": str(RETRY_AFTER_SECONDS)})


def _validation_detail(
    error: RequestValidationError | WebSocketRequestValidationError,
) -> list[dict[str, Any]]:
    found = []
    for item in error.errors():
        loc = list(item.get("loc", ()))
        field = next((str(part) for part in reversed(loc) if isinstance(part, str)), None)
        if loc and loc[0] in {"query", "path", "header", "cookie", "body"} and len(loc) > 1:
            field = str(loc[1])
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        found.append(
            {
                "loc": loc,
                "index": None,
                "field": field,
                "msg": f"{field}: {message}" if field else message,
                "type": item.get("type", "value_error"),
            }
        )
    return found


def install_error_handlers(app: FastAPI) -> None:
    """Make every error answer the same JSON shape, and never leak a traceback."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> Response:
        return error_response(error.status, error.detail, error.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> Response:
        return error_response(422, _validation_detail(error))

    @app.exception_handler(WebSocketRequestValidationError)
    async def _invalid_handshake(
        websocket: WebSocket, error: WebSocketRequestValidationError
    ) -> None:
        # FastAPI's default closes before accepting: the client sees a bare 403, which reads
        # as a refused token. A 400 naming the parameter says what to fix.
        detail = _validation_detail(error)
        try:
            await websocket.send_denial_response(error_response(400, detail))
        except RuntimeError:  # a server without the ASGI denial-response extension
            await websocket.accept()
            reason = "; ".join(str(item["msg"]) for item in detail)
            await websocket.close(code=4400, reason=reason.encode()[:123].decode(errors="ignore"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> Response:
        return error_response(error.status_code, str(error.detail), dict(error.headers or {}))

    @app.exception_handler(DBAPIError)
    @app.exception_handler(OSError)
    @app.exception_handler(TimeoutError)
    async def _database_down(request: Request, error: Exception) -> Response:
        log.warning("database unavailable on %s: %s", request.url.path, type(error).__name__)
        return unavailable("database unavailable, retry")

    @app.exception_handler(BrokenExecutor)
    async def _reads_down(request: Request, _error: Exception) -> Response:
        # The read worker died twice in a row (store/read_worker.py logged why).
        log.warning("read worker unavailable on %s", request.url.path)
        return unavailable("reads unavailable, retry")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        return error_response(500, "internal error; the request was not applied")
