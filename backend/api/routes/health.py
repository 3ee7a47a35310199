"""Liveness: 200 when the database answers and writes are not failing, else 503."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from backend.api.deps import ServicesDep
from backend.api.errors import json_response, unavailable
from backend.store.queries import ping

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="200 when the database answers and takes writes")
async def healthz(services: ServicesDep) -> Response:
    """Checks the database with a trivial query, and that writes are not failing for lack of
    storage (a full disk answers a ping but takes no write)."""
    try:
        await ping(services.engine)
    except Exception:
        return unavailable("database unavailable")
    problem = await services.writer.health.storage_problem()
    if problem is not None:
        return unavailable(f"writes failing: {problem}")
    return json_response({"status": "ok"})
