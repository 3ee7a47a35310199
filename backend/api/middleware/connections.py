"""Counts the open websocket connections by stream, for skywatch_open_connections.

Counted from the accept to the end of the connection, whichever route serves it: a
handshake refused (bad parameters, no token) never counts.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend import metrics


def stream_of(path: str) -> str:
    """The stream label of a websocket path: replay, dashboard or stream."""
    if "/replay" in path:
        return "replay"  # /api/v1/replays/{id}/stream, /dashboard/replay/{id}/stream
    if path.startswith("/dashboard/"):
        return "dashboard"
    return "stream"


class OpenConnections:
    """ASGI middleware keeping the open-connections gauge."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass everything on; for a websocket, count it while it is accepted."""
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        gauge = metrics.OPEN_CONNECTIONS.labels(stream=stream_of(scope["path"]))
        accepted = False

        async def counting_send(message: Message) -> None:
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                gauge.inc()
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            if accepted:
                gauge.dec()
