"""Every routed request body is capped at SKYWATCH_MAX_BODY_BYTES, declared length or not.

A route that reads its body (FastAPI does for any body parameter) would otherwise hold
whatever a client streams. This middleware reads the body first through the one body reader
(backend.api.body) and hands it to the app intact, or answers 413 the moment it is over.
Requests that middleware outside it has answered (ingest, sign-in) never get here.
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.body import has_body, read_body
from backend.api.errors import ApiError, error_response


class BodyLimit:
    """ASGI middleware: 413 for a request body over `max_bytes`; others reach the app intact."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the body within the limit and replay it to the app, or refuse it."""
        if scope["type"] != "http" or not has_body(scope):
            await self.app(scope, receive, send)
            return
        try:
            body = await read_body(scope, receive, limit=self.max_bytes)
        except ClientDisconnect:
            return  # the client left before it finished sending
        except ApiError as error:
            await error_response(error.status, error.detail, error.headers)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that yields the buffered body once, then what the server sends next."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
