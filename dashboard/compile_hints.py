"""The page's scripts, served with V8's hint to compile every function as the script loads.

Chromium (V8) compiles a script's functions lazily: a function is compiled, on the page's
main thread, the first time it is called. Nearly every function of plotly.js, React and
Dash's renderer and components is called before a night is first drawn, so a page spent a
large share of its start-up compiling them one at a time, in between running them. A
script whose first line is the magic comment `//# allFunctionsCalledOnLoad` (Chromium 136
and later; other browsers read a comment) is compiled whole while it streams in, on a
background thread, before it runs. Measured on one past night's page, every script hinted
against none (docs/performance.md): drawn about 0.3 s sooner on 2 cores.

The files themselves stay as their packages ship them (the vendored ones are unchanged, as
assets/vendor/SOURCES.md says): the hint is added as each is served.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HINT = b"//# allFunctionsCalledOnLoad\n"


def _is_script(scope: Scope) -> bool:
    return (
        scope["type"] == "http" and scope["method"] == "GET" and str(scope["path"]).endswith(".js")
    )


def _longer_by_hint(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [
        (name, str(int(value) + len(HINT)).encode() if name.lower() == b"content-length" else value)
        for name, value in headers
    ]


def _plain_whole(start: Message) -> bool:
    """A whole response (200) whose body is the script's text, not compressed."""
    encoded = any(name.lower() == b"content-encoding" for name, _ in start["headers"])
    return bool(start["status"] == 200) and not encoded


class EagerCompiledScripts:
    """ASGI middleware: every whole (200) JavaScript response begins with HINT.

    Any other response (a 304, a range, a refusal, a compressed body, a non-script) passes
    unchanged.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_script(scope):
            await self.app(scope, receive, send)
            return
        hinting = False

        async def send_hinted(message: Message) -> None:
            nonlocal hinting
            if message["type"] == "http.response.start" and _plain_whole(message):
                hinting = True
                message = {**message, "headers": _longer_by_hint(list(message["headers"]))}
            elif message["type"] == "http.response.body" and hinting:
                hinting = False  # only the first part of the body
                message = {**message, "body": HINT + message.get("body", b"")}
            await send(message)

        await self.app(scope, receive, send_hinted)
