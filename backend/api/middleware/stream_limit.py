"""At most N websockets open at once per client address, on every websocket route.

One address opening thousands of streams would hold a subscription, a send queue and a socket
each; the limit keeps one client (or one runaway page reloading in a loop) from taking the
capacity every other viewer needs. It is an ASGI middleware, so every websocket route, present
and future, is covered without a line in any of them.

Over the limit the handshake is refused before it is accepted: HTTP 429 with a JSON body and
Retry-After where the server supports the ASGI websocket denial response (uvicorn does), else
a close before accept (which servers answer with HTTP 403). Nothing is subscribed or queued
for a refused client. The count is per worker process, keyed by the address the server sees:
behind a reverse proxy that is the proxy's.
"""

from __future__ import annotations

from collections import Counter

from starlette.types import ASGIApp, Receive, Scope, Send

from backend.domain.records import dumps

# Seconds a refused client should wait: long enough for one of its streams to end.
RETRY_AFTER_SECONDS = 5
# "Try again later", for servers without the denial response extension.
CLOSE_TRY_AGAIN_LATER = 1013
_DENIAL = "websocket.http.response"


class StreamLimit:
    """ASGI middleware refusing a client's websocket handshakes beyond `per_client` open ones."""

    def __init__(self, app: ASGIApp, *, per_client: int) -> None:
        self.app = app
        self.per_client = per_client
        self._open: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the websocket for its address while the route serves it, or refuse it."""
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = str(client[0]) if client else "unknown"
        if self._open[address] >= self.per_client:
            await self._refuse(scope, receive, send)
            return
        self._open[address] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            # The route returns once the connection is over, however it ended.
            self._open[address] -= 1
            if self._open[address] <= 0:
                del self._open[address]

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = (
            f"too many streams from this address: at most {self.per_client} at once; "
            "close one or retry later"
        )
        await refuse_handshake(scope, receive, send, detail)


async def refuse_handshake(scope: Scope, receive: Receive, send: Send, detail: str) -> None:
    """Refuse a websocket handshake with 429, a JSON `detail` and Retry-After (close 1013
    where the server cannot send an HTTP answer to a handshake)."""
    await receive()  # websocket.connect: the handshake may only be answered after it
    if _DENIAL not in scope.get("extensions", {}):
        await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER, "reason": ""})
        return
    body = dumps({"detail": detail})
    await send(
        {
            "type": "websocket.http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
            ],
        }
    )
    await send({"type": "websocket.http.response.body", "body": body})
