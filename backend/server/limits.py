"""The limits the HTTP protocol holds for every connection, read once per worker process.

uvicorn builds its protocol objects itself from an import string (in each worker process,
under `--workers`), so they cannot be handed settings; they read them from the environment
through Settings, as the app does.
"""

from __future__ import annotations

import resource
from dataclasses import dataclass
from functools import lru_cache

from backend.config import Settings

# Descriptors kept free for what is not a client connection: the database files and pool,
# Redis, log files, the listening socket, the lifespan's work.
RESERVED_DESCRIPTORS = 128
# Without a descriptor limit worth the name, this many connections at most.
CONNECTIONS_CEILING = 20_000


@dataclass(frozen=True)
class ConnectionLimits:
    """Bytes and seconds a client connection may take before the server lets it go."""

    max_header_bytes: int
    header_timeout: float
    body_timeout: float
    max_connections: int


def default_max_connections() -> int:
    """Open connections one worker keeps: its descriptor limit less a reserve."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return CONNECTIONS_CEILING
    return max(16, min(CONNECTIONS_CEILING, soft - RESERVED_DESCRIPTORS))


def limits_of(settings: Settings) -> ConnectionLimits:
    """The connection limits a worker with these settings holds."""
    return ConnectionLimits(
        max_header_bytes=settings.max_header_bytes,
        header_timeout=settings.header_timeout,
        body_timeout=settings.body_timeout,
        max_connections=settings.max_connections or default_max_connections(),
    )


@lru_cache(maxsize=1)
def process_limits() -> ConnectionLimits:
    """This process's limits, from its SKYWATCH_* environment."""
    return limits_of(Settings())
