"""The application factory: create_app(settings) wires routes to resources its lifespan owns."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from backend.api import events, health, stats
from backend.api.docs import install_docs
from backend.api.errors import install_error_handlers
from backend.api.ingest_path import IngestFastPath
from backend.auth import TokenBook, ensure_write_tokens
from backend.config import Settings
from backend.db import create_engine
from backend.migrations import upgrade_database
from backend.services import Services
from backend.writer import GroupCommitWriter, store_for

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    """A Skywatch app; nothing is opened until its lifespan starts."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(
            settings.resolved_database_url(), sqlite_synchronous=settings.sqlite_synchronous
        )
        await upgrade_database(engine)
        tokens, _ = ensure_write_tokens(settings)
        store = store_for(engine, sqlite_synchronous=settings.sqlite_synchronous)
        writer = GroupCommitWriter(store, max_group_events=settings.group_commit_max_events)
        await writer.start()
        app.state.services = Services(settings, engine, writer, TokenBook(tokens))
        try:
            yield
        finally:
            await writer.stop()
            await engine.dispose()

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
    install_docs(app)
    for module in (events, stats, health):
        app.include_router(module.router, prefix=API_PREFIX)
    app.add_api_route("/healthz", health.healthz, include_in_schema=False)
    return app
