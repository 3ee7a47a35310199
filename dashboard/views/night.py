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
                if self._apply(batches):
                    await self._load()
                elif time.monotonic() >= self._reports_due:
                    await self._read_reports()
                self._publish()
                # Coalesce: whatever arrives meanwhile goes into the next update.
                await asyncio.sleep(RENDER_INTERVAL)

    async def _load(self) -> None:
        opened = await self._source.opened_alerts(self.night)
        cursor, records = await self._source.night_records(self.night)
        self._state = fold_records(self.night, records, opened)
        self._loaded_at = cursor
        await self._read_reports()
        self._publish(figures=True)

    async def _read_reports(self) -> None:
        reports = await self._source.night_reports(self.night)
        self._state.official = official_view(self.night, reports)
        self._reports_due = time.monotonic() + REPORTS_POLL_SECONDS

    def _wait_seconds(self) -> float:
        """Until the next thing is due: an owed redraw of the figures, or the reports' read."""
        reports = max(self._reports_due - time.monotonic(), 0.0)
        figures = self._figures.seconds_until_owed_redraw()
        return reports if figures is None else min(figures, reports)

    def _apply(self, batches: list[Batch]) -> bool:
        """Fold new records in; True when a retraction needs a reload, or when an alert of
        an earlier night changed (which alerts were on when this night began)."""
        for batch in batches:
            if batch.alters_alerts_before(self.night):
                return True
            for change in batch.changes:
                if change.night != self.night or change.cursor <= self._loaded_at:
                    continue
                if change.retracted_id is not None:
                    return True
                if change.record is not None and change.cursor > self._state.cursor:
                    self._state.apply(change.record)
        return False

    def _publish(self, *, figures: bool = False) -> None:
        due = self._figures.due(force=figures)
        self._figures.hold()
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
