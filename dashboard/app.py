"""The whole product: the service (backend.main) with the dashboard mounted at "/".

The Dash app runs on a FastAPI app of its own, mounted last, so that Dash's middleware and
catch-all page route never touch the API; its data arrives over /dashboard/stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
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

from backend.api.access import allow_page_scripts
from backend.api.csp import HEADER as CSP
from backend.api.csp import inline_policy
from backend.api.errors import ApiError, error_response
from backend.config import Settings
from backend.main import create_app as create_service
from dashboard import ids
from dashboard.layout import layout
from dashboard.live import NightViews
from dashboard.replay_view import ReplayViews
from dashboard.report import report_html
from dashboard.source import ServiceSource
from dashboard.state import fold_records
from dashboard.stream import dashboard_replay_stream, dashboard_stream

ASSETS = Path(__file__).resolve().parent / "assets"


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

    async def night_report(night: date) -> HTMLResponse:
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
    )

    async def api_not_found(request: Request) -> Response:
        return error_response(404, f"no such endpoint: {request.url.path}")

    # Unknown API paths stay JSON 404s instead of falling through to the page.
    app.add_api_route(
        "/api/{path:path}",
        api_not_found,
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
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
    app.mount("/", dash_app.server)
    return app
