"""The resources one app instance owns, created and closed by its lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from backend.auth import TokenBook
from backend.config import Settings
from backend.ingest.writer import GroupCommitWriter
from backend.replay.sessions import NightTimelines, ReplaySessions
from backend.stream.bus import RedisBus
from backend.stream.hub import Hub


@dataclass(slots=True)
class Services:
    """Engine, writer, hub, bus and token book of a running app."""

    settings: Settings
    engine: AsyncEngine
    writer: GroupCommitWriter
    hub: Hub
    bus: RedisBus | None
    write_tokens: TokenBook
    replays: ReplaySessions
    timelines: NightTimelines
