"""Dash's own routes answer what a client got wrong as a 4xx, not as Dash's generic 500.

Dash (its FastAPI backend) turns every exception into `500 InternalServerError`: a request for
a script it does not ship, or a callback request that is not one, looked like a server fault
(and was logged as none). This guard answers them before Dash does: an unknown file under
`/_dash-component-suites/` is a 404, and a callback POST whose body is not a callback
request (a JSON object with `output`, `outputs`, `inputs` and `changedPropIds`) is a 400.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.body import read_body, replayed
from backend.api.errors import ApiError, error_response

COMPONENT_SUITES = "/_dash-component-suites/"
CALLBACK = "/_dash-update-component"
# A callback request is a few kilobytes; a layout-sized state, a few hundred.
MAX_CALLBACK_BYTES = 1024 * 1024
_CALLBACK_FIELDS: dict[str, type | tuple[type, ...]] = {
    "output": str,
    "outputs": (dict, list),
    "inputs": list,
    "changedPropIds": list,
}


def callback_problem(body: bytes) -> str | None:
    """Why `body` is not a Dash callback request, or None when it is shaped like one."""
    try:
        request: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "a callback request is a JSON object"
    if not isinstance(request, dict):
        return "a callback request is a JSON object"
    for name, kind in _CALLBACK_FIELDS.items():
        if not isinstance(request.get(name), kind):
            return f"a callback request needs {name!r}"
    return None


class PageGuard:
    """ASGI middleware in front of the page: 404 and 400 where Dash would answer 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check Dash's file and callback requests; pass everything on otherwise."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(COMPONENT_SUITES) and scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, _missing_file_is_404(send, path))
            return
        if path == CALLBACK and scope["method"] == "POST":
            try:
                body = await read_body(scope, receive, limit=MAX_CALLBACK_BYTES)
            except ApiError as error:
                await error_response(error.status, error.detail, error.headers)(
                    scope, receive, send
                )
                return
            problem = callback_problem(body)
            if problem is not None:
                await error_response(400, problem)(scope, receive, send)
                return
            await self.app(scope, replayed(body, receive), send)
            return
        await self.app(scope, receive, send)


def _missing_file_is_404(send: Send, path: str) -> Send:
    """Dash validates the file's path and package and raises for any it does not serve."""
    refused = False

    async def send_or_404(message: Message) -> None:
        nonlocal refused
        if message["type"] == "http.response.start" and message["status"] == 500:
            refused = True
            return
        if refused:
            if not message.get("more_body", False):
                await error_response(404, f"no such file: {path}")(
                    {"type": "http"}, _no_receive, send
                )
            return
        await send(message)

    return send_or_404


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
