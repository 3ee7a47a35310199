"""At most so many distinct views open at once: per worker process, and per client address.

A view is what a stream follows: one night (the live stream, the dashboard's night channel)
or one replay session (the replay streams). Viewers of the same view share its work (one
fold, one set of frames); each distinct view costs its own. 50 streams on 50 nights took the
server's CPU from 12 to 71 % and POST p95 from 45 to 471 ms. So a stream that would open a new
view is refused once the process has `per_process` views open, or its address `per_address`;
joining a view already open is never refused by this (StreamLimit still bounds the streams).

Refused like StreamLimit: HTTP 429 with Retry-After before accept where the server offers the
websocket denial response, else a close before accept. Per worker process, keyed by the
address the server sees (behind a reverse proxy, the proxy's).
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

from backend.api.middleware.stream_limit import refuse_handshake

_NIGHT_STREAMS = frozenset({"/api/v1/stream", "/dashboard/stream"})
_REPLAY_PREFIXES = ("/api/v1/replays/", "/dashboard/replay/")


def view_of(scope: Scope) -> str | None:
    """The view a websocket follows: `night:<label>` (`night:` for the current night),
    `replay:<id>`, or None for a route that follows no view."""
    path: str = scope["path"]
    if path in _NIGHT_STREAMS:
        raw: bytes = scope.get("query_string", b"")
        nights: list[str] = parse_qs(raw.decode("latin-1")).get("night", [""])
        return "night:" + nights[0][:16]
    if path.startswith(_REPLAY_PREFIXES) and path.endswith("/stream"):
        session = path.rsplit("/", 2)[-2]
        return "replay:" + session[:40]
    return None


class ViewLimit:
    """ASGI middleware refusing a stream that would open a view beyond the caps."""

    def __init__(self, app: ASGIApp, *, per_process: int, per_address: int) -> None:
        self.app = app
        self.per_process = per_process
        self.per_address = per_address
        self._viewers: Counter[str] = Counter()  # view -> streams following it
        self._held: dict[str, Counter[str]] = {}  # address -> view -> its streams on it

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the stream on its view while the route serves it, or refuse it."""
        view = view_of(scope) if scope["type"] == "websocket" else None
        if view is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = str(client[0]) if client else "unknown"
        held = self._held.setdefault(address, Counter())
        refusal = self._refusal(view, held)
        if refusal is not None:
            if not held:
                del self._held[address]
            await refuse_handshake(scope, receive, send, refusal)
            return
        self._viewers[view] += 1
        held[view] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            # The route returns once the connection is over, however it ended.
            for counter, key in ((self._viewers, view), (held, view)):
                counter[key] -= 1
                if counter[key] <= 0:
                    del counter[key]
            if not held:
                self._held.pop(address, None)

    def _refusal(self, view: str, held: Counter[str]) -> str | None:
        if view not in held and len(held) >= self.per_address:
            return (
                f"too many different nights or replays watched from this address: at most "
                f"{self.per_address} at once; close one or retry later"
            )
        if view not in self._viewers and len(self._viewers) >= self.per_process:
            return (
                f"this server follows {self.per_process} different nights or replays already; "
                "watch one of them or retry later"
            )
        return None
