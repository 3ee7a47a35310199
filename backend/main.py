"""The application factory: create_app(settings) wires routes to resources its lifespan owns."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from backend.api.errors import install_error_handlers
from backend.api.middleware.access import AccessControl, install_readers
from backend.api.middleware.body_limit import BodyLimit
from backend.api.middleware.ingest_path import IngestFastPath
from backend.api.middleware.stream_limit import StreamLimit
from backend.api.routes import events, health, replays, stats, stream
from backend.api.routes.docs import install_docs
from backend.auth import TokenBook, ensure_write_tokens
from backend.config import Settings
from backend.ingest.writer import GroupCommitWriter, store_for
from backend.replay.sessions import NightTimelines, ReplaySessions
from backend.services import Services
from backend.store.db import create_engine
from backend.store.migrations import upgrade_database
from backend.stream.bus import RedisBus
from backend.stream.hub import Hub

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"


@asynccontextmanager
async def _services(settings: Settings) -> AsyncIterator[Services]:
    """Open every resource in order; close them in reverse, also after a failed start."""
    async with contextlib.AsyncExitStack() as stack:
        engine = create_engine(
            settings.resolved_database_url(),
            sqlite_synchronous=settings.sqlite_synchronous,
            timeout=settings.database_timeout,
        )
        stack.push_async_callback(engine.dispose)
        await upgrade_database(engine)
        tokens, _ = ensure_write_tokens(settings)
        hub = Hub(engine, poll_interval=settings.hub_poll_interval)
        await hub.start()
        stack.push_async_callback(hub.stop)
        bus = None
        if settings.redis_url:
            bus = RedisBus(settings.redis_url, on_remote=hub.notify, on_reconnect=hub.poll_now)
            await bus.start()
            stack.push_async_callback(bus.stop)

        def on_commit(cursor: int) -> None:
            hub.notify(cursor)
            if bus is not None:
                bus.publish(cursor)

        store = store_for(engine, sqlite_synchronous=settings.sqlite_synchronous)
        writer = GroupCommitWriter(
            store, max_group_events=settings.group_commit_max_events, on_commit=on_commit
        )
        await writer.start()
        stack.push_async_callback(writer.stop)
        yield Services(
            settings,
            engine,
            writer,
            hub,
            bus,
            TokenBook(tokens),
            ReplaySessions(engine),
            NightTimelines(engine),
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    """A Skywatch app; nothing is opened until its lifespan starts."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with _services(settings) as services:
            app.state.services = services
            install_readers(app, settings, services.write_tokens)
            yield

    app = FastAPI(
        title="Skywatch",
        summary="Aerial attacks on Ukraine as they happen: ingest, tallies, live stream.",
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,  # served by install_docs from local files
        redoc_url=None,  # ReDoc would load its script from a CDN
    )
    install_error_handlers(app)
    app.add_middleware(IngestFastPath)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(StreamLimit, per_client=settings.max_streams_per_client)
    # Added last, so outermost: no route, ingest fast path included, is reached unchecked.
    app.add_middleware(AccessControl, settings=settings)
    install_docs(app)
    for module in (events, stats, health, stream, replays):
        app.include_router(module.router, prefix=API_PREFIX)
    app.add_api_route("/healthz", health.healthz, include_in_schema=False)
    return app
