"""uvicorn's websockets-sansio protocol, plus a way to write ready-made frames to a connection.

ASGI sends each message through the application's and uvicorn's send wrappers, which encode
a websocket frame per message and per client. A live-stream batch goes to a thousand clients
as the same bytes (server frames are not masked), so the stream writes them straight to the
transport instead, through the writer this protocol puts in the connection's scope under
FRAME_WRITER. Everything else (handshake, pings and pongs, close, reading) stays uvicorn's,
but that a client breaking the protocol (a message over SKYWATCH_WS_MAX_BYTES, a malformed
frame) has its address banned from new streams for a while (backend/server/stream_bans.py),
and that a stream refused with a reason is not logged as an error (`send`).

What the writer relies on, and why it is safe:

- Frames are whole and written with one `transport.write` each, in the event loop's thread,
  as uvicorn writes its pings, pongs and close frames: they never interleave inside a frame.
- It writes only while the connection is open and not closing (after the app's accept,
  before any close frame, sent or received) and only while the transport is writable: when
  uvicorn has paused writing (the write buffer is above its high-water mark) it refuses, so
  the caller falls back to the ASGI send, which waits for room with the stream's send
  timeout. The buffer stays bounded and a client that stops reading is still cut off.
- With permessage-deflate negotiated frames must be compressed per connection: no writer.

It uses uvicorn attributes that are not public API (`scope`, `conn`, `transport`,
`writable`, `close_sent`, `disconnected`, `handshake_complete`, `handle_connect`). Should an
upgrade rename one, the protocol stops offering the writer (with a warning) and the stream
falls back to ASGI sends: slower, never wrong. tests/unit/stream/test_ws_protocol.py checks it.
"""

from __future__ import annotations

import logging
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import CloseCode
from websockets.http11 import Request
from websockets.protocol import State

from backend.server.stream_bans import peer_address, process_stream_bans
from backend.stream.session import FRAME_WRITER

log = logging.getLogger(__name__)
_RELIED_ON = ("conn", "transport", "writable", "close_sent", "disconnected", "handshake_complete")
_warned = False


class StreamWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol that also takes pre-framed server frames."""

    def handle_connect(self, event: Request) -> None:
        """Shake hands as uvicorn does, then offer the frame writer to the application."""
        super().handle_connect(event)
        scope: dict[str, Any] | None = getattr(self, "scope", None)
        if scope is None or self.close_sent:
            return  # the handshake was refused: there is no application to offer it to
        if not _compatible(self):
            return
        if self.conn.extensions:
            return  # permessage-deflate: frames differ per connection
        scope.setdefault("extensions", {})[FRAME_WRITER] = self

    async def send(self, message: Any) -> None:
        """Send as uvicorn does. A refusal (the denial response, sent whole) also completes
        the handshake, as uvicorn's own refusals do: without it, uvicorn logged "ASGI callable
        returned without completing handshake." at ERROR for every stream refused with a
        reason (a bad query, a limit), which reads as a server fault and fills the log when
        a client retries (uvicorn's pull request #3138 mends it there, not yet released)."""
        await super().send(message)
        if message["type"] == "websocket.http.response.body" and self.close_sent:
            self.handshake_complete = True

    def handle_parser_exception(self) -> None:
        """Close as uvicorn does, and keep the offending address from new streams."""
        closing = self.conn.close_sent
        # 1006 is a connection cut mid-frame: a network's doing as often as a client's.
        if closing is not None and closing.code != CloseCode.ABNORMAL_CLOSURE:
            process_stream_bans().ban(peer_address(self.client), f"closed {int(closing.code)}")
        super().handle_parser_exception()

    def write_frame(self, frame: bytes) -> bool:
        """Write one complete server frame now; False (nothing written) if it must wait.

        False when writing is paused (the client is not keeping up) or the connection is
        not open: the caller then sends through ASGI, which waits or fails as usual.
        """
        if (
            not self.handshake_complete
            or self.close_sent
            or self.disconnected
            or not self.writable.is_set()
            or self.conn.state is not State.OPEN
            or self.transport.is_closing()
        ):
            return False
        self.transport.write(frame)
        return True


def _compatible(protocol: WebSocketsSansIOProtocol) -> bool:
    global _warned
    missing = [name for name in _RELIED_ON if not hasattr(protocol, name)]
    if missing and not _warned:
        _warned = True
        log.warning(
            "uvicorn's websockets-sansio protocol lacks %s: live-stream frames go through "
            "ASGI sends (slower fan-out)",
            ", ".join(missing),
        )
    return not missing
