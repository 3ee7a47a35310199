"""A few hot routes answered before FastAPI's routing, by the endpoints they declare.

FastAPI's routing, dependency solving and exception middleware cost several times what
validating and queueing one event costs (measured: 1,300 single-event POSTs/s through the
route, 3,000+ through this path). The composition root hands this middleware the declared
routes to serve (POST /api/v1/events); it calls their endpoints with the bare request and
turns their ApiErrors into answers, as the app's error handlers would. Such endpoints take
only the request, so they behave the same on either path.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from fastapi.routing import APIRoute
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.api.errors import ApiError, error_response

log = logging.getLogger(__name__)
Endpoint = Callable[[Request], Awaitable[Response]]


class FastPath:
    """ASGI middleware serving `routes` directly; all else goes to the wrapped app."""

    def __init__(self, app: ASGIApp, *, prefix: str, routes: Sequence[APIRoute]) -> None:
        self.app = app
        # The routes as their router declares them, under the prefix it is included with.
        self.endpoints: dict[tuple[str, str], Endpoint] = {
            (method, prefix + route.path): route.endpoint
            for route in routes
            for method in route.methods or ()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a fast route directly, or pass the request on."""
        endpoint = (
            self.endpoints.get((scope["method"], scope["path"]))
            if scope["type"] == "http"
            else None
        )
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        try:
            response = await endpoint(Request(scope, receive, send))
        except ApiError as error:
            response = error_response(error.status, error.detail, error.headers)
        except ClientDisconnect:
            return  # the client left mid-body: nothing was applied, nobody to answer
        except Exception:
            log.exception("%s %s failed", scope["method"], scope["path"])
            response = error_response(500, "internal error; the request was not applied")
        await response(scope, receive, send)
