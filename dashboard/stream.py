"""The page's channels: a night's view, or a replay session's view (all of it on connect,
then what changes): WS /dashboard/stream and WS /dashboard/replay/{id}/stream."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import Query, WebSocket

from backend.domain.nights import current_night
from backend.domain.schemas import NightLabel
from backend.stream.inbox import SubscriberOverflowError
from backend.stream.session import CLOSE_TOO_SLOW, run_while_connected
from dashboard.views.night import NightView, NightViews
from dashboard.views.replay import ReplayViews
from dashboard.views.shared import Viewer

HEARTBEAT_SECONDS = 10.0
CLOSE_NO_SESSION = 4004
SESSION_ID_LENGTH = 36


def _nights_option(nights: list[date], showing: date) -> list[dict[str, str]]:
    labels = {str(night) for night in nights} | {str(showing)}
    return [{"label": label, "value": label} for label in sorted(labels, reverse=True)]


async def _pump(websocket: WebSocket, viewer: Viewer, going: Callable[[], bool]) -> bool:
    """Send the viewer's messages while `going()`; False once it was cut off as too slow."""
    while going():
        try:
            messages = await viewer.next(HEARTBEAT_SECONDS)
        except SubscriberOverflowError:
            await websocket.close(CLOSE_TOO_SLOW, "too slow: reconnect")
            return False
        # An empty list is the heartbeat: the page shows "live" only while messages come.
        for text in messages or ['{"type":"heartbeat"}']:
            await websocket.send_text(text)
    return True


def _still_showing(night: date, fixed: date | None) -> Callable[[], bool]:
    """While the page shows this night: always for a fixed one, else until noon moves it."""
    return lambda: fixed is not None or current_night() == night


async def _serve(websocket: WebSocket, views: NightViews, fixed: date | None) -> None:
    night = fixed or current_night()
    while True:
        viewer: Viewer | None = None
        try:
            view: NightView = await views.get(night)
            viewer = view.attach()
            options = _nights_option(await views.source.nights(), night)
            picker = {"options": options, "value": str(night)}
            await websocket.send_text(view.full_message(live=fixed is None, picker=picker))
            tonight_or_fixed = _still_showing(night, fixed)
            if not await _pump(websocket, viewer, tonight_or_fixed):
                return
        finally:
            if viewer is not None:
                view.detach(viewer)
            # Past nights are folded only while someone looks; tonight's stays warm.
            await views.release(night, keep=current_night())
        night = current_night()  # noon in Kyiv: follow the new night


async def dashboard_stream(
    websocket: WebSocket, night: Annotated[NightLabel | None, Query()] = None
) -> None:
    """The page's live channel; `night` fixes the night, without it the page follows noon."""
    views: NightViews = websocket.app.state.dashboard
    await websocket.accept()
    await run_while_connected(_serve(websocket, views, night), websocket.receive)


async def _serve_replay(websocket: WebSocket, views: ReplayViews, session_id: str) -> None:
    view = await views.get(session_id) if len(session_id) <= SESSION_ID_LENGTH else None
    if view is None or view.gone:
        await websocket.close(CLOSE_NO_SESSION, "no such replay session")
        await views.release(session_id)
        return
    viewer = view.attach()
    try:
        await websocket.send_text(view.full_message())
        if await _pump(websocket, viewer, lambda: not view.gone):
            await websocket.close(CLOSE_NO_SESSION, "the replay session is gone")
    finally:
        view.detach(viewer)
        await views.release(session_id)


async def dashboard_replay_stream(websocket: WebSocket, session_id: str) -> None:
    """A replay page's channel: the session's view, moving with its clock."""
    views: ReplayViews = websocket.app.state.dashboard_replays
    await websocket.accept()
    await run_while_connected(_serve_replay(websocket, views, session_id), websocket.receive)
