"""The page's channels: a night's view, or a replay session's view (all of it on connect,
then what changes): WS /dashboard/stream and WS /dashboard/replay/{id}/stream."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Annotated

from fastapi import Query, WebSocket

from backend import metrics
from backend.domain.nights import current_night
from backend.domain.schemas import NightLabel
from backend.stream.inbox import SubscriberOverflowError
from backend.stream.session import CLOSE_TOO_SLOW, run_while_connected
from dashboard.i18n import Lang, language_of, texts
from dashboard.views.night import NightView, NightViews
from dashboard.views.replay import ReplayViews
from dashboard.views.shared import Viewer

HEARTBEAT_SECONDS = 10.0
CLOSE_NO_SESSION = 4004
SESSION_ID_LENGTH = 36


# Each night's option in each language, formatted once: every page that connects is sent
# the whole list (1,500 nights and more), and Babel's formatting of it took a past night's
# first message 0.1-0.2 s of the event loop. A night's total changes as events come, so the
# key holds it; bounded by the nights in the store times the languages, with room for those
# totals, far below the limit.
PICKER_OPTIONS_CACHED = 16_384


@lru_cache(maxsize=PICKER_OPTIONS_CACHED)
def _night_option(night: date, total: int, lang: Lang) -> dict[str, str]:
    t = texts(lang)
    launched = t.plural("{n} launched", "{n} launched", total)
    return {
        "label": f"{night} · {t.date(night, form='d MMM y')} · {launched}",
        "value": str(night),
        "search": f"{night} {t.date(night)}",
    }


def _nights_option(
    nights: list[tuple[date, int]], showing: date, lang: Lang
) -> list[dict[str, str]]:
    """Newest first, each night with its total launched (the report's, else observed), so
    the picker's search finds a night by its date in either spelling."""
    totals = dict(nights)
    totals.setdefault(showing, 0)
    return [_night_option(night, totals[night], lang) for night in sorted(totals, reverse=True)]


async def _pump(websocket: WebSocket, viewer: Viewer, going: Callable[[], bool]) -> bool:
    """Send the viewer's messages while `going()`; False once it was cut off as too slow."""
    while going():
        try:
            messages = await viewer.next(HEARTBEAT_SECONDS)
        except SubscriberOverflowError:
            metrics.CUT_OFF.labels(stream="dashboard", reason="queue_full").inc()
            await websocket.close(CLOSE_TOO_SLOW, "too slow: reconnect")
            return False
        # An empty list is the heartbeat: the page shows "live" only while messages come.
        for text in messages or ['{"type":"heartbeat"}']:
            await websocket.send_text(text)
    return True


def _still_showing(night: date, fixed: date | None) -> Callable[[], bool]:
    """While the page shows this night: always for a fixed one, else until noon moves it."""
    return lambda: fixed is not None or current_night() == night


async def _serve(websocket: WebSocket, views: NightViews, fixed: date | None, lang: Lang) -> None:
    night = fixed or current_night()
    while True:
        viewer: Viewer | None = None
        try:
            view: NightView = await views.get(night)
            viewer = view.attach(lang)
            options = _nights_option(await views.source.night_totals(), night, lang)
            picker = {"options": options, "value": str(night)}
            # Only tonight is live; a past night is the archive, whatever the socket does.
            live = night == current_night()
            await websocket.send_text(view.full_message(lang, live=live, picker=picker))
            tonight_or_fixed = _still_showing(night, fixed)
            if not await _pump(websocket, viewer, tonight_or_fixed):
                return
        finally:
            if viewer is not None:
                view.detach(viewer)
            # Past nights are folded only while someone looks; tonight's stays warm.
            await views.release(night, keep=current_night())
        night = current_night()  # noon in Kyiv: follow the new night


def _lang(websocket: WebSocket, lang: str | None) -> Lang:
    return language_of(lang, websocket.headers.get("accept-language"))


async def dashboard_stream(
    websocket: WebSocket,
    night: Annotated[NightLabel | None, Query()] = None,
    lang: Annotated[str | None, Query(max_length=16)] = None,
) -> None:
    """The page's live channel; `night` fixes the night, without it the page follows noon;
    `lang` (uk or en) the language of its texts."""
    views: NightViews = websocket.app.state.dashboard
    await websocket.accept()
    chosen = _lang(websocket, lang)
    await run_while_connected(_serve(websocket, views, night, chosen), websocket.receive)


async def _serve_replay(
    websocket: WebSocket, views: ReplayViews, session_id: str, lang: Lang
) -> None:
    view = await views.get(session_id) if len(session_id) <= SESSION_ID_LENGTH else None
    if view is None or view.gone:
        await websocket.close(CLOSE_NO_SESSION, "no such replay session")
        await views.release(session_id)
        return
    viewer = view.attach(lang)
    try:
        await websocket.send_text(view.full_message(lang))
        if await _pump(websocket, viewer, lambda: not view.gone):
            await websocket.close(CLOSE_NO_SESSION, "the replay session is gone")
    finally:
        view.detach(viewer)
        await views.release(session_id)


async def dashboard_replay_stream(
    websocket: WebSocket, session_id: str, lang: Annotated[str | None, Query(max_length=16)] = None
) -> None:
    """A replay page's channel: the session's view, moving with its clock."""
    views: ReplayViews = websocket.app.state.dashboard_replays
    await websocket.accept()
    serving = _serve_replay(websocket, views, session_id, _lang(websocket, lang))
    await run_while_connected(serving, websocket.receive)
