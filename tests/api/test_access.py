"""Who may read: view tokens, the sign-in cookie, websocket origins, page policies.

Access control does not depend on the database, so these run on SQLite only; the app is the
whole product (service plus dashboard), so that the dashboard's routes are covered too.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from backend.api.middleware.access import SESSION_COOKIE
from backend.api.middleware.csp import source_hash
from backend.auth import TokenBook
from backend.config import Settings
from backend.main import create_app
from tests.helpers.api_events import event

WRITE = "access-write-token"
VIEW = "access-view-token"
NIGHT = "2025-07-04"
PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}

# Every kind of read: API, replays (including their POSTs), report, docs, dashboard data.
READS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/stats", None),
    ("GET", f"/api/v1/events?night={NIGHT}", None),
    ("GET", "/api/v1/nights", None),
    ("GET", "/api/v1/alerts", None),
    ("GET", f"/api/v1/nights/{NIGHT}/alerts", None),
    ("GET", f"/api/v1/nights/{NIGHT}/report", None),
    ("POST", "/api/v1/replays", {"night": NIGHT}),
    ("GET", "/api/v1/replays/no-such-session", None),
    ("POST", "/api/v1/replays/no-such-session/control", {"action": "pause"}),
    ("GET", "/openapi.json", None),
    ("GET", "/_dash-layout", None),
]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make_client(tmp_path: Path, **settings: Any) -> TestClient:
    return TestClient(
        create_app(
            Settings(
                database_url=f"sqlite+aiosqlite:///{tmp_path / 'access.db'}",
                data_dir=tmp_path / "data",
                api_tokens=[WRITE],
                **settings,
            )
        )
    )


@pytest.fixture
def open_client(tmp_path: Path) -> Iterator[TestClient]:
    """The product without view tokens: reading is open."""
    with make_client(tmp_path) as client:
        yield client


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[TestClient]:
    """The product with a view token set, and one event stored."""
    with make_client(tmp_path, view_tokens=[VIEW, "second-view-token"]) as client:
        response = client.post("/api/v1/events", json=event(id="seed"), headers=bearer(WRITE))
        assert response.status_code == 201, response.text
        yield client


def session(value: str) -> dict[str, str]:
    """A Cookie header carrying a session value (and nothing else)."""
    return {"Cookie": f"{SESSION_COOKIE}={value}"}


def refusal(client: TestClient, path: str, headers: dict[str, str]) -> int:
    """The close code of a websocket handshake the server refuses before accepting."""
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(path, headers=headers),
    ):
        pass
    return refused.value.code


def request(client: TestClient, method: str, path: str, body: Any, **headers: str) -> Any:
    return client.request(method, path, json=body, headers=headers)


def signed_in_cookie(client: TestClient, token: str = VIEW) -> str:
    response = client.post("/signin", data={"token": token, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    value = response.cookies.get(SESSION_COOKIE)
    assert value
    client.cookies.clear()  # each test decides whether to send it
    return str(value)


def test_reads_are_open_without_view_tokens(open_client: TestClient) -> None:
    for method, path, body in READS:
        response = request(open_client, method, path, body)
        assert response.status_code != 401, (method, path, response.text)
    with open_client.websocket_connect("/api/v1/stream") as ws:
        assert ws.receive_json()["type"] == "snapshot"
    with open_client.websocket_connect(f"/dashboard/stream?night={NIGHT}") as ws:
        assert ws.receive_json()["type"] == "view"
    page = open_client.get("/", headers=PAGE, follow_redirects=False)
    assert page.status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), READS)
def test_every_read_needs_a_token_when_view_tokens_are_set(
    guarded: TestClient, method: str, path: str, body: Any
) -> None:
    missing = request(guarded, method, path, body)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert "missing token" in missing.json()["detail"]
    wrong = request(guarded, method, path, body, **bearer("not-a-token"))
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "invalid token"}
    for token in (VIEW, "second-view-token", WRITE):  # a write token also reads
        allowed = request(guarded, method, path, body, **bearer(token))
        assert allowed.status_code != 401, (token, allowed.text)


def test_a_view_token_reads_the_data(guarded: TestClient) -> None:
    response = guarded.get("/api/v1/events", params={"night": NIGHT}, headers=bearer(VIEW))
    assert [record["id"] for record in response.json()] == ["seed"]


def test_health_stays_open(guarded: TestClient) -> None:
    assert guarded.get("/healthz").status_code == 200
    assert guarded.get("/api/v1/healthz").status_code == 200


def test_a_view_token_never_writes(guarded: TestClient) -> None:
    posted = guarded.post("/api/v1/events", json=event(id="x"), headers=bearer(VIEW))
    assert posted.status_code == 401
    assert posted.json()["detail"] == "invalid write token"
    deleted = guarded.delete("/api/v1/events/seed", headers=bearer(VIEW))
    assert deleted.status_code == 401
    # Nor through the browser's session cookie: writing takes the bearer header only.
    guarded.cookies.set(SESSION_COOKIE, signed_in_cookie(guarded, WRITE))
    assert guarded.post("/api/v1/events", json=event(id="y")).status_code == 401
    assert guarded.delete("/api/v1/events/seed").status_code == 401
    stored = guarded.get("/api/v1/events", params={"night": NIGHT}, headers=bearer(VIEW))
    assert [(r["id"], r["retracted"]) for r in stored.json()] == [("seed", False)]


@pytest.mark.parametrize("path", ["/api/v1/stream", f"/dashboard/stream?night={NIGHT}"])
def test_websockets_need_a_token_in_the_handshake(guarded: TestClient, path: str) -> None:
    for headers in ({}, bearer("not-a-token")):
        assert refusal(guarded, path, headers) == 1008
    with guarded.websocket_connect(path, headers=bearer(VIEW)) as ws:
        assert ws.receive_json()["type"] in ("snapshot", "view")
    guarded.cookies.set(SESSION_COOKIE, signed_in_cookie(guarded))
    with guarded.websocket_connect(path) as ws:
        assert ws.receive_json()["type"] in ("snapshot", "view")


def test_the_replay_stream_needs_a_token(guarded: TestClient) -> None:
    created = guarded.post("/api/v1/replays", json={"night": NIGHT}, headers=bearer(VIEW))
    assert created.status_code == 201, created.text
    path = f"/api/v1/replays/{created.json()['id']}/stream"
    with pytest.raises(WebSocketDisconnect) as refused, guarded.websocket_connect(path):
        pass
    assert refused.value.code == 1008
    with guarded.websocket_connect(path, headers=bearer(VIEW)) as ws:
        assert ws.receive_json()["type"] == "snapshot"


def test_a_browser_is_sent_to_the_sign_in_page_and_back(guarded: TestClient) -> None:
    page = guarded.get(f"/?night={NIGHT}", headers=PAGE, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=%2F%3Fnight%3D2025-07-04"
    form = guarded.get(page.headers["location"])
    assert form.status_code == 200
    assert 'name="next" value="/?night=2025-07-04"' in form.text
    signed = guarded.post(
        "/signin", data={"token": VIEW, "next": f"/?night={NIGHT}"}, follow_redirects=False
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == f"/?night={NIGHT}"
    back = guarded.get(signed.headers["location"], headers=PAGE, follow_redirects=False)
    assert back.status_code == 200
    assert "_dash-renderer" in back.text


def test_the_session_cookie_is_httponly_strict_and_not_the_token(guarded: TestClient) -> None:
    signed = guarded.post("/signin", data={"token": VIEW, "next": "/"}, follow_redirects=False)
    header = signed.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
    assert {"httponly", "path", "max-age"} <= attributes
    assert "samesite=strict" in header.lower()
    assert "secure" not in attributes  # plain http: a Secure cookie would never come back
    value = str(signed.cookies[SESSION_COOKIE])
    guarded.cookies.clear()
    assert VIEW not in value
    assert WRITE not in value
    assert guarded.get("/api/v1/stats", headers=session(value)).status_code == 200


def test_the_cookie_is_secure_over_https(tmp_path: Path) -> None:
    with make_client(tmp_path, view_tokens=[VIEW]) as client:
        client.base_url = client.base_url.copy_with(scheme="https")
        signed = client.post("/signin", data={"token": VIEW}, follow_redirects=False)
        assert signed.status_code == 303
        assert "secure" in signed.headers["set-cookie"].lower().split("; ")


def test_a_wrong_token_shows_the_form_again_with_an_error(guarded: TestClient) -> None:
    refused = guarded.post("/signin", data={"token": "guess", "next": "/"})
    assert refused.status_code == 401
    assert "not accepted" in refused.text
    assert "guess" not in refused.text
    assert "set-cookie" not in refused.headers


def test_sign_in_never_redirects_to_another_site(guarded: TestClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "/signin"):
        signed = guarded.post(
            "/signin", data={"token": VIEW, "next": target}, follow_redirects=False
        )
        assert signed.headers["location"] == "/", target


def test_sign_in_from_another_origin_is_refused(guarded: TestClient) -> None:
    response = guarded.post(
        "/signin", data={"token": VIEW}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def test_forged_expired_and_revoked_cookies_are_refused(
    guarded: TestClient, tmp_path: Path
) -> None:
    expired = TokenBook([VIEW]).session(VIEW, now=time.time() - 40 * 86400)
    forged = f"{int(time.time()) + 3600}.{'A' * 43}"
    for value in (expired, forged, VIEW, ""):
        response = guarded.get("/api/v1/stats", headers=session(value))
        assert response.status_code == 401, value
    good = signed_in_cookie(guarded)
    assert guarded.get("/api/v1/stats", headers=session(good)).status_code == 200
    guarded.close()
    # The same data, the token taken out of the configuration: its sessions end with it.
    with make_client(tmp_path, view_tokens=["another-view-token"]) as client:
        assert client.get("/api/v1/stats", headers=session(good)).status_code == 401


def test_sign_out_ends_the_session(guarded: TestClient) -> None:
    guarded.cookies.set(SESSION_COOKIE, signed_in_cookie(guarded))
    assert guarded.get("/api/v1/stats").status_code == 200
    out = guarded.get("/signout", follow_redirects=False)
    assert out.status_code == 303
    assert out.headers["location"] == "/signin"
    cleared = out.headers["set-cookie"].lower()
    assert cleared.startswith(f'{SESSION_COOKIE}="";')
    assert "max-age=0" in cleared
    # (The browser test follows a real browser through sign-out.)


def test_sign_in_page_is_self_contained_and_scriptless(guarded: TestClient) -> None:
    page = guarded.get("/signin")
    assert "<script" not in page.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text)
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    style = re.search(r"<style>(.*?)</style>", page.text, re.DOTALL)
    assert style is not None
    assert source_hash(style.group(1)) in policy


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        (None, True),  # the CLI and other non-browser clients send no Origin
        ("http://testserver", True),  # the service's own page
        ("https://wall.example", True),  # configured
        ("https://WALL.example/", True),
        ("https://evil.example", False),
        ("http://testserver.evil.example", False),
        ("null", False),
    ],
)
def test_websocket_origins(tmp_path: Path, origin: str | None, accepted: bool) -> None:
    with make_client(tmp_path, allowed_origins=["https://wall.example"]) as client:
        headers = {} if origin is None else {"Origin": origin}
        for path in ("/api/v1/stream", f"/dashboard/stream?night={NIGHT}"):
            if accepted:
                with client.websocket_connect(path, headers=headers) as ws:
                    assert ws.receive_json()["type"] in ("snapshot", "view")
            else:
                assert refusal(client, path, headers) == 1008


def _script_policy(policy: str) -> list[str]:
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    return directives["script-src"].split()


def test_dashboard_page_allows_only_its_own_inline_scripts(open_client: TestClient) -> None:
    page = open_client.get("/", headers=PAGE)
    policy = page.headers["content-security-policy"]
    assert policy.startswith("default-src 'self';")
    scripts = _script_policy(policy)
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    # Every script the browser would run (not JSON data, not IE's commented-out one) is hashed.
    text = re.sub(r"<!--.*?-->", "", page.text, flags=re.DOTALL)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", text, re.DOTALL)
    runnable = [body for attributes, body in inline if "application/json" not in attributes]
    assert runnable
    for body in runnable:
        assert source_hash(body) in scripts


def test_report_allows_exactly_its_inline_scripts(open_client: TestClient) -> None:
    open_client.post("/api/v1/events", json=event(id="r"), headers=bearer(WRITE))
    report = open_client.get(f"/api/v1/nights/{NIGHT}/report")
    assert report.status_code == 200
    scripts = _script_policy(report.headers["content-security-policy"])
    bodies = re.findall(r"<script>(.*?)</script>", report.text, re.DOTALL)
    assert len(bodies) >= 3  # Plotly, then the figures
    assert sorted(scripts) == sorted(["'self'", *{source_hash(body) for body in bodies}])


def test_json_answers_carry_no_page_policy(open_client: TestClient) -> None:
    assert "content-security-policy" not in open_client.get("/api/v1/stats").headers
