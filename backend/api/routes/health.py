"""Liveness: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from backend.api.deps import ServicesDep
from backend.api.errors import json_response, unavailable
from backend.store.queries import ping

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="200 when the database answers")
async def healthz(services: ServicesDep) -> Response:
    """Checks the database with a trivial query."""
    try:
        await ping(services.engine)
    except Exception:
        return unavailable("database unavailable")
    return json_response({"status": "ok"})
