"""Failed tokens slow their sender down: after too many 401s an address gets 429s for a while.

A token is 43 random characters, so guessing is hopeless; the throttle is there so that a
client hammering with wrong tokens (a misconfigured screen, a scanner) costs a token check
per second, not thousands, and shows up as 429 with Retry-After instead of a wall of 401s.
Every answer is watched, so every token check (write routes, the ingest fast path, reading
with view tokens, sign-in) counts without a line in any of them. The count is per worker
process and per address the server sees (behind a proxy, the proxy's: set the limit there).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.errors import error_response

# Addresses remembered at most: a spray from many addresses cannot grow the table unbounded.
MAX_ADDRESSES = 10_000


class FailedTokenThrottle:
    """ASGI middleware: over `limit` refused tokens within `window` seconds is 429."""

    def __init__(self, app: ASGIApp, *, limit: int, window: float) -> None:
        self.app = app
        self.limit = limit
        self.window = window
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, address: str, now: float) -> deque[float] | None:
        failures = self._failures.get(address)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[address]
            return None
        return failures

    def _record(self, address: str, now: float) -> None:
        failures = self._failures.setdefault(address, deque(maxlen=self.limit))
        failures.append(now)
        self._failures.move_to_end(address)
        while len(self._failures) > MAX_ADDRESSES:
            self._failures.popitem(last=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a throttled address; count the 401s the app answers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = str(client[0]) if client else "unknown"
        now = time.monotonic()
        failures = self._recent(address, now)
        if failures is not None and len(failures) >= self.limit:
            wait = max(1, int(failures[0] + self.window - now) + 1)
            detail = f"too many refused tokens from this address; retry in {wait} s"
            await error_response(429, detail, {"Retry-After": str(wait)})(scope, receive, send)
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                self._record(address, time.monotonic())
            await send(message)

        await self.app(scope, receive, watch)
