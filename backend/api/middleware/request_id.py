"""Gives every request an id: in its log lines (backend/logs.py) and its X-Request-ID header.

A client's own X-Request-ID is kept when it looks like an id (so a proxy's id follows the
request through), else a new one is made; nothing a client sends reaches the log unchecked.
"""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.logs import REQUEST_ID

HEADER = "x-request-id"
_LOOKS_LIKE_AN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestId:
    """Outermost ASGI middleware: the request id contextvar for the whole request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Set the id for everything the request runs, and answer it as X-Request-ID."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(HEADER)
        request_id = (
            given if given and _LOOKS_LIKE_AN_ID.fullmatch(given) else uuid.uuid4().hex[:16]
        )
        token = REQUEST_ID.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(token)
