"""Headers every answer carries: no MIME sniffing, no referrer leaving the service.

`X-Content-Type-Options: nosniff` keeps a browser from running a JSON or text answer as a
script or page; `Referrer-Policy: same-origin` keeps night and replay URLs (and their query
strings) out of other sites' logs. Not `no-referrer`: under it Chromium sends `Origin: null`
even on the service's own form posts, and the sign-in's origin check (a defence against
login CSRF) must see the page's origin. Added once here, outermost, so that every route, the
ingest fast path, the page and every refusal get them.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


class SecurityHeaders:
    """ASGI middleware adding SECURITY_HEADERS to every HTTP answer that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to its answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers} & _NAMES
                headers += [pair for pair in SECURITY_HEADERS if pair[0] not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
