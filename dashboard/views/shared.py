"""What every view shown on several pages has: its pages' queues, a task that keeps it
current, and the last props sent, so that each update carries only what changed.

Every page on a view in one language gets the same pre-encoded messages: the work per
change grows with the languages on screen (at most two), not with the number of pages. A
page that cannot keep up is dropped (it reconnects and gets the whole view again), so it
never slows the others.

The map and the timeline are redrawn at most once an interval each, whatever else updates
faster: redrawing them is most of a page's work per update. The live timeline waits longer
than the map: a per-10-minute chart gains nothing from being redrawn every second, and it
was a third of each page's main-thread time per event (25 of 70 ms, measured in headless
Chromium), while the map shows where something just fell.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping

from backend.stream.inbox import BoundedInbox
from dashboard.i18n import Lang
from dashboard.render import Encoded, Props, changed, encoded, merged

FIGURE_INTERVAL = 1.0
TIMELINE_INTERVAL = 5.0
VIEWER_QUEUE_LIMIT = 64


class Viewer(BoundedInbox[str]):
    """One page's inbox of messages, cut off when it falls VIEWER_QUEUE_LIMIT behind."""

    def __init__(self) -> None:
        super().__init__(VIEWER_QUEUE_LIMIT)


class FigureCadence:
    """When a figure may be redrawn, and whether a redraw is owed."""

    def __init__(self, interval: float = FIGURE_INTERVAL) -> None:
        self._interval = interval
        self._due = 0.0  # monotonic time from which it may be redrawn
        self.owed = False

    def ready(self, *, force: bool = False) -> bool:
        """Whether the figure may be redrawn now."""
        return force or time.monotonic() >= self._due

    def drawn(self) -> None:
        """The figure was just rendered."""
        self._due = time.monotonic() + self._interval
        self.owed = False

    def hold(self) -> None:
        """The figures are behind the state: a redraw is owed once they are ready."""
        self.owed = True

    def seconds_until_owed_redraw(self) -> float | None:
        """How long until an owed redraw may happen (None when none is owed)."""
        return max(self._due - time.monotonic(), 0.0) if self.owed else None


class FigureCadences:
    """The cadence of each figure of a view (element id -> its interval)."""

    def __init__(self, intervals: Mapping[str, float]) -> None:
        self._cadences = {figure: FigureCadence(every) for figure, every in intervals.items()}

    def due(self, *, force: bool = False) -> frozenset[str]:
        """The figures that may be redrawn now (all of them when forced)."""
        return frozenset(
            figure for figure, cadence in self._cadences.items() if cadence.ready(force=force)
        )

    @property
    def owed(self) -> frozenset[str]:
        """The figures behind the state."""
        return frozenset(figure for figure, cadence in self._cadences.items() if cadence.owed)

    def hold(self) -> None:
        """The state moved: every figure owes a redraw until it is drawn."""
        for cadence in self._cadences.values():
            cadence.hold()

    def drawn(self, figures: frozenset[str]) -> None:
        """These figures were just rendered."""
        for figure in figures:
            self._cadences[figure].drawn()

    def seconds_until_owed_redraw(self) -> float | None:
        """How long until the first owed redraw may happen (None when none is owed)."""
        waits = [
            wait
            for cadence in self._cadences.values()
            if (wait := cadence.seconds_until_owed_redraw()) is not None
        ]
        return min(waits, default=None)


class SharedView:
    """Pages attached to a view kept current by one background task (`_run`)."""

    def __init__(self, task_name: str, figure_intervals: Mapping[str, float]) -> None:
        self._task_name = task_name
        self._viewers: dict[Lang, set[Viewer]] = {}
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        # The last props sent, per language; a language nobody watches is dropped, and
        # rendered afresh for its next page.
        self._encoded: dict[Lang, Encoded] = {}
        self._figures = FigureCadences(figure_intervals)

    async def _run(self) -> None:
        raise NotImplementedError

    def launch(self) -> None:
        """Start keeping the view current, in the background."""
        self._task = asyncio.create_task(self._run(), name=self._task_name)

    async def loaded(self) -> None:
        """Wait until the view has its first state."""
        await self._ready.wait()

    async def stop(self) -> None:
        """Stop keeping the view current."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def attach(self, lang: Lang = "en") -> Viewer:
        """A viewer receiving this view's updates in a language."""
        viewer = Viewer()
        self._viewers.setdefault(lang, set()).add(viewer)
        return viewer

    def detach(self, viewer: Viewer) -> None:
        """Stop sending to a viewer."""
        for lang, viewers in list(self._viewers.items()):
            viewers.discard(viewer)
            if not viewers:
                del self._viewers[lang]
                self._encoded.pop(lang, None)

    @property
    def viewer_count(self) -> int:
        """Pages attached."""
        return sum(len(viewers) for viewers in self._viewers.values())

    @property
    def languages(self) -> list[Lang]:
        """The languages pages watch in."""
        return sorted(self._viewers)

    def _encoded_in(self, lang: Lang) -> Encoded | None:
        """The last props sent in a language, if it is being kept."""
        return self._encoded.get(lang)

    def _update(self, lang: Lang, props: Props) -> Encoded:
        """Take new props in a language (props left out keep their last values); the props
        changed."""
        before = self._encoded.get(lang, {})
        fresh = encoded(props)
        self._encoded[lang] = merged(before, fresh)
        return changed(before, fresh)

    def _broadcast(self, text: str, lang: Lang | None = None) -> None:
        """Send to the pages in a language (every page when None)."""
        chosen = self._viewers.values() if lang is None else [self._viewers.get(lang, set())]
        for viewers in list(chosen):
            for viewer in list(viewers):
                viewer.push(text)
