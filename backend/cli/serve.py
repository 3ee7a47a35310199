"""`skywatch serve` and `skywatch db upgrade`: the commands that run the server itself.

The only part of the command line that touches the service's code (the import contract in
pyproject.toml says so); every other command reaches a server over HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging.config
import os
import socket
import sys

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from backend import metrics
from backend.auth import ensure_write_tokens
from backend.config import Settings
from backend.ingest.demo import load_demo_if_empty
from backend.logs import log_config
from backend.store.db import create_engine
from backend.store.migrations import upgrade_database


class DatabaseUnreachableError(Exception):
    """The configured database did not answer; the message names it and says what to do."""


def _shown(settings: Settings) -> str:
    return make_url(settings.resolved_database_url()).render_as_string(hide_password=True)


def _port_taken(host: str, port: int) -> str | None:
    """Why (host, port) cannot be served, before anything is printed or migrated; None: free."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As uvicorn binds: a port left in TIME_WAIT by a previous run is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"port {port} on {host} is already in use (another skywatch serve?): "
                    f"stop it, or choose another port: skywatch serve --port {port + 1}, "
                    f"make run PORT={port + 1}"
                )
            return f"cannot listen on {host}:{port}: {error.strerror or error}"
    return None


def _upgrade(settings: Settings) -> None:
    """Migrate; DatabaseUnreachableError (one line, not a traceback) when it cannot connect."""
    try:
        _migrate(settings)
    except (OSError, DBAPIError) as error:
        cause = error.orig if isinstance(error, DBAPIError) else error
        raise DatabaseUnreachableError(
            f"cannot reach the database at {_shown(settings)}: {cause}; start it, or point "
            "SKYWATCH_DATABASE_URL at one that runs"
        ) from None


def _migrate(settings: Settings) -> None:
    async def run() -> None:
        engine = create_engine(settings.resolved_database_url())
        try:
            await upgrade_database(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())


def serve(args: argparse.Namespace, settings: Settings) -> int:
    """Migrate, load the demo night if asked, and run uvicorn until stopped."""
    import uvicorn

    if settings.log_format == "json":
        # From the first line on (migrations, the demo), not only once uvicorn starts.
        logging.config.dictConfig(log_config("json"))
    if args.workers > 1 and not settings.redis_url:
        print(
            "skywatch: --workers above 1 needs SKYWATCH_REDIS_URL, so that workers can tell "
            "each other about new events",
            file=sys.stderr,
        )
        return 2
    # Only this user reads the data: the database, its WAL, the generated token (0600 in a
    # 0700 directory). The umask is inherited by every worker and every file they create.
    os.umask(0o077)
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    settings.data_dir.chmod(0o700)
    taken = _port_taken(args.host, args.port)
    if taken is not None:
        print(f"skywatch serve: {taken}", file=sys.stderr)
        return 1
    try:
        _upgrade(settings)
    except DatabaseUnreachableError as error:
        print(f"skywatch serve: {error}", file=sys.stderr)
        return 1
    if args.demo:
        loaded = asyncio.run(load_demo_if_empty(settings))
        if loaded:
            print(f"Demo: loaded {loaded} events of the night of 3-4 July 2025")
    tokens, generated = ensure_write_tokens(settings)
    if generated:
        print(f"Generated a write token (saved in {settings.token_file}):\n  {tokens[0]}")
    elif not settings.api_tokens:
        print(f"Write token: in {settings.token_file}")
    print(f"Skywatch on http://{args.host}:{args.port}/  (API docs at /docs)", flush=True)
    # The default of SKYWATCH_ALLOWED_HOSTS (backend/api/middleware/hosts.py), for every worker.
    os.environ["SKYWATCH_BOUND_HOST"] = args.host
    try:
        _share_metrics(settings, workers=args.workers)
    except (ValueError, OSError) as error:
        print(
            f"skywatch serve: cannot serve metrics on SKYWATCH_METRICS_BIND="
            f"{settings.metrics_bind!r} (host:port): {error}",
            file=sys.stderr,
        )
        return 1
    uvicorn.run(
        "backend.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=args.access_log,
        log_level="info",
        log_config=log_config(settings.log_format, access_log=args.access_log),
        # uvicorn's websockets-sansio protocol, plus a writer of shared pre-encoded frames for
        # live-stream fan-out (backend/stream/ws_protocol.py).
        ws="backend.stream.ws_protocol:StreamWebSocketProtocol",
        # Protocol pings keep idle streams alive through proxies all night and find dead peers.
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        # Deflate multiplies fan-out latency (docs/performance.md); frames are small anyway.
        ws_per_message_deflate=False,
        # The service reads nothing clients send on a stream but its close.
        ws_max_size=settings.ws_max_bytes,
        # httptools with the limits uvicorn's own protocol lacks (backend/server/http_protocol.py).
        http="backend.server.http_protocol:GuardedHttpToolsProtocol",
        proxy_headers=False,
    )
    return 0


def _share_metrics(settings: Settings, *, workers: int) -> None:
    """Several workers write their metrics to files a scrape sums (backend/metrics.py)."""
    if workers > 1:
        # Set before the workers start (they inherit it), emptied: counts start at zero.
        shared = settings.data_dir / "metrics"
        metrics.reset_multiprocess_dir(shared)
        os.environ[metrics.MULTIPROC_ENV] = str(shared)
    if settings.metrics_bind:
        metrics.serve_on(settings.metrics_bind)
        print(f"Metrics on http://{settings.metrics_bind}/metrics", flush=True)


def upgrade(settings: Settings) -> int:
    """Bring the configured database to the newest revision and say which one it is."""
    try:
        _upgrade(settings)
    except DatabaseUnreachableError as error:
        print(f"skywatch db upgrade: {error}", file=sys.stderr)
        return 1
    print(f"database at the newest revision: {_shown(settings)}")
    return 0
