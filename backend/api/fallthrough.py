"""Below the API: the page app, except under /api, where nothing falls through to a page.

What no API route took under /api is a JSON 404, or a 405 (with Allow) when the path exists
with other methods, whatever the method's name; every other path goes to the page app, or is
a JSON 404 when there is none.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.api.errors import error_response


def _method_table(app: FastAPI) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """Each documented API path as a pattern, with the methods it takes."""
    table = []
    for path, operations in app.openapi()["paths"].items():
        methods = {method.upper() for method in operations}
        if "GET" in methods:
            methods.add("HEAD")  # Starlette answers HEAD wherever GET is taken
        pattern, _, _ = compile_path(path)
        table.append((pattern, frozenset(methods)))
    return table


class ApiFallthrough:
    """ASGI app mounted at "/" after every route."""

    def __init__(self, page: ASGIApp | None, api: FastAPI) -> None:
        self._page = page
        self._api = api
        self._methods: list[tuple[re.Pattern[str], frozenset[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The page for page paths; a JSON refusal under /api."""
        under_api = scope["type"] == "http" and scope["path"].startswith("/api/")
        if self._page is not None and not under_api:
            await self._page(scope, receive, send)
            return
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1000, "reason": ""})
            return
        await self._answer(scope["method"], scope["path"])(scope, receive, send)

    def _answer(self, method: str, path: str) -> Response:
        if self._methods is None:  # built on first use: every route is registered by then
            self._methods = _method_table(self._api)
        allowed: set[str] = set()
        literal: set[str] = set()
        for pattern, methods in self._methods:
            if pattern.match(path):
                allowed |= methods
                if "(?P<" not in pattern.pattern:
                    literal |= methods
        # A literal path (/reports/parse) is the endpoint its URL names, not a value of a
        # template beside it (/reports/{report_id}): its own methods are the ones allowed.
        allowed = literal or allowed
        if allowed:
            return error_response(
                405, f"method {method} not allowed on {path}", {"Allow": ", ".join(sorted(allowed))}
            )
        return error_response(404, f"no such endpoint: {path}")
