"""WS /api/v1/stream: the live event stream, resumable with `since`."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, WebSocket
from starlette.websockets import WebSocketDisconnect

from backend.services import Services
from backend.streaming import CLOSE_TOO_SLOW, StreamSession, TooSlowError, until_disconnected

router = APIRouter(tags=["stream"])


@router.websocket("/stream")
async def stream(
    websocket: WebSocket,
    since: Annotated[int | None, Query(ge=0)] = None,
    night: date | None = None,
) -> None:
    """Snapshot (or backlog after `since`), then live "events" and "retracted" frames."""
    services: Services = websocket.app.state.services
    await websocket.accept()
    session = StreamSession(
        engine=services.engine,
        hub=services.hub,
        send=websocket.send_text,
        night=night,
        send_timeout=services.settings.stream_send_timeout,
    )
    serving = asyncio.create_task(
        session.run(since=since, queue_limit=services.settings.stream_queue_limit)
    )
    watching = asyncio.create_task(until_disconnected(websocket.receive))
    try:
        done, _ = await asyncio.wait({serving, watching}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (serving, watching):
            task.cancel()
        for task in (serving, watching):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
    if serving in done and isinstance(serving.exception(), TooSlowError):
        error = serving.exception()
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await websocket.close(code=CLOSE_TOO_SLOW, reason=str(error))
    elif serving in done and serving.exception() is not None:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await websocket.close(code=1011, reason="server error; reconnect with since")
