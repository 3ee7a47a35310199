"""WS /api/v1/stream: the live event stream, resumable with `since`."""

from __future__ import annotations

import contextlib
import logging
from typing import Annotated

from fastapi import APIRouter, Query, WebSocket
from starlette.websockets import WebSocketDisconnect

from backend import metrics
from backend.domain.schemas import NightLabel
from backend.services import Services
from backend.stream.outage_log import OutageLog
from backend.stream.session import (
    CLOSE_TOO_SLOW,
    FRAME_WRITER,
    FrameWriter,
    StreamSession,
    TooSlowError,
    run_while_connected,
)

router = APIRouter(tags=["stream"])
_FAILURES = OutageLog(logging.getLogger(__name__), "live stream (closed 1011)")


@router.websocket("/stream")
async def stream(
    websocket: WebSocket,
    since: Annotated[int | None, Query(ge=0)] = None,
    night: NightLabel | None = None,
) -> None:
    """Snapshot (or backlog after `since`), then live "events" and "retracted" frames."""
    services: Services = websocket.app.state.services
    await websocket.accept()
    # Offered by backend/stream/ws_protocol.py under `skywatch serve`; absent elsewhere (the test
    # client, other servers), where every frame goes through ASGI sends.
    writer: FrameWriter | None = websocket.scope.get("extensions", {}).get(FRAME_WRITER)
    session = StreamSession(
        engine=services.engine,
        hub=services.hub,
        send=websocket.send_text,
        night=night,
        send_timeout=services.settings.stream_send_timeout,
        writer=writer,
    )
    serving = await run_while_connected(
        session.run(since=since, queue_limit=services.settings.stream_queue_limit),
        websocket.receive,
    )
    if serving.cancelled():
        return
    error = serving.exception()
    if isinstance(error, TooSlowError):
        metrics.CUT_OFF.labels(stream="stream", reason=error.reason).inc()
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await websocket.close(code=CLOSE_TOO_SLOW, reason=str(error))
    elif error is not None:
        # Never silent, never a traceback per viewer: the first with its cause, then a minute.
        _FAILURES.failed(error)
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await websocket.close(code=1011, reason="server error; reconnect with since")
