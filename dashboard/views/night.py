"""Live views: one per night on screen, folded once and rendered at most four times a second.

Counters, tables and feed follow at four updates a second, the map at one, the timeline
every five seconds (dashboard/views/shared.py says why); after a quiet spell the first change
draws everything.

Official reports do not pass through the hub (they are a few a night, posted in the
morning): a view reads its night's reports when it loads and again every
REPORTS_POLL_SECONDS, which also brings in reports posted to another worker.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, date, datetime

from backend.domain.nights import current_night
from backend.stream.hub import Batch
from backend.stream.inbox import SubscriberOverflowError
from dashboard import ids
from dashboard.i18n import Lang, texts
from dashboard.official import official_view
from dashboard.render import Moment, message, render
from dashboard.source import EventSource
from dashboard.state import DashboardState, fold_records
from dashboard.views.registry import ViewRegistry
from dashboard.views.shared import FIGURE_INTERVAL, TIMELINE_INTERVAL, SharedView

log = logging.getLogger(__name__)
RENDER_INTERVAL = 0.25
HUB_QUEUE_LIMIT = 100_000
REPORTS_POLL_SECONDS = 5.0


class NightView(SharedView):
    """The folded state of one night, kept current from the hub."""

    def __init__(self, night: date, source: EventSource) -> None:
        super().__init__(
            f"night-view-{night}", {ids.MAP: FIGURE_INTERVAL, ids.TIMELINE: TIMELINE_INTERVAL}
        )
        self.night = night
        self._source = source
        self._state = DashboardState(night)
        self._loaded_at = 0
        self._reports_due = 0.0  # monotonic time of the next read of the night's reports

    @property
    def seq(self) -> int:
        """The cursor the view is current to."""
        return max(self._loaded_at, self._state.cursor)

    def full_message(self, lang: Lang = "en", **extra: object) -> str:
        """Every element's props: what a page gets when it (re)connects."""
        shown = self._encoded_in(lang)
        if shown is None:
            self._update(lang, render(self._state, texts(lang), moment=self._moment()))
            shown = self._encoded_in(lang) or {}
        return message("view", self.seq, shown, full=True, **extra)

    def _moment(self) -> Moment:
        """Tonight is live and in progress; a past night is read at its end."""
        live = self.night == current_night()
        return Moment(now=datetime.now(UTC) if live else None, in_progress=live, live=live)

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
                batches = await subscription.next(self._wait_seconds())
                applied = self._apply(batches)
                if applied is None:
                    await self._load()
                else:
                    await self._update_from(applied)
                # Coalesce: whatever arrives meanwhile goes into the next update.
                await asyncio.sleep(RENDER_INTERVAL)

    async def _update_from(self, applied: bool) -> None:
        """Render what moved: this night's new records, its reports if they changed, the
        clock on tonight's view, or a figure's owed redraw.

        Rendering a night costs its view 20-50 ms of the event loop. A past night's view
        rendered on every reports poll and on every other night's events: 20 pages on 20
        past nights kept a sixth of a core busy with nothing to show, beside the ingest.
        """
        moved = applied
        if time.monotonic() >= self._reports_due:
            reports_changed = await self._read_reports()
            # Tonight's figures read the clock (its rates, the timeline's now): they move.
            moved = moved or reports_changed or self._moment().live
        if moved or self._figures.owed:
            self._publish(moved=moved)

    async def _load(self) -> None:
        opened = await self._source.opened_alerts(self.night)
        cursor, records = await self._source.night_records(self.night)
        self._state = fold_records(self.night, records, opened)
        self._loaded_at = cursor
        await self._read_reports()
        self._publish(figures=True)

    async def _read_reports(self) -> bool:
        """Read the night's reports; whether its official view changed."""
        reports = await self._source.night_reports(self.night)
        official = official_view(self.night, reports)
        self._reports_due = time.monotonic() + REPORTS_POLL_SECONDS
        if official == self._state.official:
            return False
        self._state.official = official
        return True

    def _wait_seconds(self) -> float:
        """Until the next thing is due: an owed redraw of the figures, or the reports' read."""
        reports = max(self._reports_due - time.monotonic(), 0.0)
        figures = self._figures.seconds_until_owed_redraw()
        return reports if figures is None else min(figures, reports)

    def _apply(self, batches: list[Batch]) -> bool | None:
        """Fold new records in: whether any was this night's, or None when the night must
        be reloaded (a retraction, or an alert of an earlier night changed: which alerts
        were on when this night began)."""
        applied = False
        for batch in batches:
            if batch.alters_alerts_before(self.night):
                return None
            for change in batch.changes:
                if change.night != self.night or change.cursor <= self._loaded_at:
                    continue
                if change.retracted_id is not None:
                    return None
                if change.record is not None and change.cursor > self._state.cursor:
                    self._state.apply(change.record)
                    applied = True
        return applied

    def _publish(self, *, figures: bool = False, moved: bool = True) -> None:
        """Render and send what changed: everything (`figures`), what moved, or (not
        `moved`) only the figures owed a redraw."""
        due = self._figures.due(force=figures)
        if moved:
            self._figures.hold()
        else:
            due &= self._figures.owed
        moment = self._moment()
        for lang in self.languages:
            props = render(self._state, texts(lang), figures=due, moment=moment)
            update = self._update(lang, props)
            if update:
                self._broadcast(message("view", self.seq, update), lang)
        self._figures.drawn(due)


class NightViews(ViewRegistry[date, NightView]):
    """The views of the nights on screen; tonight's stays warm (see `release(keep=)`)."""

    def __init__(self, source: EventSource) -> None:
        super().__init__(self._new_view)
        self.source = source

    async def _new_view(self, night: date) -> NightView:
        return NightView(night, self.source)

    async def get(self, night: date) -> NightView:
        """The running view of a night, loaded."""
        view = await super().get(night)
        assert view is not None  # every night has a view, empty or not
        return view
