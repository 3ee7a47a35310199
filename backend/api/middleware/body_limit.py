"""Every routed request body is capped, declared length or not, at a limit that fits its route.

A route that reads its body (FastAPI does for any body parameter) would otherwise hold
whatever a client streams. This middleware reads the body first through the one body reader
(backend.api.body) and hands it to the app intact, or answers 413 the moment it is over.
Requests that middleware outside it has answered (ingest, sign-in) never get here.

Only writes of reports (as ingest's event batches, served before this) may be large, up to
SKYWATCH_MAX_BODY_BYTES, and only with a write token, checked before a byte of the body is
read: an anonymous client can make the server hold no more than SKYWATCH_MAX_CONTROL_BYTES
per request (a replay control, a dashboard callback), on any route.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.api.body import has_body, read_body, replayed
from backend.api.errors import ApiError, error_response
from backend.auth import TokenBook

# Where a body may be large: writes of official reports (a year of them fits in one POST).
LARGE_BODY_PREFIXES = ("/api/v1/reports",)


class BodyLimit:
    """ASGI middleware: 413 for a request body over its route's limit; 401 before reading a
    large one without a write token; other requests reach the app intact."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, small_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.small_bytes = min(small_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the body within the limit and replay it to the app, or refuse it."""
        if scope["type"] != "http" or not has_body(scope):
            await self.app(scope, receive, send)
            return
        try:
            limit = self._limit_of(scope)
            body = await read_body(scope, receive, limit=limit)
        except ClientDisconnect:
            return  # the client left before it finished sending
        except ApiError as error:
            await error_response(error.status, error.detail, error.headers)(scope, receive, send)
            return
        await self.app(scope, replayed(body, receive), send)

    def _limit_of(self, scope: Scope) -> int:
        path: str = scope["path"]
        if not path.startswith(LARGE_BODY_PREFIXES):
            return self.small_bytes
        services = getattr(scope["app"].state, "services", None)
        writers: TokenBook | None = getattr(services, "write_tokens", None)
        scheme, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            detail = "missing write token: send Authorization: Bearer <token>"
        elif writers is None or not writers.allows(token.strip()):
            detail = "invalid write token"
        else:
            return self.max_bytes
        error = ApiError(401, detail, bearer=True)
        # The body is never read into this connection.
        error.headers["Connection"] = "close"
        raise error
