"""One live-stream connection: snapshot or backlog first, then live batches, resumable.

The subscription is opened before anything is read, so no change committed meanwhile is
lost; `sent` (the highest cursor delivered) makes every later frame skip what the backlog
or snapshot already covered, so nothing is sent twice either.

Two ways a batch reaches the client. While the session waits for news and is caught up, the
hub's publish loop hands it each batch (`_take_now`) and, given a frame writer (see
backend/stream/ws_protocol.py), the batch's shared wire frames are written to the connection right
there: no task of this session wakes up. Whatever cannot go that way (no writer, the client's
buffer full, a gap, a new night) is queued, and this session's task sends it through ASGI
with the send timeout, as every frame went before.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.nights import current_night
from backend.store.changes import read_changes
from backend.store.cursor import latest_cursor
from backend.stream.hub import Batch, Hub, encode_frames
from backend.stream.inbox import SubscriberOverflowError
from backend.stream.snapshots import shared_snapshots
from backend.stream.tasks import cancel_all

CLOSE_TOO_SLOW = 4008
SNAPSHOT_GAP = 10_000
BACKLOG_PAGE = 1_000
# Without traffic the session still wakes this often, to roll over to a new night at noon.
IDLE_CHECK_SECONDS = 15.0

# The ASGI scope extension under which a server offers a FrameWriter for the connection.
FRAME_WRITER = "skywatch.frame_writer"

SendText = Callable[[str], Awaitable[None]]


class FrameWriter(Protocol):
    """Writes complete, ready-made websocket frames to one connection without waiting."""

    def write_frame(self, frame: bytes) -> bool:
        """Write `frame` now; False (nothing written) when it would have to wait."""
        ...


class TooSlowError(Exception):
    """The client fell too far behind; close with CLOSE_TOO_SLOW and this reason."""

    def __init__(self, sent: int, reason: str) -> None:
        super().__init__(f"too slow: reconnect with since={sent}")
        self.sent = sent
        # "queue_full" (fell queue_limit changes behind) or "send_timeout" (a send stalled).
        self.reason = reason


class StreamSession:
    """Sends one client its frames; `night` None follows the current night across noon."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        hub: Hub,
        send: SendText,
        night: date | None,
        send_timeout: float,
        writer: FrameWriter | None = None,
    ) -> None:
        self._engine = engine
        self._hub = hub
        self._send_text = send
        self._writer = writer
        # True only while the task waits for news with nothing left to send: then, and only
        # then, may the hub write to the client directly, so frames never overtake each other.
        self._parked = False
        self._fixed_night = night
        self._night = night or current_night()
        self._send_timeout = send_timeout
        self.sent = 0

    async def run(self, *, since: int | None, queue_limit: int) -> None:
        """Serve until cancelled; raise TooSlowError when the client cannot keep up."""
        take_now = self._take_now if self._writer is not None else None
        with self._hub.subscribe(limit=queue_limit, take_now=take_now) as subscription:
            await self._start(since)
            while True:
                self._parked = True
                try:
                    batches = await subscription.next(max_wait=IDLE_CHECK_SECONDS)
                except SubscriberOverflowError:
                    raise TooSlowError(self.sent, "queue_full") from None
                finally:
                    self._parked = False
                if self._fixed_night is None and current_night() != self._night:
                    self._night = current_night()
                    await self._snapshot()
                for batch in batches:
                    await self._deliver(batch)

    async def _start(self, since: int | None) -> None:
        # A fresh viewer needs no look at the store's cursor: a burst of them (every screen
        # after a restart) would queue one query each for nothing.
        if since is None:
            await self._snapshot()
            return
        latest = await latest_cursor(self._engine)
        if since > latest or latest - since > SNAPSHOT_GAP:
            await self._snapshot()
        else:
            self.sent = since
            await self._backlog(until=None)

    async def _snapshot(self) -> None:
        # What the hub had published when this session subscribed, or later: a shared
        # snapshot folded before that misses the changes in between, read from the store.
        published = self._hub.cursor
        shared = await shared_snapshots(self._engine).get(
            self._engine, self._night, cursor=published
        )
        await self._send(shared.frame)
        self.sent = shared.snapshot.seq
        if self.sent < published:
            await self._backlog(until=published)

    async def _backlog(self, *, until: int | None) -> None:
        """Send stored changes after `sent`, page by page (up to `until` when given)."""
        while until is None or self.sent < until:
            changes = await read_changes(self._engine, after=self.sent, limit=BACKLOG_PAGE)
            if until is not None:
                changes = [change for change in changes if change.cursor <= until]
            if not changes:
                return
            last = changes[-1].cursor
            for frame in encode_frames(tuple(changes), self._night, last):
                await self._send(frame)
            self.sent = last

    def _take_now(self, batch: Batch) -> bool:
        """Write the batch's shared frames straight to the client, if that is safe now.

        Called by the hub while publishing; True when the batch is fully delivered. Anything
        unusual is left to the queue and this session's task.
        """
        if not self._parked or self._writer is None:
            return False
        if batch.last <= self.sent:
            return True  # the snapshot already covered it
        if batch.after != self.sent:
            return False  # part of it already sent, or a hole before it: _deliver knows how
        if self._fixed_night is None and current_night() != self._night:
            return False  # a new night: the task sends its snapshot first
        if batch.alters_alerts_before(self._night):
            return False  # the alerts carried over from earlier nights: a snapshot follows
        for seq, frame in batch.wire_frames(self._night):
            if not self._writer.write_frame(frame):
                # The client is not keeping up (or is going): the rest goes through ASGI,
                # waiting with the send timeout; `sent` says where it resumes.
                return False
            self.sent = seq
        self.sent = batch.last
        return True

    async def _deliver(self, batch: Batch) -> None:
        if batch.last <= self.sent:
            return
        if batch.after > self.sent:
            # Defensive: never leave a hole between what was sent and this batch.
            await self._backlog(until=batch.after)
        for frame in batch.frames(self._night, sent=self.sent):
            await self._send(frame)
        self.sent = batch.last
        if batch.alters_alerts_before(self._night):
            # An alert event of an earlier night (a late report, a retraction) changes which
            # alerts were on when this night began: its frames are not this night's, so the
            # client gets the state again.
            await self._snapshot()

    async def _send(self, text: str) -> None:
        # asyncio.timeout, not wait_for: wait_for wraps every send in a new task, which at a
        # thousand viewers is most of the cost of fan-out.
        try:
            async with asyncio.timeout(self._send_timeout):
                await self._send_text(text)
        except TimeoutError:
            raise TooSlowError(self.sent, "send_timeout") from None


async def run_while_connected(
    serve: Coroutine[Any, Any, None], receive: Callable[[], Awaitable[Any]]
) -> asyncio.Task[None]:
    """Run `serve` until it ends or the client goes away; the (finished) serving task."""
    serving = asyncio.create_task(serve)
    watching = asyncio.create_task(until_disconnected(receive))
    try:
        await asyncio.wait({serving, watching}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        await cancel_all((serving, watching))
    return serving


async def until_disconnected(receive: Callable[[], Awaitable[Any]]) -> None:
    """Consume client messages (ignored) until the client goes away."""
    with contextlib.suppress(Exception):
        while True:
            message = await receive()
            if message.get("type") == "websocket.disconnect":
                return
