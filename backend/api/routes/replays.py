"""Replay sessions: one clock per briefing, controlled from any screen, followed by all."""

from __future__ import annotations

import contextlib
import logging
import math
import time
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, WebSocket
from fastapi.responses import Response
from starlette.websockets import WebSocketDisconnect

from backend.api.deps import ServicesDep
from backend.api.errors import ApiError, json_response
from backend.domain.official import issued_by, official_of
from backend.domain.schemas import ErrorOut, ReplayControl, ReplayCreate, ReplayOut, StatsOut
from backend.domain.tallies import stats_of
from backend.replay.sessions import Session, utc_now
from backend.replay.stream import ReplayStreamSession
from backend.services import Services
from backend.store.reports import stored_reports
from backend.stream.session import run_while_connected

log = logging.getLogger(__name__)
router = APIRouter(prefix="/replays", tags=["replays"])
SESSION_ID_LENGTH = 36
SessionId = Annotated[str, Path(max_length=SESSION_ID_LENGTH)]
# A replay starts a moment before the night's first event, not at noon the day before.
LEAD_IN = timedelta(minutes=1)
# Every refusal a route can answer, so that clients (and the schema check) know them all.
_READ_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut} for status in (404, 422)
}
_BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut} for status in (400, 404, 413, 422)
}


async def _session(services: Services, session_id: str) -> Session:
    session = await services.replays.get(session_id)
    if session is None:
        raise ApiError(404, f"no replay session {session_id!r}")
    return session


@router.post(
    "",
    status_code=201,
    response_model=ReplayOut,
    responses={**_BODY_ERRORS, 429: {"model": ErrorOut}},
)
async def create_replay(services: ServicesDep, body: ReplayCreate, request: Request) -> Response:
    """Start a replay of a recorded night; every screen may then follow it by id. Sessions
    unused for SKYWATCH_REPLAY_IDLE_SECONDS are gone; one address may create at most
    SKYWATCH_MAX_REPLAYS_PER_ADDRESS within SKYWATCH_REPLAY_CREATE_WINDOW seconds (429)."""
    timeline = await services.timelines.get(body.night)
    if not timeline.events:
        raise ApiError(404, f"night: no events recorded for {body.night}")
    address = request.client.host if request.client else "unknown"
    wait = services.replays.creations.take(address, time.monotonic())
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        raise ApiError(
            429,
            f"too many replay sessions created from this address; retry in {seconds} s",
            retry_after=seconds,
        )
    position = body.position or timeline.times[0] - LEAD_IN
    now = utc_now()
    session = await services.replays.create(
        night=body.night, speed=body.speed, position=position, now=now
    )
    return json_response(session.describe(now), 201)


@router.get("/{session_id}", response_model=ReplayOut, responses=_READ_ERRORS)
async def get_replay(services: ServicesDep, session_id: SessionId) -> Response:
    """The session's clock now."""
    session = await _session(services, session_id)
    return json_response(session.describe(utc_now()))


@router.post("/{session_id}/control", response_model=ReplayOut, responses=_BODY_ERRORS)
async def control_replay(
    services: ServicesDep, session_id: SessionId, body: ReplayControl
) -> Response:
    """Play, pause, seek or change speed; the clock is re-anchored at this instant."""
    session = await _session(services, session_id)
    now = utc_now()
    clock = session.clock
    if body.action == "play":
        clock = clock.play(now)
    elif body.action == "pause":
        clock = clock.pause(now)
    elif body.action == "seek" and body.position is not None:
        clock = clock.seek(body.position, now)
    elif body.action == "speed" and body.speed is not None:
        clock = clock.with_speed(body.speed, now)
    saved = await services.replays.save(session, clock)
    return json_response(saved.describe(now))


@router.delete("/{session_id}", status_code=204, responses=_READ_ERRORS)
async def delete_replay(services: ServicesDep, session_id: SessionId) -> Response:
    """End a replay session: its id is then unknown everywhere (404)."""
    if not await services.replays.delete(session_id):
        raise ApiError(404, f"no replay session {session_id!r}")
    return Response(status_code=204)


@router.get("/{session_id}/stats", response_model=StatsOut, responses=_READ_ERRORS)
async def replay_stats(services: ServicesDep, session_id: SessionId) -> Response:
    """Tallies of the night's events up to the session's position; `official` from the
    night's reports issued by then (a replay shows the morning's report from its issue on)."""
    session = await _session(services, session_id)
    position = session.clock.position(utc_now())
    timeline = await services.timelines.get(session.night)
    stats = stats_of(timeline.tally_at(position), night=session.night)
    reports = await stored_reports(services.engine, nights=(session.night, session.night))
    issued = issued_by((report for report, _received in reports), position)
    return json_response({**stats, "official": official_of(issued), "position": position})


@router.websocket("/{session_id}/stream")
async def replay_stream(
    websocket: WebSocket,
    session_id: str,
    poll: Annotated[float, Query(ge=0.05, le=5)] = 0.25,
) -> None:
    """Snapshot at the position, then events as the replay clock passes them."""
    services: Services = websocket.app.state.services
    # A close reason is at most 123 bytes: one naming a longer id would be a protocol error
    # (and a traceback per handshake); ids are uuids.
    known = len(session_id) <= SESSION_ID_LENGTH
    session = await services.replays.get(session_id) if known else None
    await websocket.accept()
    if session is None:
        reason = f"no replay session {session_id!r}" if known else "no such replay session"
        await websocket.close(code=4004, reason=reason)
        return
    streamer = ReplayStreamSession(services, session, websocket.send_text, poll_seconds=poll)
    serving = await run_while_connected(streamer.run(), websocket.receive)
    if not serving.cancelled() and serving.exception() is not None:
        log.error("replay stream failed", exc_info=serving.exception())
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await websocket.close(code=1011, reason="server error; reconnect")
