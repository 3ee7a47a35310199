"""Live views: one per night on screen, folded once and rendered at most four times a second.

Every page showing a night gets the same pre-encoded messages: the work per event does not
grow with the number of viewers. A page that cannot keep up is dropped (it reconnects and
gets the whole view again), so it never slows the others.

Counters, tables and feed follow at four updates a second; the map and the timeline at one:
redrawing them is most of a page's work per update (about 90 ms of a wall-screen PC's main
thread each), and a per-10-minute chart gains nothing from redrawing faster. After a quiet
spell the first change draws everything at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from datetime import date

from backend.hub import Batch, SubscriberOverflowError
from dashboard.render import FIGURES, changed, encoded, message, render
from dashboard.source import EventSource
from dashboard.state import DashboardState, fold_records

log = logging.getLogger(__name__)
RENDER_INTERVAL = 0.25
FIGURE_INTERVAL = 1.0
HUB_QUEUE_LIMIT = 100_000
VIEWER_QUEUE_LIMIT = 64


class Viewer:
    """One page's queue of messages; overflowed when it falls behind."""

    def __init__(self) -> None:
        self._messages: deque[str] = deque()
        self._ready = asyncio.Event()
        self.overflowed = False

    def push(self, text: str) -> None:
        """Queue a message, or mark the viewer overflowed."""
        if len(self._messages) >= VIEWER_QUEUE_LIMIT:
            self.overflowed = True
        else:
            self._messages.append(text)
        self._ready.set()

    async def next(self, max_wait: float) -> list[str]:
        """Queued messages ([] after max_wait seconds without any)."""
        if not self._messages and not self.overflowed:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max_wait):
                    await self._ready.wait()
        self._ready.clear()
        messages = list(self._messages)
        self._messages.clear()
        return messages


class NightView:
    """The folded state of one night, kept current from the hub."""

    def __init__(self, night: date, source: EventSource) -> None:
        self.night = night
        self._source = source
        self._viewers: set[Viewer] = set()
        self._state = DashboardState(night)
        self._loaded_at = 0
        self._encoded: dict[str, bytes] = {}
        self._figures_due = 0.0  # monotonic time from which the figures may be redrawn
        self._figures_stale = False
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    @property
    def seq(self) -> int:
        """The cursor the view is current to."""
        return max(self._loaded_at, self._state.cursor)

    def full_message(self, **extra: object) -> str:
        """Every element's props: what a page gets when it (re)connects."""
        return message("view", self.seq, self._encoded, full=True, **extra)

    def launch(self) -> None:
        """Begin loading the night and following the hub, in the background."""
        self._task = asyncio.create_task(self._run(), name=f"night-view-{self.night}")

    async def loaded(self) -> None:
        """Wait until the night has been loaded once."""
        await self._ready.wait()

    async def stop(self) -> None:
        """Stop following."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def attach(self) -> Viewer:
        """A viewer receiving this view's updates."""
        viewer = Viewer()
        self._viewers.add(viewer)
        return viewer

    def detach(self, viewer: Viewer) -> None:
        """Stop sending to a viewer."""
        self._viewers.discard(viewer)

    @property
    def viewer_count(self) -> int:
        """Pages attached."""
        return len(self._viewers)

    async def _run(self) -> None:
        while True:
            try:
                await self._follow()
            except SubscriberOverflowError:
                log.warning("night view %s fell behind the hub; reloading", self.night)
            except Exception:
                log.exception("night view %s failed; reloading", self.night)
                await asyncio.sleep(1)

    async def _follow(self) -> None:
        with self._source.subscribe(limit=HUB_QUEUE_LIMIT) as subscription:
            await self._load()
            self._ready.set()
            while True:
                # Figures held back wait at most until they are due, changes or not.
                wait = self._figures_due - time.monotonic() if self._figures_stale else None
                batches = await subscription.next(None if wait is None else max(wait, 0.0))
                if self._apply(batches):
                    await self._load()
                self._publish()
                # Coalesce: whatever arrives meanwhile goes into the next update.
                await asyncio.sleep(RENDER_INTERVAL)

    async def _load(self) -> None:
        cursor, records = await self._source.night_records(self.night)
        self._state = fold_records(self.night, records)
        self._loaded_at = cursor
        self._publish(figures=True)

    def _apply(self, batches: list[Batch]) -> bool:
        """Fold new records in; True when a retraction needs a reload."""
        for batch in batches:
            for change in batch.changes:
                if change.night != self.night or change.cursor <= self._loaded_at:
                    continue
                if change.retracted_id is not None:
                    return True
                if change.record is not None and change.cursor > self._state.cursor:
                    self._state.apply(change.record)
        return False

    def _publish(self, *, figures: bool = False) -> None:
        now = time.monotonic()
        figures = figures or now >= self._figures_due
        current = encoded(render(self._state, figures=figures))
        if figures:
            self._figures_due = now + FIGURE_INTERVAL
            self._figures_stale = False
        else:
            current.update({key: self._encoded[key] for key in FIGURES if key in self._encoded})
            self._figures_stale = True
        update = changed(self._encoded, current)
        self._encoded = current
        if not update:
            return
        text = message("view", self.seq, update)
        for viewer in list(self._viewers):
            viewer.push(text)


class NightViews:
    """The views of the nights on screen, created on first use and stopped at shutdown."""

    def __init__(self, source: EventSource) -> None:
        self.source = source
        self._views: dict[date, NightView] = {}
        self._lock = asyncio.Lock()

    async def get(self, night: date) -> NightView:
        """The running view of a night, loaded."""
        async with self._lock:
            view = self._views.get(night)
            if view is None:
                # Registered before loading: a page that leaves meanwhile must not strand a
                # view that nobody could find to release.
                view = self._views[night] = NightView(night, self.source)
                view.launch()
        await view.loaded()
        return view

    def __contains__(self, night: object) -> bool:
        """Whether a view of the night is kept."""
        return night in self._views

    async def release(self, night: date, *, keep: date) -> None:
        """Stop a night's view when no page shows it any more (the `keep` night stays)."""
        async with self._lock:
            view = self._views.get(night)
            if view is not None and view.viewer_count == 0 and night != keep:
                del self._views[night]
                await view.stop()

    async def close(self) -> None:
        """Stop every view."""
        for view in self._views.values():
            await view.stop()
        self._views.clear()
