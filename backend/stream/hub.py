"""The event hub: one reader of the change feed, fanning batches out to bounded subscribers.

Commits announced by other workers through the bus only *notify* the hub of a cursor; the
hub then reads the changes from the database once and hands the same immutable batch, with
its JSON frames encoded once per night, to every subscriber. This process's own inserts are
handed over by the writer as committed (`committed`) and published without that read when
they follow the hub's cursor directly: reading back every event just written cost about
15 us an event, several times the whole parse of a batch (measured under wrk). A subscriber that
lets more than its limit of changes pile up is marked overflowed and dropped from fan-out, so
a frozen client costs the others nothing and memory stays bounded. A slow periodic poll of
the latest cursor makes the hub catch up by itself when a notification was lost.

A subscriber may also take a batch on the spot (`take_now`): a live stream that is caught up
writes the batch's ready-made websocket frames straight to its connection from the hub's
publish loop, so fan-out costs one transport write per client instead of a task wake-up, an
ASGI send and a frame encoding per client. What it cannot take at once goes to its queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.frames import Frame, Opcode

from backend import metrics
from backend.domain.records import dumps, record_of_committed
from backend.domain.schemas import ALERT_KINDS
from backend.store.changes import Change, read_changes
from backend.store.cursor import latest_cursor
from backend.stream.inbox import BoundedInbox
from backend.stream.outage_log import OutageLog
from backend.stream.tasks import cancel_all

log = logging.getLogger(__name__)
FETCH_LIMIT = 5_000
FRAME_CHANGES = 250


@dataclass(slots=True, eq=False)
class Batch:
    """Changes with cursors in (after, last], in order; frames are encoded once per night."""

    after: int
    last: int
    changes: tuple[Change, ...]
    _payloads: dict[date | None, list[tuple[int, bytes]]] = field(default_factory=dict)
    _frames: dict[date | None, list[str]] = field(default_factory=dict)
    _wire: dict[date | None, list[tuple[int, bytes]]] = field(default_factory=dict)
    _alert_nights: frozenset[date] | None = None

    def alters_alerts_before(self, night: date) -> bool:
        """Whether an alert event of a night before `night` was stored or retracted here:
        the alerts on when `night` began may have changed (a retraction may be of one)."""
        if self._alert_nights is None:
            self._alert_nights = frozenset(
                change.night
                for change in self.changes
                if change.record is None or change.record["kind"] in ALERT_KINDS
            )
        return any(other < night for other in self._alert_nights)

    def frames(self, night: date | None, *, sent: int) -> list[str]:
        """The JSON frames of this batch for one night (None: all nights), past `sent`."""
        if sent <= self.after:
            cached = self._frames.get(night)
            if cached is None:
                cached = self._frames[night] = [text.decode() for _, text in self._json(night)]
            return cached
        # A subscriber still catching up from its backlog gets only what it has not seen.
        fresh = tuple(change for change in self.changes if change.cursor > sent)
        return encode_frames(fresh, night, self.last)

    def wire_frames(self, night: date | None) -> list[tuple[int, bytes]]:
        """(seq, websocket text frame as sent on the wire) for the whole batch and night.

        A server's frames are not masked, so the same bytes serve every client: encoded once
        per batch and night, then only written.
        """
        cached = self._wire.get(night)
        if cached is None:
            cached = self._wire[night] = [
                (seq, Frame(Opcode.TEXT, text).serialize(mask=False))
                for seq, text in self._json(night)
            ]
        return cached

    def _json(self, night: date | None) -> list[tuple[int, bytes]]:
        cached = self._payloads.get(night)
        if cached is None:
            cached = self._payloads[night] = encode_payloads(self.changes, night, self.last)
        return cached


def encode_frames(changes: tuple[Change, ...], night: date | None, last: int) -> list[str]:
    """The night's changes as "events" and "retracted" frames, in cursor order.

    A frame holds at most FRAME_CHANGES changes (clients such as the `websockets` library
    refuse frames over 1 MiB by default), and its `seq` is the cursor of its last change, the
    final frame's the batch's end: a client resuming from any frame's seq misses nothing.
    """
    return [text.decode() for _, text in encode_payloads(changes, night, last)]


def encode_payloads(
    changes: tuple[Change, ...], night: date | None, last: int
) -> list[tuple[int, bytes]]:
    """encode_frames as (seq, UTF-8 JSON) pairs: the seq is where a client resumes after it."""
    runs: list[list[Change]] = []
    for change in changes:
        if not _in(change, night):
            continue
        current = runs[-1] if runs else None
        same_kind = current is not None and (current[0].record is None) == (change.record is None)
        if current is None or not same_kind or len(current) >= FRAME_CHANGES:
            runs.append([change])
        else:
            current.append(change)
    payloads = []
    for index, run in enumerate(runs):
        seq = last if index == len(runs) - 1 else run[-1].cursor
        if run[0].record is not None:
            message = {"type": "events", "seq": seq, "events": [c.record for c in run]}
        else:
            message = {"type": "retracted", "seq": seq, "ids": [c.retracted_id for c in run]}
        payloads.append((seq, dumps(message)))
    return payloads


def _in(change: Change, night: date | None) -> bool:
    return night is None or change.night == night


TakeNow = Callable[[Batch], bool]


def _changes_in(batch: Batch) -> int:
    return len(batch.changes)


class Subscription(BoundedInbox[Batch]):
    """A bounded inbox of batches (limit in changes); the consumer may take one on the spot.

    `take_now(batch)` is called (from the hub's publish loop, so it must not block) when the
    inbox is empty; True means the consumer has dealt with the batch completely. It is never
    called while batches wait in the inbox, so batches are always consumed in order.
    """

    def __init__(self, limit: int, take_now: TakeNow | None = None) -> None:
        super().__init__(limit, size=_changes_in)
        self.take_now = take_now

    def push(self, batch: Batch) -> bool:
        """Hand over a batch; False (and overflowed) when it would exceed the limit."""
        if self.overflowed:
            return False
        if self.empty and self.take_now is not None and self._taken(batch):
            return True
        return super().push(batch)

    def _taken(self, batch: Batch) -> bool:
        assert self.take_now is not None
        try:
            return self.take_now(batch)
        except Exception:
            # One consumer's bug must not stop the hub's fan-out to everyone else.
            log.exception("a subscriber failed to take a batch; queueing it instead")
            return False


class Hub:
    """Reads new changes once per notification and fans them out; start() and stop() it."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        poll_interval: float = 1.0,
        # Measured with 1,000 clients at 100 events/s (bench/fanout.py): 20 ms gave p99 41 ms
        # at 36% of a core, 10 ms p99 26 ms at 39%, 5 ms p99 26 ms at 46%.
        min_fetch_interval: float = 0.01,
    ) -> None:
        self._engine = engine
        self._poll_interval = poll_interval
        self._min_fetch_interval = min_fetch_interval
        self._subscribers: set[Subscription] = set()
        self._wake = asyncio.Event()
        self._poll_soon = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.cursor = 0
        self._known = 0
        self._reading = False  # a read of the change feed is under way
        # When the hub first heard of commits it has not yet fanned out (the fetch lag metric).
        self._noticed: float | None = None
        self._fetch_log = OutageLog(log, "hub read of new changes")
        self._poll_log = OutageLog(log, "hub poll of the database")

    @property
    def subscriber_count(self) -> int:
        """How many subscriptions are open."""
        return len(self._subscribers)

    async def start(self) -> None:
        """Start at the latest committed cursor, with the fetch and poll tasks running."""
        self.cursor = self._known = await latest_cursor(self._engine)
        self._tasks = [
            asyncio.create_task(self._fetch_loop(), name="hub-fetch"),
            asyncio.create_task(self._poll_loop(), name="hub-poll"),
        ]

    async def stop(self) -> None:
        """Stop the tasks; subscribers see no more batches."""
        await cancel_all(self._tasks)
        self._tasks = []

    def poll_now(self) -> None:
        """Check the database for missed commits soon (after a bus reconnect)."""
        self._poll_soon.set()

    def notify(self, cursor: int) -> None:
        """Changes up to `cursor` are committed (by this process or another)."""
        if cursor > self._known:
            self._known = cursor
            if self._noticed is None:
                self._noticed = time.monotonic()
            self._wake.set()

    def committed(self, rows: Sequence[dict[str, Any]]) -> None:
        """Events this process has just committed, in seq order (each row with its seq); the
        rows become the published records (the writer keeps none of them).

        Published as they are when they follow the cursor directly and nothing else is
        pending or being read; otherwise the notification that follows has them read with
        the rest, in order, as a commit of another worker would be.
        """
        if not rows or self._reading or self._known > self.cursor:
            return
        if rows[0]["seq"] != self.cursor + 1:
            return
        changes = tuple(
            Change(row["seq"], row["night"], record=record_of_committed(row)) for row in rows
        )
        batch = Batch(after=self.cursor, last=changes[-1].cursor, changes=changes)
        self.cursor = self._known = batch.last
        self._publish(batch)

    @contextlib.contextmanager
    def subscribe(self, *, limit: int, take_now: TakeNow | None = None) -> Iterator[Subscription]:
        """A subscription receiving every batch published while the block runs."""
        subscription = Subscription(limit, take_now)
        self._subscribers.add(subscription)
        try:
            yield subscription
        finally:
            self._subscribers.discard(subscription)

    async def _fetch_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._fetch_all()
            except Exception as error:
                self._fetch_log.failed(error)
                await asyncio.sleep(self._poll_interval)
                self._wake.set()
                continue
            self._fetch_log.succeeded()
            # Coalesce bursts: what commits meanwhile goes out in the next, larger batch.
            await asyncio.sleep(self._min_fetch_interval)

    async def _fetch_all(self) -> None:
        self._reading = True
        try:
            await self._read_all()
        finally:
            self._reading = False

    async def _read_all(self) -> None:
        while self._known > self.cursor:
            told = self._known
            changes = await read_changes(self._engine, after=self.cursor, limit=FETCH_LIMIT)
            if not changes:
                # Told of a cursor the database does not have (a stray bus message, say):
                # the database is the truth, or real notifications below it would be ignored.
                if self._known == told:
                    self._known = self.cursor
                    self._noticed = None
                return
            batch = Batch(after=self.cursor, last=changes[-1].cursor, changes=tuple(changes))
            self.cursor = batch.last
            self._publish(batch)
            if self._noticed is not None and self.cursor >= self._known:
                metrics.HUB_FETCH_LAG.observe(time.monotonic() - self._noticed)
                self._noticed = None

    def _publish(self, batch: Batch) -> None:
        for subscription in list(self._subscribers):
            if not subscription.push(batch):
                self._subscribers.discard(subscription)

    async def _poll_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poll_soon.wait(), self._poll_interval)
            self._poll_soon.clear()
            try:
                self.notify(await latest_cursor(self._engine))
            except Exception as error:
                self._poll_log.failed(error)
            else:
                self._poll_log.succeeded()
