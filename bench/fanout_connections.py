"""One websocket connection of the client swarm, two ways, both on the `websockets` library.

`AsyncioClient` is its asyncio client (a task and a message queue per connection);
`SansIOClient` drives its Sans-I/O `ClientProtocol` straight from the socket callback, with
no task switch per message, so the swarm reads frames much faster than the server writes
them (bench/fanout_clients.py explains why that matters). Both report to a
fanout_receipts.Swarm.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import cast

from websockets.asyncio.client import ClientConnection, connect
from websockets.client import ClientProtocol
from websockets.exceptions import ConnectionClosed
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.uri import parse_uri

from bench.fanout_receipts import Seen, Swarm

MAX_SIZE = 2**24
OPEN_TIMEOUT = 60.0


class AsyncioClient:
    """One connection on the `websockets` asyncio client."""

    def __init__(self, swarm: Swarm, url: str, *, wait_first: bool, deflate: bool) -> None:
        self.swarm = swarm
        self.url = url
        self.wait_first = wait_first
        self.deflate = deflate
        self.connection: ClientConnection | None = None
        self.seen = Seen()

    async def open(self) -> None:
        """Connect (and read the first message when asked to)."""
        self.connection = await connect(
            self.url,
            compression="deflate" if self.deflate else None,
            # The server pings (the client answers by itself); no client pings to add noise.
            ping_interval=None,
            open_timeout=OPEN_TIMEOUT,
            max_size=MAX_SIZE,
            proxy=None,
        )
        if self.wait_first:
            self.swarm.first(await self.connection.recv(decode=False))

    async def listen(self) -> None:
        """Record every frame until the connection ends."""
        assert self.connection is not None
        try:
            while True:
                data = await self.connection.recv(decode=False)
                self.swarm.deliver(self.seen, data, time.time())
        except ConnectionClosed as closed:
            self.swarm.closed_early(closed.rcvd.code if closed.rcvd is not None else 1006)

    async def close(self) -> None:
        """Close the connection normally."""
        if self.connection is not None:
            await self.connection.close()


class SansIOClient(asyncio.Protocol):
    """One connection on the `websockets` Sans-I/O protocol, read in the socket callback."""

    def __init__(self, swarm: Swarm, url: str, *, wait_first: bool, deflate: bool) -> None:
        self.swarm = swarm
        self.url = url
        self.wait_first = wait_first
        extensions = [ClientPerMessageDeflateFactory()] if deflate else None
        self.protocol = ClientProtocol(parse_uri(url), extensions=extensions, max_size=MAX_SIZE)
        self.transport: asyncio.Transport | None = None
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.ended: asyncio.Future[None] = loop.create_future()
        self.fragments: list[bytes] = []
        self.seen = Seen()
        self.established = False

    async def open(self) -> None:
        """Connect and shake hands (and read the first message when asked to)."""
        uri = parse_uri(self.url)
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(OPEN_TIMEOUT):
            await loop.create_connection(lambda: self, uri.host, uri.port)
            await self.opened

    async def listen(self) -> None:
        """Frames are handled in data_received; this only waits for the end."""
        await self.ended

    async def close(self) -> None:
        """Send a close frame; drop the socket if the server does not close it soon."""
        if self.transport is None or self.ended.done():
            return
        self.protocol.send_close(1000)
        self._flush()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await asyncio.shield(self.ended)
        if not self.transport.is_closing():
            self.transport.abort()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Send the opening handshake."""
        # uvloop's transports do not subclass asyncio.Transport, hence a cast, not a check.
        self.transport = cast(asyncio.Transport, transport)
        self.protocol.send_request(self.protocol.connect())
        self._flush()

    def data_received(self, data: bytes) -> None:
        """Parse what arrived; every frame in it arrived now."""
        received = time.time()
        self.protocol.receive_data(data)
        for event in self.protocol.events_received():
            if not isinstance(event, Frame):
                self._handshake_done()
            elif event.opcode in (Opcode.TEXT, Opcode.BINARY, Opcode.CONT):
                self.fragments.append(bytes(event.data))
                if event.fin:
                    message, self.fragments = b"".join(self.fragments), []
                    self._message(message, received)
        # Pongs and the closing handshake's answer, queued by the protocol.
        self._flush()

    def eof_received(self) -> bool | None:
        """Let the protocol see the end of the stream."""
        self.protocol.receive_eof()
        self._flush()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        """Record how the connection ended."""
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed during the handshake"))
        if self.established:
            close = self.protocol.close_rcvd
            self.swarm.closed_early(close.code if close is not None else 1006)
        if not self.ended.done():
            self.ended.set_result(None)

    def _handshake_done(self) -> None:
        if self.protocol.state is not State.OPEN:
            error = self.protocol.handshake_exc or ConnectionError("handshake failed")
            self.opened.set_exception(error)
        elif not self.wait_first:
            self.established = True
            self.opened.set_result(None)

    def _message(self, data: bytes, received: float) -> None:
        if not self.established:
            self.swarm.first(data)
            self.established = True
            self.opened.set_result(None)
        else:
            self.swarm.deliver(self.seen, data, received)

    def _flush(self) -> None:
        assert self.transport is not None
        for data in self.protocol.data_to_send():
            if data:
                self.transport.write(data)
            elif self.transport.can_write_eof():
                self.transport.write_eof()


Client = AsyncioClient | SansIOClient
