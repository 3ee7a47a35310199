"""Replay views: the page's state at a replay session's position, shared by its screens.

A view re-reads its session a few times a second (the session row is the shared truth, so a
control used on any screen, on any worker, reaches every screen) and folds the night's
events up to the clock's position: forward by the events the clock has passed, from scratch
when backend.replay.follow says to start over (a seek, a jump back, a change in the store).
Every screen on the session gets the same messages, and the figures follow at most once a
second, as on the live page.

The night's official reports appear as they did that morning: a report counts from its
issued_at on, so a replay before 09:15 shows what was observed and no later summary.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date, datetime
from typing import Any, Protocol

from backend.domain.nights import KYIV
from backend.domain.official import issued_by
from backend.domain.reports import StoredReport
from backend.replay.follow import ReplayFollower, Step
from backend.replay.sessions import Session, utc_now
from backend.replay.timeline import NightTimeline
from dashboard import ids
from dashboard.i18n import Lang, texts
from dashboard.official import official_view
from dashboard.render import FIGURES, Moment, Props, message, render
from dashboard.state import DashboardState, fold_records
from dashboard.views.registry import ViewRegistry
from dashboard.views.shared import FIGURE_INTERVAL, SharedView

log = logging.getLogger(__name__)
TICK_SECONDS = 0.25
REPORTS_POLL_SECONDS = 5.0


class ReplaySource(Protocol):
    """What a replay view needs from the service."""

    async def replay_session(self, session_id: str) -> Session | None: ...

    async def night_timeline(self, session: Session) -> NightTimeline: ...

    async def night_reports(self, night: date) -> list[StoredReport]: ...


class ReplaySessionGoneError(Exception):
    """The session no longer exists."""


def clock_text(position: datetime) -> str:
    """The replay position as the room reads it: Kyiv time."""
    return f"Replay {position.astimezone(KYIV):%H:%M:%S}"


class ReplayView(SharedView):
    """The folded state of a night at one session's position, kept in step with its clock."""

    def __init__(self, session: Session, source: ReplaySource) -> None:
        # Both figures every second: the timeline's "now" line is the replay's position.
        super().__init__(f"replay-view-{session.id}", dict.fromkeys(FIGURES, FIGURE_INTERVAL))
        self.session = session
        self._source = source
        self._follower = ReplayFollower()
        self._state = DashboardState(session.night)
        self._state_changed = True
        self._clock: dict[str, Any] = {}
        self._reports: list[StoredReport] = []
        self._reports_due = 0.0  # monotonic time of the next read of the night's reports
        # The first and last event's times: the slider spans them (replay.js).
        self._span: dict[str, datetime | None] = {"first": None, "last": None}
        self.gone = False

    def full_message(self, lang: Lang = "en") -> str:
        """Every element's props and the clock: what a page gets when it (re)connects."""
        shown = self._encoded_in(lang)
        if shown is None:
            props = render(self._state, texts(lang), moment=self._moment())
            props[ids.KYIV_TIME] = {"children": self._clock_text(lang)}
            self._update(lang, props)
            shown = self._encoded_in(lang) or {}
        return message(
            "view", self._state.cursor, shown, full=True, replay=self._clock, span=self._span
        )

    def _moment(self) -> Moment:
        """The replay's position is its "now"; the attack is in progress until the end."""
        position = self._clock.get("position")
        finished = bool(self._clock.get("finished"))
        return Moment(now=position, in_progress=position is not None and not finished)

    def _clock_text(self, lang: Lang) -> str:
        position = self._clock.get("position")
        if position is None:
            return ""
        return texts(lang)("Replay {time}", time=texts(lang).time(position, seconds=True))

    async def _run(self) -> None:
        while True:
            try:
                await self._tick()
            except ReplaySessionGoneError:
                self.gone = True
                self._ready.set()
                self._broadcast('{"type":"gone"}')
                return
            except Exception:
                log.exception("replay view %s failed; retrying", self.session.id)
            self._ready.set()
            await asyncio.sleep(TICK_SECONDS)

    async def _tick(self) -> None:
        session = await self._source.replay_session(self.session.id)
        if session is None:
            raise ReplaySessionGoneError(self.session.id)
        self.session = session
        timeline = await self._source.night_timeline(session)
        if timeline.events:
            first, last = timeline.events[0], timeline.events[-1]
            self._span = {"first": first["occurred_at"], "last": last["occurred_at"]}
        now = utc_now()
        step = self._follower.step(session, timeline, now)
        self._fold(timeline, step)
        await self._show_reports(session.clock.position(now))
        # After a control (a seek, above all) the whole page moves at once.
        self._publish(session.describe(now), figures_now=step.controlled)

    def _fold(self, timeline: NightTimeline, step: Step) -> None:
        self._state_changed = step.restart or step.end != step.start
        if step.restart:
            self._state = fold_records(timeline.night, timeline.events[: step.end], timeline.opened)
        else:
            for record in timeline.events[step.start : step.end]:
                self._state.apply(record)

    async def _show_reports(self, position: datetime) -> None:
        if time.monotonic() >= self._reports_due:
            self._reports = await self._source.night_reports(self.session.night)
            self._reports_due = time.monotonic() + REPORTS_POLL_SECONDS
        official = official_view(self.session.night, issued_by(self._reports, position))
        if official != self._state.official:
            self._state.official = official
            self._state_changed = True

    def _publish(self, clock: dict[str, Any], *, figures_now: bool) -> None:
        # Rendering costs milliseconds: only when the fold moved, and the figures (the costly
        # part for every screen too) at most once a second, as on the live page.
        if self._state_changed or clock != self._clock:
            # The timeline's "now" line moves with the clock, at most once a second.
            self._figures.hold()
        figures = self._figures.owed & self._figures.due(force=figures_now)
        clock_changed = clock != self._clock
        self._clock = clock
        moment = self._moment()
        for lang in self.languages:
            props: Props = {}
            if self._state_changed or figures or clock_changed:
                # The alert durations and the "now" line move with the clock.
                props = render(self._state, texts(lang), figures=figures, moment=moment)
            props[ids.KYIV_TIME] = {"children": self._clock_text(lang)}
            update = self._update(lang, props)
            if update or clock_changed:
                sent = message("view", self._state.cursor, update, replay=clock, span=self._span)
                self._broadcast(sent, lang)
        self._figures.drawn(figures)


class ReplayViews(ViewRegistry[str, ReplayView]):
    """The replay views on screen, one per session, stopped when nobody watches."""

    def __init__(self, source: ReplaySource) -> None:
        super().__init__(self._new_view)
        self.source = source

    async def _new_view(self, session_id: str) -> ReplayView | None:
        session = await self.source.replay_session(session_id)
        return None if session is None else ReplayView(session, self.source)
