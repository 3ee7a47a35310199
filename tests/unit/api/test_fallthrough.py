"""Below the API (backend/api/fallthrough.py), the API alone: JSON 404s and 405s, no page at all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from backend.config import Settings
from backend.main import create_app


@pytest.fixture
def api(settings: Settings) -> Iterator[TestClient]:
    """A client of the running app without extensions: no dashboard, no page at "/"."""
    with TestClient(create_app(settings, extensions=[])) as client:
        yield client


def test_an_unknown_api_path_is_a_json_404(api: TestClient) -> None:
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "no such endpoint: /api/v1/nothing-here"}


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "PATCH", "BREW"])
def test_an_unknown_api_path_is_a_404_whatever_the_method(api: TestClient, method: str) -> None:
    response = api.request(method, "/api/v2/events")
    assert response.status_code == 404
    assert response.json() == {"detail": "no such endpoint: /api/v2/events"}


def test_a_known_api_path_with_another_method_is_a_json_405_with_allow(api: TestClient) -> None:
    response = api.put("/api/v1/healthz")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/json"
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json() == {"detail": "method PUT not allowed on /api/v1/healthz"}


def test_allow_lists_every_method_of_the_path(api: TestClient) -> None:
    response = api.patch("/api/v1/events")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_a_path_with_parameters_is_matched_by_its_template(api: TestClient) -> None:
    response = api.get("/api/v1/replays/some-session/control")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    retract = api.put("/api/v1/events/some-id")
    assert retract.status_code == 405
    assert retract.headers["allow"] == "DELETE"


def test_a_405_answers_an_unheard_of_method_too(api: TestClient) -> None:
    response = api.request("BREW", "/api/v1/stats")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json() == {"detail": "method BREW not allowed on /api/v1/stats"}


def test_a_known_api_path_with_its_own_method_is_not_refused(api: TestClient) -> None:
    assert api.get("/api/v1/healthz").status_code == 200


def test_every_method_a_405_allows_is_answered_without_a_405(api: TestClient) -> None:
    refused: dict[str, list[str]] = {}
    for path in ("/api/v1/healthz", "/api/v1/stats", "/api/v1/nights", "/api/v1/events"):
        allowed = api.put(path).headers["allow"].split(", ")
        for method in allowed:
            if api.request(method, path).status_code == 405:
                refused.setdefault(path, []).append(method)
    assert refused == {}, f"methods listed in Allow that answer 405: {refused}"


@pytest.mark.parametrize("path", ["/", "/dashboard", "/some/page.html", "/api"])
def test_a_non_api_path_with_no_page_is_a_json_404(api: TestClient, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": f"no such endpoint: {path}"}


@pytest.mark.parametrize("path", ["/nowhere", "/api/v1/nowhere"])
def test_a_websocket_nothing_takes_is_closed(api: TestClient, path: str) -> None:
    with pytest.raises(WebSocketDisconnect), api.websocket_connect(path):
        pass
