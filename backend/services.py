"""The resources one app instance owns, opened in order and closed in reverse by its lifespan."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from backend.auth import TokenBook, ensure_write_tokens
from backend.config import Settings
from backend.ingest.write_health import WriteHealth
from backend.ingest.writer import GroupCommitWriter, sqlite_directory, store_for
from backend.replay.creations import CreationLimit
from backend.replay.sessions import ReplaySessions
from backend.replay.timeline import NightTimelines
from backend.store.db import create_engine
from backend.store.migrations import upgrade_database
from backend.store.read_worker import ReadWorker
from backend.store.summary_upkeep import SummaryUpkeep
from backend.stream.bus import RedisBus
from backend.stream.hub import Hub


@dataclass(slots=True)
class Services:
    """Engine, writer, hub, bus, token book and read worker of a running app."""

    settings: Settings
    engine: AsyncEngine
    writer: GroupCommitWriter
    hub: Hub
    bus: RedisBus | None
    write_tokens: TokenBook
    replays: ReplaySessions
    timelines: NightTimelines
    reads: ReadWorker


async def open_services(settings: Settings, stack: contextlib.AsyncExitStack) -> Services:
    """Open every resource in start order, each registering its close on `stack`.

    The caller's stack closes them in reverse, also after a failed start, together with
    whatever else it holds (the app's lifespan adds the dashboard's hook after these).
    """
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
        store,
        max_group_events=settings.group_commit_max_events,
        on_commit=on_commit,
        on_rows=hub.committed,
        health=WriteHealth(sqlite_directory(engine)),
    )
    await writer.start()
    stack.push_async_callback(writer.stop)
    reads = ReadWorker(settings.resolved_database_url())
    stack.callback(reads.close)
    upkeep = SummaryUpkeep(engine)
    await upkeep.start()
    stack.push_async_callback(upkeep.stop)
    return Services(
        settings,
        engine,
        writer,
        hub,
        bus,
        TokenBook(tokens),
        ReplaySessions(
            engine,
            idle_seconds=settings.replay_idle_seconds,
            creations=CreationLimit(
                limit=settings.max_replays_per_address, window=settings.replay_create_window
            ),
        ),
        NightTimelines(engine),
        reads,
    )
