"""The product app's edges: /api never falls through to the page, pages have their routes.

On the app `skywatch serve` runs (backend.main.create_app with the dashboard), on SQLite and
on PostgreSQL.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("method", ["PUT", "PATCH", "TRACE", "QUERY"])
def test_a_known_api_path_with_another_method_is_a_json_405(
    client: TestClient, method: str
) -> None:
    response = client.request(method, "/api/v1/events")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"
    assert response.json() == {"detail": f"method {method} not allowed on /api/v1/events"}


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "TRACE"])
def test_an_unknown_api_path_is_a_json_404_whatever_the_method(
    client: TestClient, method: str
) -> None:
    response = client.request(method, "/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "no such endpoint: /api/v1/no-such-thing"}


def test_the_report_takes_only_a_night_label(client: TestClient) -> None:
    response = client.get("/api/v1/nights/0/report")
    assert response.status_code == 422
    assert "night" in response.text
    missing = client.get("/api/v1/nights/2025-07-04/report")
    assert missing.status_code == 404
    assert missing.json() == {
        "detail": "night: no events or official report recorded for 2025-07-04"
    }


def test_pages_are_the_dashboard_and_unknown_pages_are_404(client: TestClient) -> None:
    for path in ("/", "/replay/some-session"):
        page = client.get(path)
        assert page.status_code == 200
        assert 'id="_dash-config"' in page.text
        # The page's own assets are listed even when a replay page is the first one served.
        assert "/assets/live.js" in page.text
    assert client.get("/no-such-page").status_code == 404
