"""Snapshots folded once and sent to many: every viewer of a night who asks meanwhile shares
one read of the database and one encoded frame.

After a server restart every screen reconnects at once; folded per viewer, 200 snapshots of a
20,000-event night queued on the database pool for half a minute (and some timed out as
1011). Here a night has at most one fold in flight; a viewer asking while it runs waits for
that one, and its result serves for a moment after (REUSE_SECONDS) to viewers that need no
newer cursor than it holds. A viewer whose shared snapshot is older than what the hub had
published when it subscribed reads the gap from the store (StreamSession does), so sharing
never loses a change.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.records import dumps
from backend.store.changes import Snapshot, read_snapshot
from backend.store.offload import off_loop

# Reports and alerts carried over from earlier nights change a snapshot without a new event
# cursor: a finished fold is reused only this briefly, a reconnect storm's length.
REUSE_SECONDS = 1.0
# Nights whose last snapshot is kept (a few bytes each beside the frame).
KEPT_NIGHTS = 64


@dataclass(frozen=True, slots=True)
class SharedSnapshot:
    """A folded snapshot and its frame text, as every viewer is sent it."""

    snapshot: Snapshot
    frame: str
    folded_at: float


def snapshot_frame(snapshot: Snapshot) -> str:
    """The JSON text of a snapshot message."""
    message = {
        "type": "snapshot",
        "seq": snapshot.seq,
        "night": snapshot.night,
        "stats": snapshot.stats,
        "recent": snapshot.recent,
    }
    return dumps(message).decode()


class SharedSnapshots:
    """One engine's snapshots (the engine is passed in, so this never keeps it alive): at most
    one fold per night in flight."""

    def __init__(self) -> None:
        self._folding: dict[date, asyncio.Task[SharedSnapshot]] = {}
        self._last: OrderedDict[date, SharedSnapshot] = OrderedDict()
        self.folds = 0  # how many times the database was read (tests, metrics)

    async def get(self, engine: AsyncEngine, night: date, *, cursor: int) -> SharedSnapshot:
        """A snapshot of `night`, covering `cursor` when one recent enough is at hand."""
        last = self._last.get(night)
        if (
            last is not None
            and last.snapshot.seq >= cursor
            and time.monotonic() - last.folded_at < REUSE_SECONDS
        ):
            return last
        task = self._folding.get(night)
        if task is None:
            task = asyncio.create_task(self._fold(engine, night), name=f"snapshot-{night}")
            self._folding[night] = task
            task.add_done_callback(lambda done: self._done(night, done))
        # Shielded: a viewer that leaves does not cancel the fold the others wait for.
        return await asyncio.shield(task)

    async def _fold(self, engine: AsyncEngine, night: date) -> SharedSnapshot:
        self.folds += 1
        snapshot = await read_snapshot(engine, night=night)
        # Encoded off the event loop: a night's frame is large and every viewer waits for it.
        frame = await off_loop(snapshot_frame, snapshot)
        return SharedSnapshot(snapshot, frame, time.monotonic())

    def _done(self, night: date, task: asyncio.Task[SharedSnapshot]) -> None:
        if self._folding.get(night) is task:
            del self._folding[night]
        if task.cancelled() or task.exception() is not None:
            return  # each waiter gets the error; the next viewer folds again
        self._last[night] = task.result()
        self._last.move_to_end(night)
        while len(self._last) > KEPT_NIGHTS:
            self._last.popitem(last=False)


_SHARED: weakref.WeakKeyDictionary[AsyncEngine, SharedSnapshots] = weakref.WeakKeyDictionary()


def shared_snapshots(engine: AsyncEngine) -> SharedSnapshots:
    """The snapshots shared by every stream on this engine."""
    found = _SHARED.get(engine)
    if found is None:
        found = _SHARED[engine] = SharedSnapshots()
    return found
