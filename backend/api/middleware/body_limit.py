"""Every request body is capped at SKYWATCH_MAX_BODY_BYTES, declared length or not.

Neither uvicorn nor Starlette limits a body: a route that reads its body (FastAPI does for any
body parameter) would hold whatever a client streams. This middleware reads the body first,
up to the limit, and answers 413 the moment it is exceeded, whether the client declared a
Content-Length or sent the body chunked. Bodies are small everywhere but the ingest route,
which IngestFastPath serves with the same limit while it streams, so it is passed through.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.errors import error_response
from backend.api.middleware.ingest_path import INGEST_PATH


class BodyLimit:
    """ASGI middleware: 413 for a request body over `max_bytes`; others reach the app intact."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the body within the limit and replay it to the app, or refuse it."""
        if scope["type"] != "http" or (scope["method"], scope["path"]) == ("POST", INGEST_PATH):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send, f"{int(declared)} bytes > {self.max_bytes}")
            return
        if declared in (None, b"0") and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body at all
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left before it finished sending
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send, f"more than {self.max_bytes} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, why: str) -> None:
        # Connection: close, so that the rest of the body is never read into this connection.
        response = error_response(413, f"request body too large: {why}", {"Connection": "close"})
        await response(scope, receive, send)


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
