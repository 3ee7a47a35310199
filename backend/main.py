"""The composition root: create_app(settings) builds the whole product, API and dashboard.

Everything is wired here and nowhere else: middleware order, routes, and one lifespan whose
single exit stack opens the services and then each extension's hook, and closes them in
reverse. The dashboard joins through backend.extension, so the backend never imports it.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.middleware.trustedhost import TrustedHostMiddleware

from backend.api.errors import install_error_handlers
from backend.api.fallthrough import ApiFallthrough
from backend.api.middleware.access import AccessControl, allow_page_scripts, install_readers
from backend.api.middleware.body_limit import BodyLimit
from backend.api.middleware.connections import OpenConnections
from backend.api.middleware.fast_path import FastPath
from backend.api.middleware.head import HeadAsGet
from backend.api.middleware.headers import SecurityHeaders
from backend.api.middleware.hosts import allowed_hosts
from backend.api.middleware.page_guard import PageGuard
from backend.api.middleware.request_id import RequestId
from backend.api.middleware.stream_admission import StreamAdmission
from backend.api.middleware.stream_limit import StreamLimit
from backend.api.middleware.throttle import FailedTokenThrottle
from backend.api.middleware.view_limit import ViewLimit
from backend.api.openapi import document_server_refusals
from backend.api.routes import (
    alerts,
    events,
    health,
    replays,
    report_parse,
    reports,
    stats,
    stream,
    trends,
)
from backend.api.routes.docs import install_docs
from backend.api.routes.metrics import get_metrics
from backend.config import Settings
from backend.extension import Extension, installed_extensions
from backend.metrics import worker_exited
from backend.services import open_services

API_PREFIX = "/api/v1"
log = logging.getLogger(__name__)


def _lifespan(
    settings: Settings, extensions: Sequence[Extension]
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            stack.callback(worker_exited)
            services = await open_services(settings, stack)
            app.state.services = services
            install_readers(app, settings, services.write_tokens)
            for extension in extensions:
                if extension.lifespan is not None:
                    await stack.enter_async_context(extension.lifespan(app, services))
            settle_start_up_objects()
            # Back to the collector at shutdown: a process that builds apps again and again
            # (the tests) would otherwise keep every frozen cycle of each.
            stack.callback(gc.unfreeze)
            yield

    return lifespan


def settle_start_up_objects() -> None:
    """Leave what start-up built (the app, the dashboard's geometry and layouts, the
    gazetteer) out of the cycle collector's full passes, which walk every tracked object.

    Under single-event POSTs a full pass came every 2-3 s and took 106-147 ms on this machine,
    stalling the event loop and every request on it (wrk's p99 120-145 ms against a p50 of
    10). Objects made later are collected as before; what start-up made lives as long as the
    process anyway. No full collection first: in a process that starts app after app (the
    test suite, ~800 MB of objects by its end) each took most of a second, and what little
    start-up garbage is frozen with the rest is given back at shutdown.
    """
    gc.freeze()


def _routes_of(router: APIRouter, endpoint: object) -> list[APIRoute]:
    """The router's own routes of an endpoint (FastAPI keeps included routers whole)."""
    routes = router.routes
    return [route for route in routes if isinstance(route, APIRoute) and route.endpoint is endpoint]


GIL_SWITCH_SECONDS = 0.0005


def create_app(
    settings: Settings | None = None, *, extensions: Sequence[Extension] | None = None
) -> FastAPI:
    """The product app; nothing is opened until its lifespan starts.

    `extensions` defaults to every installed one (the dashboard); pass [] for the API alone.
    """
    settings = settings or Settings()
    # Heavy reads run in a thread (store/offload.py) that shares the GIL with the event loop;
    # at Python's default 5 ms switch interval every POST waited a few of them behind a page of
    # 10,000 records or a fold over the years. Measured (bench/reads.py, 4 readers and stats
    # over the years): POST p99 107 -> 51 ms at 0.5 ms.
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    if extensions is None:
        extensions = installed_extensions(settings)
        if not extensions:
            # A checkout used without `pip install` has no entry points: tell why there is no page.
            log.warning("no Skywatch extension is installed: serving the API without the page")
    pages = [extension.page for extension in extensions if extension.page is not None]
    if len(pages) > 1:
        raise ValueError("more than one extension serves the page at /")
    app = FastAPI(
        title="Skywatch",
        summary="Aerial attacks on Ukraine as they happen: ingest, tallies, live stream.",
        version="1.0.0",
        lifespan=_lifespan(settings, extensions),
        docs_url=None,  # served by install_docs from local files
        redoc_url=None,  # ReDoc would load its script from a CDN
        # The service's metrics are Prometheus' (/metrics). FastAPI's OpenTelemetry hooks, on
        # by default, look the three providers up on every request (each reads os.environ):
        # a few per cent of a single-event POST for providers nobody configured.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    install_error_handlers(app)
    document_server_refusals(app)
    install_docs(app)
    for module in (events, stats, trends, alerts, reports, report_parse, health, stream, replays):
        app.include_router(module.router, prefix=API_PREFIX)
    app.add_api_route("/healthz", health.healthz, include_in_schema=False)
    app.add_api_route("/metrics", get_metrics, include_in_schema=False)
    for extension in extensions:
        app.include_router(extension.router)
    allow_page_scripts(
        app, [digest for extension in extensions for digest in extension.page_script_hashes]
    )
    # Last: below every route, the page, and JSON refusals for what no API route took.
    app.mount("/", ApiFallthrough(pages[0] if pages else None, app))
    # Each added middleware wraps the ones before it: the last is outermost.
    app.add_middleware(PageGuard)
    app.add_middleware(HeadAsGet)
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes, small_bytes=settings.max_control_bytes
    )
    app.add_middleware(
        ViewLimit, per_process=settings.max_views, per_address=settings.max_views_per_address
    )
    app.add_middleware(StreamLimit, per_client=settings.max_streams_per_client)
    app.add_middleware(OpenConnections)
    # Past the token check (a refusal never waits), ahead of every other stream middleware.
    app.add_middleware(StreamAdmission, at_once=settings.stream_setups_at_once)
    # Outside the body limit (ingest reads its body with the same reader and limit) and the
    # websocket-only layers above, which a POST would only pass through.
    fast = _routes_of(events.router, events.post_events)
    app.add_middleware(FastPath, prefix=API_PREFIX, routes=fast)
    # Outermost: no route, ingest fast path included, is reached unchecked.
    app.add_middleware(AccessControl, settings=settings)
    # Sees every 401, whoever answered it.
    app.add_middleware(
        FailedTokenThrottle,
        limit=settings.max_token_failures,
        window=settings.token_failure_window,
    )
    # Before anything is served: a request to a host name not allowed is a rebinding page.
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings), www_redirect=False
    )
    # Around everything, refusals included.
    app.add_middleware(SecurityHeaders)
    # Outermost: every log line of a request, refusals included, carries its id.
    app.add_middleware(RequestId)
    return app
