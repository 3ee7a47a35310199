"""Fan-out baseline: the `websockets` library alone, broadcasting what /publish sends to all.

Run as `python -m bench.fanout_baseline --port P`. Clients connect to any other path; every
text message received on a /publish connection goes out as-is to every connected client.
"""

from __future__ import annotations

import argparse
import contextlib
from http import HTTPStatus

import uvloop
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.http11 import Request, Response

from bench.common import raise_open_files_limit

CLIENTS: set[ServerConnection] = set()


def _health(connection: ServerConnection, request: Request) -> Response | None:
    # Lets the benchmark wait for this server exactly as it waits for the product.
    if request.path in ("/healthz", "/api/v1/healthz"):
        return connection.respond(HTTPStatus.OK, "ok\n")
    return None


async def _handler(connection: ServerConnection) -> None:
    if connection.request is not None and connection.request.path == "/publish":
        async for message in connection:
            broadcast(CLIENTS, message)
        return
    CLIENTS.add(connection)
    try:
        await connection.wait_closed()
    finally:
        CLIENTS.discard(connection)


async def _serve(host: str, port: int) -> None:
    # Same settings as the product: no per-message deflate, pings every 20 s.
    async with serve(
        _handler, host, port, compression=None, process_request=_health, ping_interval=20.0
    ) as server:
        await server.serve_forever()


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8800)
    args = parser.parse_args()
    raise_open_files_limit()
    # uvicorn runs the product on uvloop (installed with uvicorn[standard]): same loop here.
    with contextlib.suppress(KeyboardInterrupt):
        uvloop.run(_serve(args.host, args.port))


if __name__ == "__main__":
    main()
