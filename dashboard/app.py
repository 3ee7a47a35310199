"""The dashboard as an extension of the app: its page, its streams and the briefing report.

backend.main finds `extension` through the `skywatch.extensions` entry point. The Dash app
runs on a FastAPI app of its own, served below the API, so that Dash's middleware and
catch-all page route never touch the API; its data arrives over /dashboard/stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from dash import Dash, clientside_callback
from dash.backends._fastapi import (
    FastAPIDashServer,
    reset_current_request,
    set_current_request,
)
from dash.dependencies import Input, Output
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.api.errors import ApiError
from backend.api.middleware.csp import HEADER as CSP
from backend.api.middleware.csp import inline_policy
from backend.config import Settings
from backend.domain.night_context import CONTEXT_NIGHTS, NightContext, night_context
from backend.domain.official import counted_reports
from backend.domain.schemas import ErrorOut, NightLabel
from backend.extension import Extension
from backend.services import Services
from backend.store.summaries import summaries_in
from dashboard import ids
from dashboard.compile_hints import EagerCompiledScripts
from dashboard.i18n import language_of
from dashboard.layout import layout
from dashboard.official import official_view
from dashboard.page_language import remember, request_language
from dashboard.page_scripts import preloads, without_unused
from dashboard.report import report_html
from dashboard.report_sections import ReportSources
from dashboard.source import ServiceSource
from dashboard.state import fold_records
from dashboard.stream import dashboard_replay_stream, dashboard_stream
from dashboard.trends_route import trends_csv, trends_page
from dashboard.views.night import NightViews
from dashboard.views.replay import ReplayViews

ASSETS = Path(str(files("dashboard").joinpath("assets")))


class _DashServer(FastAPIDashServer):  # type: ignore[misc]  # Dash is untyped here
    """Dash on FastAPI without Dash's callback websocket: the page's data comes over
    /dashboard/stream, and an idle second socket per page would only cost server time."""

    websocket_capability = False


class _Dash(Dash):  # type: ignore[misc]  # Dash is untyped here
    """Dash whose page names its language (`<html lang>`), the request's (page_language),
    loads neither Dash's ES5 polyfill nor its DataTable, and asks at once for the dcc chunks
    it would fetch later (page_scripts)."""

    def interpolate_index(self, **kwargs: object) -> str:
        kwargs["scripts"] = without_unused(str(kwargs["scripts"]))
        kwargs["css"] = f"{kwargs['css']}\n{preloads(str(kwargs['scripts']))}"
        page: str = super().interpolate_index(**kwargs)
        return page.replace("<html>", f'<html lang="{request_language()}">', 1)


async def _remember_language(request: Request, call_next: Any) -> Any:
    """A page asked for with ?lang= keeps that language for its layout request (a cookie)."""
    response = await call_next(request)
    remember(request, response)
    return response


def create_dash() -> Dash:
    """The Dash app: layout, assets served locally, one clientside callback."""
    dash_app = _Dash(
        __name__,
        backend=_DashServer,
        title="Skywatch",
        update_title=None,
        assets_folder=str(ASSETS),
        serve_locally=True,
        compress=False,
    )
    dash_app.layout = layout
    dash_app.server.middleware("http")(_remember_language)
    dash_app.server.add_middleware(EagerCompiledScripts)
    # Picking another night loads the page for it (the stream follows the page's night).
    clientside_callback(
        "function(value) { return window.skywatch.nightSearch(value); }",
        Output(ids.URL, "search"),
        Input(ids.NIGHT_PICKER, "value"),
        prevent_initial_call=True,
    )
    _add_replay_page(dash_app)
    return dash_app


def _add_replay_page(dash_app: Dash) -> None:
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


async def night_report(
    request: Request, night: NightLabel, lang: str | None = None
) -> HTMLResponse:
    """One self-contained HTML file of the night: headline, tallies, maps, places, timeline
    and sources, in `?lang=uk|en` (else the browser's Accept-Language)."""
    source = ServiceSource(request.app.state.services)
    _, records = await source.night_records(night)
    state = fold_records(night, records, await source.opened_alerts(night))
    reports = await source.night_reports(night)
    state.official = official_view(night, reports)
    if not records and state.official is None:
        raise ApiError(404, f"night: no events or official report recorded for {night}")
    name = f"skywatch-{night}.html"
    page = report_html(
        state,
        alert_minutes=await source.night_alert_minutes(night),
        lang=language_of(lang, request.headers.get("accept-language")),
        sources=ReportSources.of(counted_reports(reports), records),
        context=await report_context(request.app.state.services.engine, night),
    )
    disposition = f'inline; filename="{name}"'
    # Plotly and the figures are inline: the report allows those exact scripts by hash.
    return HTMLResponse(
        page,
        headers={"Content-Disposition": disposition, CSP: inline_policy(page, plotly=True)},
    )


async def report_context(engine: AsyncEngine, night: date) -> NightContext:
    """The night against the 30 nights before it, from the per-night summaries."""
    first = night - timedelta(days=CONTEXT_NIGHTS)
    before, summaries = await summaries_in(engine, first, night)
    return night_context(summaries, before, night, datetime.now(UTC))


def _router() -> APIRouter:
    router = APIRouter()
    router.add_api_websocket_route("/dashboard/stream", dashboard_stream)
    router.add_api_websocket_route("/dashboard/replay/{session_id}/stream", dashboard_replay_stream)
    router.add_api_route("/trends", trends_page, methods=["GET"], include_in_schema=False)
    router.add_api_route("/trends/csv", trends_csv, methods=["GET"], include_in_schema=False)
    router.add_api_route(
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
                "description": "No events and no national report recorded for the night.",
                "content": {"application/json": {"schema": ErrorOut.model_json_schema()}},
            }
        },
    )
    return router


@asynccontextmanager
async def _views(app: FastAPI, services: Services) -> AsyncIterator[None]:
    """One registry of night views and one of replay views per app, closed on the way out."""
    source = ServiceSource(services)
    views = NightViews(source)
    replays = ReplayViews(source)
    app.state.dashboard = views
    app.state.dashboard_replays = replays
    try:
        yield
    finally:
        await replays.close()
        await views.close()


def extension(settings: Settings) -> Extension:
    """The dashboard's contribution to the app `backend.main.create_app` builds."""
    dash_app = create_dash()
    return Extension(
        name="dashboard",
        router=_router(),
        lifespan=_views,
        page=dash_app.server,
        # Every clientside callback is registered by now: the page's inline scripts by hash.
        page_script_hashes=tuple(dash_app.csp_hashes()),
    )
