"""Sign-out revokes the session on every worker (issue 15): a copy of the cookie taken before
signing out is refused afterwards, by the app that signed it out and by another app on the
same database (another worker), on SQLite and PostgreSQL; other sessions stay signed in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from backend.api.middleware.access import SESSION_COOKIE
from backend.config import Settings
from backend.main import create_app

WRITE = "sign-out-write-token"
VIEW = "sign-out-view-token"


def _app(database_url: str, data_dir: Path) -> TestClient:
    settings = Settings(
        database_url=database_url, data_dir=data_dir, api_tokens=[WRITE], view_tokens=[VIEW]
    )
    return TestClient(create_app(settings))


@pytest.fixture
def workers(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps on one database, as two workers of `skywatch serve` are."""
    with (
        _app(database_url, tmp_path / "data") as first,
        _app(database_url, tmp_path / "data") as second,
    ):
        yield first, second


def _signed_in(client: TestClient) -> str:
    response = client.post("/signin", data={"token": VIEW, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    value = client.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    assert value
    return str(value)


def _cookie(value: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={value}"}


def test_a_copied_cookie_is_refused_after_sign_out_on_every_worker(
    workers: tuple[TestClient, TestClient],
) -> None:
    first = workers[0]
    copy = _signed_in(first)
    other = _signed_in(first)
    assert copy != other  # each sign-in is its own session
    for worker in workers:
        assert worker.get("/api/v1/nights", headers=_cookie(copy)).status_code == 200
    out = first.get("/signout", headers=_cookie(copy), follow_redirects=False)
    assert out.status_code == 303
    for worker in workers:
        assert worker.get("/api/v1/nights", headers=_cookie(copy)).status_code == 401
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            worker.websocket_connect("/api/v1/stream", headers=_cookie(copy)),
        ):
            pass
        assert refused.value.code == 1008
        # Another browser's session, from the same token, is still signed in.
        assert worker.get("/api/v1/nights", headers=_cookie(other)).status_code == 200


def test_signing_out_twice_or_anonymously_is_harmless(
    workers: tuple[TestClient, TestClient],
) -> None:
    first, second = workers
    copy = _signed_in(first)
    assert first.get("/signout", headers=_cookie(copy), follow_redirects=False).status_code == 303
    assert second.get("/signout", headers=_cookie(copy), follow_redirects=False).status_code == 303
    assert (
        second.get("/signout", headers=_cookie("1.forged.x"), follow_redirects=False).status_code
        == 303
    )
    assert first.get("/signout", follow_redirects=False).status_code == 303
    assert first.get("/api/v1/nights", headers=_cookie(copy)).status_code == 401
