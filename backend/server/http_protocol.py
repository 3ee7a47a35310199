"""uvicorn's httptools protocol with the limits it lacks: head size, head and body time, and
a cap on open connections that sheds the idle and the slow first.

Measured against uvicorn 0.54 with httptools (issue 15): httptools bounds no header block
(uvicorn's `h11_max_incomplete_event_size` applies to h11 only; a 64 MiB head was answered
200 and 20 unfinished 32 MiB heads took 640 MiB), a connection that never sends a byte is
held forever, one that trickles its head a byte at a time too (the keep-alive timer is
cancelled by any data), and so is a chunked body that never ends. h11 enforces the size
(as a 400) but costs ingest throughput; so the fast parser stays and this protocol counts.

- Head size: bytes fed to the parser while a request head is open are counted; over
  SKYWATCH_MAX_HEADER_BYTES the answer is 431 and the connection is closed. httptools
  buffers a header until it ends, so the count is what bounds it, at most one read (256 KiB)
  past the limit.
- Head time: a head must arrive whole within SKYWATCH_HEADER_TIMEOUT seconds of the
  connection (or of its first byte after an answer); else 408 and close (slowloris).
- Body time: a request body must arrive whole within SKYWATCH_BODY_TIMEOUT seconds of its
  head; else 408 and close. The application sees a disconnect, so nothing is applied.
- Connections: at most SKYWATCH_MAX_CONNECTIONS per worker (default: the descriptor limit
  less a reserve). A new connection over it closes the one that has waited longest without a
  request in progress (idle keep-alive, or still sending its head): requests that complete
  keep their place, and a thousand slow heads cannot lock the door. Only when every
  connection is busy is the newcomer refused (503).
- Stream bans: a websocket handshake from an address that broke the websocket protocol
  lately is answered 429 with Retry-After, a second later, before any websocket is set up
  (stream_bans.py).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from backend.server.limits import ConnectionLimits, process_limits
from backend.server.stream_bans import StreamBans, peer_address, process_stream_bans

_REASONS = {
    408: b"Request Timeout",
    429: b"Too Many Requests",
    431: b"Request Header Fields Too Large",
    503: b"Service Unavailable",
}


def refusal(status: int, detail: str, retry_after: int | None = None) -> bytes:
    """A whole HTTP/1.1 answer with a JSON error body that closes the connection."""
    body = b'{"detail": "' + detail.encode("ascii") + b'"}'
    retry = b"" if retry_after is None else b"retry-after: %d\r\n" % retry_after
    return b"".join(
        (
            b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status]),
            retry,
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n",
            b"x-content-type-options: nosniff\r\n\r\n",
            body,
        )
    )


# Seconds a handshake from a banned address waits for its 429 (stream_bans.py).
BANNED_ANSWER_DELAY = 1.0


class HeadTooLargeError(Exception):
    """Raised from a parser callback to stop parsing a refused head."""


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """HttpToolsProtocol holding ConnectionLimits on every connection."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits: ConnectionLimits = process_limits()
        self.bans: StreamBans = process_stream_bans()
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._head_open = True
        self._head_bytes = 0
        self._head_began_now = False
        # Since when this connection has had no request in progress: eviction goes oldest first.
        self.idle_since = time.monotonic()

    # Connection events

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Make room if the worker is at its cap, then start the head clock."""
        crowded = len(self.connections) >= self.limits.max_connections
        super().connection_made(transport)
        if crowded and not self._evict_one():
            self._refuse(503, "too many connections; retry shortly")
            return
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        """Drop the timers with the connection."""
        self._cancel_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Feed the parser (as uvicorn does), counting what a still-open head has taken."""
        self._unset_keepalive_if_required()
        if not self._in_progress() and self._head_timer is None:
            self._arm_head_timer()  # the first byte of the next request
        self._head_began_now = False
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self._upgrade_unless_banned()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError:
            if self.transport.is_closing():
                return  # refused by a limit, already answered
            msg = "Invalid HTTP request received."
            self.logger.warning(msg)
            self.send_400_response(msg)
            return
        if not self._head_open or self._head_began_now or self.transport.is_closing():
            return
        # A read in which the head began may hold the end of the previous body: not counted
        # (so a pipelined request is never refused for another's bytes); a head that ends
        # within one read is measured whole in on_headers_complete.
        self._head_bytes += len(data)
        if self._head_bytes > self.limits.max_header_bytes:
            self._refuse_head()

    def _upgrade_unless_banned(self) -> None:
        address = peer_address(self.client)
        wait = self.bans.retry_after(address)
        if not wait:
            self.handle_websocket_upgrade()
            return
        # Answered after a pause, nothing more read meanwhile: an attacker who reconnects as
        # soon as refused makes the worker accept a few hundred connections a second, not
        # thousands. The held connection is idle, so the cap on connections sheds it first.
        self._cancel_timers()
        self.transport.pause_reading()
        self._head_timer = self.loop.call_later(BANNED_ANSWER_DELAY, self._refuse_banned, address)

    def _refuse_banned(self, address: str) -> None:
        if self.transport.is_closing():
            return
        wait = max(1, self.bans.retry_after(address))
        self._refuse(429, "this address broke the websocket protocol; retry later", wait)

    def handle_websocket_upgrade(self) -> None:
        """The websocket protocol takes over the connection (and its own limits)."""
        self._cancel_timers()
        super().handle_websocket_upgrade()

    # Parser callbacks

    def on_message_begin(self) -> None:
        """A new head: count from zero."""
        self._head_open = True
        self._head_bytes = 0
        self._head_began_now = True
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        """The head is whole: refuse it if too large, else stop its clock, start the body's."""
        self._head_open = False
        size = len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)
        if size > self.limits.max_header_bytes:
            self._refuse_head()
            # Stops the parser: the rest of this read is never parsed nor passed on.
            raise HeadTooLargeError
        self._cancel(self._head_timer)
        self._head_timer = None
        self._body_timer = self.loop.call_later(self.limits.body_timeout, self._body_timed_out)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        """The body is whole: stop its clock."""
        self._cancel(self._body_timer)
        self._body_timer = None
        super().on_message_complete()

    def on_response_complete(self) -> None:
        """Answered: idle from now (uvicorn's keep-alive timer closes it if nothing comes)."""
        self.idle_since = time.monotonic()
        super().on_response_complete()

    # Limits

    def _in_progress(self) -> bool:
        return self.cycle is not None and not self.cycle.response_complete

    def evictable(self) -> bool:
        """Whether closing this connection costs no request in progress."""
        return not self._in_progress() and not self.transport.is_closing()

    def _evict_one(self) -> bool:
        victim: GuardedHttpToolsProtocol | None = None
        for connection in self.connections:
            if (
                connection is not self
                and isinstance(connection, GuardedHttpToolsProtocol)
                and connection.evictable()
                and (victim is None or connection.idle_since < victim.idle_since)
            ):
                victim = connection
        if victim is None:
            return False
        victim.shed()
        return True

    def shed(self) -> None:
        """Close to make room for another connection."""
        self._cancel_timers()
        self.transport.close()

    def _arm_head_timer(self) -> None:
        self._cancel(self._head_timer)
        self._head_timer = self.loop.call_later(self.limits.header_timeout, self._head_timed_out)

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._in_progress() or self.transport.is_closing():
            return
        self._refuse(408, f"request head not received within {self.limits.header_timeout:g} s")

    def _body_timed_out(self) -> None:
        self._body_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_started:
            # The application is waiting for the rest of the body: it is told of a disconnect
            # (connection_lost) and applies nothing; the client is told why.
            self.cycle.response_started = True
            self.transport.write(
                refusal(408, f"request body not received within {self.limits.body_timeout:g} s")
            )
        self.transport.close()

    def _refuse_head(self) -> None:
        self._refuse(431, f"request head over {self.limits.max_header_bytes} bytes")

    def _refuse(self, status: int, detail: str, retry_after: int | None = None) -> None:
        self._cancel_timers()
        if not self._in_progress():
            self.transport.write(refusal(status, detail, retry_after))
        self.transport.close()

    def _cancel_timers(self) -> None:
        self._cancel(self._head_timer)
        self._cancel(self._body_timer)
        self._head_timer = self._body_timer = None

    @staticmethod
    def _cancel(timer: asyncio.TimerHandle | None) -> None:
        if timer is not None:
            timer.cancel()
