"""GET /metrics: the Prometheus text format of every worker's metrics (backend/metrics.py).

On the main port it is read-guarded like the rest (AccessControl: the view token when view
tokens are set); with SKYWATCH_METRICS_BIND it is served only on that address, by
`skywatch serve`, and is a 404 here.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from backend import metrics
from backend.api.deps import get_services
from backend.api.errors import ApiError


async def get_metrics(request: Request) -> Response:
    """The exposition, or 404 when metrics have their own address."""
    if get_services(request).settings.metrics_bind:
        raise ApiError(404, "metrics are served on SKYWATCH_METRICS_BIND, not here")
    body, content_type = metrics.exposition()
    return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})
