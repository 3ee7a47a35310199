"""Gives every request an id: in its log lines (backend/logs.py) and its X-Request-ID header.

A client's own X-Request-ID is kept when it looks like an id (so a proxy's id follows the
request through), else a new one is made; nothing a client sends reaches the log unchecked.
"""

from __future__ import annotations

import itertools
import os
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.logs import REQUEST_ID

HEADER = b"x-request-id"
_LOOKS_LIKE_AN_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}")
# On the ingest path at thousands of requests a second: a random prefix per process and a
# counter are unique enough to find a request's lines, at a fraction of uuid4's cost.
_PREFIX = os.urandom(4).hex()
_SERIAL = itertools.count(1)


def _given(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == HEADER:
            return value if _LOOKS_LIKE_AN_ID.fullmatch(value) else None
    return None


class RequestId:
    """Outermost ASGI middleware: the request id contextvar for the whole request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Set the id for everything the request runs, and answer it as X-Request-ID."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = _given(scope)
        raw = given if given is not None else f"{_PREFIX}{next(_SERIAL):08x}".encode()
        token = REQUEST_ID.set(raw.decode("ascii"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), (HEADER, raw)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(token)
