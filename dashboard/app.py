"""The whole product: the service (backend.main) with the dashboard mounted at "/".

The Dash app runs on a FastAPI app of its own, mounted last, so that Dash's middleware and
catch-all page route never touch the API; its data arrives over /dashboard/stream.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from dash import Dash, clientside_callback
from dash.backends._fastapi import (
    FastAPIDashServer,
    reset_current_request,
    set_current_request,
)
from dash.dependencies import Input, Output
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.api.errors import ApiError, error_response
from backend.api.middleware.access import allow_page_scripts
from backend.api.middleware.csp import HEADER as CSP
from backend.api.middleware.csp import inline_policy
from backend.config import Settings
from backend.domain.schemas import ErrorOut, NightLabel
from backend.main import create_app as create_service
from dashboard import ids
from dashboard.layout import layout
from dashboard.report import report_html
from dashboard.source import ServiceSource
from dashboard.state import fold_records
from dashboard.stream import dashboard_replay_stream, dashboard_stream
from dashboard.views.night import NightViews
from dashboard.views.replay import ReplayViews

ASSETS = Path(__file__).resolve().parent / "assets"


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


class _ApiFallthrough:
    """The page app, except under /api: what no API route took is a JSON 404, or a 405 when
    the path exists with other methods, never the page (whatever the method's name)."""

    def __init__(self, page: ASGIApp, api: FastAPI) -> None:
        self._page = page
        self._api = api
        self._methods: list[tuple[re.Pattern[str], frozenset[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self._page(scope, receive, send)
            return
        await self._answer(scope["method"], scope["path"])(scope, receive, send)

    def _answer(self, method: str, path: str) -> Response:
        if self._methods is None:  # built on first use: every route is registered by then
            self._methods = _method_table(self._api)
        allowed: set[str] = set()
        for pattern, methods in self._methods:
            if pattern.match(path):
                allowed |= methods
        if allowed:
            return error_response(
                405, f"method {method} not allowed on {path}", {"Allow": ", ".join(sorted(allowed))}
            )
        return error_response(404, f"no such endpoint: {path}")


class _DashServer(FastAPIDashServer):  # type: ignore[misc]  # Dash is untyped here
    """Dash on FastAPI without Dash's callback websocket: the page's data comes over
    /dashboard/stream, and an idle second socket per page would only cost server time."""

    websocket_capability = False


def create_dash() -> Dash:
    """The Dash app: layout, assets served locally, one clientside callback."""
    dash_app = Dash(
        __name__,
        backend=_DashServer,
        title="Skywatch",
        update_title=None,
        assets_folder=str(ASSETS),
        serve_locally=True,
        compress=False,
    )
    dash_app.layout = layout
    # Picking another night loads the page for it (the stream follows the page's night).
    clientside_callback(
        "function(value) { return window.skywatch.nightSearch(value); }",
        Output(ids.URL, "search"),
        Input(ids.NIGHT_PICKER, "value"),
        prevent_initial_call=True,
    )
    return dash_app


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service with the dashboard: what `skywatch serve` runs."""
    app = create_service(settings)
    service_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        async with service_lifespan(application):
            source = ServiceSource(application.state.services)
            views = NightViews(source)
            replays = ReplayViews(source)
            application.state.dashboard = views
            application.state.dashboard_replays = replays
            try:
                yield
            finally:
                await replays.close()
                await views.close()

    app.router.lifespan_context = lifespan
    app.add_api_websocket_route("/dashboard/stream", dashboard_stream)
    app.add_api_websocket_route("/dashboard/replay/{session_id}/stream", dashboard_replay_stream)

    async def night_report(night: NightLabel) -> HTMLResponse:
        """One self-contained HTML file of the night: tallies, timeline and map."""
        source = ServiceSource(app.state.services)
        _, records = await source.night_records(night)
        if not records:
            raise ApiError(404, f"night: no events recorded for {night}")
        name = f"skywatch-{night}.html"
        page = report_html(fold_records(night, records))
        disposition = f'inline; filename="{name}"'
        # Plotly and the figures are inline: the report allows those exact scripts by hash.
        return HTMLResponse(
            page,
            headers={"Content-Disposition": disposition, CSP: inline_policy(page, plotly=True)},
        )

    app.add_api_route(
        "/api/v1/nights/{night}/report",
        night_report,
        methods=["GET"],
        response_class=HTMLResponse,
        tags=["stats"],
        summary="A self-contained HTML briefing report of a night",
        # The page is HTML, its refusal JSON: spelled out, or the 404 would be documented as
        # text/html too.
        responses={
            404: {
                "description": "No events recorded for the night.",
                "content": {"application/json": {"schema": ErrorOut.model_json_schema()}},
            }
        },
    )

    dash_app = create_dash()

    async def replay_page(request: Request, session_id: str) -> HTMLResponse:
        """The dashboard following a replay session (the page script reads the id)."""
        # Dash renders its index from the current request, and lists the assets only once
        # its first-request setup ran: its own routes do both, this one must too.
        token = set_current_request(request)
        try:
            dash_app._setup_server()
            return HTMLResponse(dash_app.index())
        finally:
            reset_current_request(token)

    # Dash's own catch-all page route is installed by its lifespan, which never runs when it
    # is mounted; the one extra page is declared here, so other unknown paths stay 404s.
    dash_app.server.add_api_route(
        "/replay/{session_id}", replay_page, methods=["GET"], include_in_schema=False
    )
    # Last, once every clientside callback is registered: the page's inline scripts by hash.
    allow_page_scripts(app, dash_app.csp_hashes())
    app.mount("/", _ApiFallthrough(dash_app.server, app))
    return app
