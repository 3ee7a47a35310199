"""FastPath: the composed app answers POST /api/v1/events before FastAPI's routing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from backend.api.errors import ApiError
from backend.api.middleware.fast_path import Endpoint, FastPath
from backend.api.routes import events
from backend.config import Settings
from backend.main import create_app


def test_the_app_serves_ingest_through_the_fast_path(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, api_tokens=["t"]), extensions=[])
    [fast] = [
        entry for entry in app.user_middleware if getattr(entry.cls, "__name__", "") == "FastPath"
    ]
    options: dict[str, Any] = dict(fast.kwargs)
    served = FastPath(app.router, prefix=options["prefix"], routes=options["routes"]).endpoints
    # The declared route's own endpoint, at its full path: nothing to keep in step by hand.
    assert served == {("POST", "/api/v1/events"): events.post_events}


async def _routed(scope: Scope, receive: Receive, send: Send) -> None:
    await JSONResponse({"routed": scope["path"]})(scope, receive, send)


def _client(endpoint: Endpoint) -> TestClient:
    router = APIRouter()
    router.add_api_route("/hot", endpoint, methods=["POST"])
    routes = [route for route in router.routes if isinstance(route, APIRoute)]
    return TestClient(FastPath(_routed, prefix="/x", routes=routes))


def test_only_the_declared_method_and_path_are_served_directly() -> None:
    async def hot(request: Request) -> Response:
        return JSONResponse({"fast": await request.json()})

    client = _client(hot)
    assert client.post("/x/hot", json=1).json() == {"fast": 1}
    assert client.get("/x/hot").json() == {"routed": "/x/hot"}
    assert client.post("/x/other").json() == {"routed": "/x/other"}


@pytest.mark.parametrize(
    ("failure", "status"), [(ApiError(409, "id: taken"), 409), (RuntimeError("bug"), 500)]
)
def test_a_refusal_or_a_bug_is_a_json_answer(failure: Exception, status: int) -> None:
    async def hot(request: Request) -> Response:
        raise failure

    response = _client(hot).post("/x/hot")
    assert response.status_code == status
    assert "detail" in response.json()
