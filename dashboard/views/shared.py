"""What every view shown on several pages has: its pages' queues, a task that keeps it
current, and the last props sent, so that each update carries only what changed.

Every page on a view in one language gets the same pre-encoded messages: the work per
change grows with the languages on screen (at most two), not with the number of pages. A
page that cannot keep up is dropped (it reconnects and gets the whole view again), so it
never slows the others.

The map and the timeline are redrawn at most once a second, whatever else updates faster:
redrawing them is most of a page's work per update (about 90 ms of a wall-screen PC's main
thread each), and a per-10-minute chart gains nothing from redrawing faster.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from backend.stream.inbox import BoundedInbox
from dashboard.i18n import Lang
from dashboard.render import Props, changed, encoded

FIGURE_INTERVAL = 1.0
VIEWER_QUEUE_LIMIT = 64


class Viewer(BoundedInbox[str]):
    """One page's inbox of messages, cut off when it falls VIEWER_QUEUE_LIMIT behind."""

    def __init__(self) -> None:
        super().__init__(VIEWER_QUEUE_LIMIT)


class FigureCadence:
    """When the figures may be redrawn, and whether a redraw is owed."""

    def __init__(self) -> None:
        self._due = 0.0  # monotonic time from which they may be redrawn
        self.owed = False

    def ready(self, *, force: bool = False) -> bool:
        """Whether the figures may be redrawn now."""
        return force or time.monotonic() >= self._due

    def drawn(self) -> None:
        """The figures were just rendered."""
        self._due = time.monotonic() + FIGURE_INTERVAL
        self.owed = False

    def hold(self) -> None:
        """The figures are behind the state: a redraw is owed once they are ready."""
        self.owed = True

    def seconds_until_owed_redraw(self) -> float | None:
        """How long until an owed redraw may happen (None when none is owed)."""
        return max(self._due - time.monotonic(), 0.0) if self.owed else None


class SharedView:
    """Pages attached to a view kept current by one background task (`_run`)."""

    def __init__(self, task_name: str) -> None:
        self._task_name = task_name
        self._viewers: dict[Lang, set[Viewer]] = {}
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        # The last props sent, per language; a language nobody watches is dropped, and
        # rendered afresh for its next page.
        self._encoded: dict[Lang, dict[str, bytes]] = {}
        self._figures = FigureCadence()

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

    def _encoded_in(self, lang: Lang) -> dict[str, bytes] | None:
        """The last props sent in a language, if it is being kept."""
        return self._encoded.get(lang)

    def _update(self, lang: Lang, props: Props) -> dict[str, bytes]:
        """Take new props in a language (elements left out keep their last ones); the
        elements changed."""
        before = self._encoded.get(lang, {})
        current = {**before, **encoded(props)}
        self._encoded[lang] = current
        return changed(before, current)

    def _broadcast(self, text: str, lang: Lang | None = None) -> None:
        """Send to the pages in a language (every page when None)."""
        chosen = self._viewers.values() if lang is None else [self._viewers.get(lang, set())]
        for viewers in list(chosen):
            for viewer in list(viewers):
                viewer.push(text)
