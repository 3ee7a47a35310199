"""The app's services on the test's database, as its lifespan opens them, for in-process tests.

The `rig` fixture is registered for the whole suite in tests/conftest.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.domain.records import to_row
from backend.domain.schemas import EventIn
from backend.ingest.writer import GroupCommitWriter
from backend.services import Services, open_services
from backend.stream.hub import Hub, Subscription


@dataclass
class Rig:
    """A writer that notifies a hub, on a migrated database: the app's services (one worker,
    no Redis) opened by backend.services.open_services."""

    _services: Services

    @property
    def engine(self) -> AsyncEngine:
        """The services' database engine."""
        return self._services.engine

    @property
    def writer(self) -> GroupCommitWriter:
        """The services' group-commit writer; its commits notify the hub."""
        return self._services.writer

    @property
    def hub(self) -> Hub:
        """The services' hub."""
        return self._services.hub

    async def post(self, count: int = 1, *, fields: Mapping[str, object] | None = None) -> None:
        """Commit `count` launch events (or events with these fields) in one request."""
        launch = {"kind": "launch", "weapon": "drone", "occurred_at": "2025-07-03T22:00:00Z"}
        event = EventIn.model_validate({**launch, **(fields or {})})
        rows = [to_row(event, received_at=datetime.now(UTC)) for _ in range(count)]
        await self.writer.insert(rows, client_ids=[])

    def services(self) -> Services:
        """The app's services around this rig, for the dashboard."""
        return self._services


@pytest.fixture
async def rig(database_url: str, tmp_path: Path) -> AsyncIterator[Rig]:
    """The services on the test's database, closed in reverse after the test."""
    settings = Settings(
        database_url=database_url,
        api_tokens=["t"],
        redis_url=None,
        hub_poll_interval=0.2,
        sqlite_synchronous="NORMAL",
        data_dir=tmp_path / "data",
    )
    async with contextlib.AsyncExitStack() as stack:
        yield Rig(await open_services(settings, stack))


async def collect(subscription: Subscription, total: int) -> list[int]:
    """Seqs of events received until `total` have arrived."""
    seqs: list[int] = []
    while len(seqs) < total:
        for batch in await asyncio.wait_for(subscription.next(), 10):
            seqs += [change.cursor for change in batch.changes]
    return seqs
