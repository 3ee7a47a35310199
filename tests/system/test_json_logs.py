"""`skywatch serve --access-log` with SKYWATCH_LOG_FORMAT=json: JSON lines, no secrets.

Tokens go in the Authorization header, in a query string (no route takes one there, but a
client may put it there anyway), in a sign-in form; the session cookie comes back on later
requests. None of them may appear anywhere in the server's whole log.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson
import pytest
from websockets.sync.client import connect

from tests.helpers.server_process import TOKEN, sqlite_server

VIEW = "view-token-never-logged"
EVENT = {
    "kind": "launch",
    "weapon": "drone",
    "count": 2,
    "occurred_at": "2025-07-03T22:10:00+03:00",
    "region": "UA-32",
}


def test_the_log_is_json_lines_with_request_ids_and_no_secret(tmp_path: Path) -> None:
    server = sqlite_server(
        tmp_path,
        "jsonlog",
        serve_args=("--access-log",),
        SKYWATCH_LOG_FORMAT="json",
        SKYWATCH_VIEW_TOKENS=VIEW,
    )
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            posted = http.post(
                "/api/v1/events", json=EVENT, headers={"Authorization": f"Bearer {TOKEN}"}
            )
            assert posted.status_code == 201
            request_id = posted.headers["x-request-id"]
            read = http.get("/api/v1/stats", headers={"Authorization": f"Bearer {VIEW}"})
            assert read.status_code == 200
            assert http.get(f"/api/v1/stats?token={VIEW}&access_token={TOKEN}").status_code == 401
            signed_in = http.post(
                "/signin", data={"token": VIEW, "next": "/"}, headers={"Origin": server.url}
            )
            assert signed_in.status_code == 303
            cookie = http.cookies["skywatch_session"]
            assert http.get("/api/v1/stats").status_code == 200  # by the cookie
            assert http.get("/metrics").status_code == 200
            with connect(
                f"ws://127.0.0.1:{server.port}/api/v1/stream",
                additional_headers={"Cookie": f"skywatch_session={cookie}"},
            ) as ws:
                ws.recv(timeout=30)
    finally:
        server.stop()
    log = server.log_text()
    for secret in (TOKEN, VIEW, cookie):
        assert secret not in log

    lines = [orjson.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert {"time", "level", "logger", "message", "request_id"} <= set(lines[0])
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    posts = [line for line in access if "POST /api/v1/events" in line["message"]]
    assert [line["request_id"] for line in posts] == [request_id]
    assert any("token=redacted&access_token=redacted" in line["message"] for line in access)
    # Everything else is the test helper's command line and serve's banner (print, stdout).
    others = [line for line in log.splitlines() if line and not line.startswith("{")]
    assert all(line.startswith(("=====", "Skywatch on ", "Write token")) for line in others), others


@pytest.mark.parametrize("given", ["abc-123", "not an id; {json}", "x" * 65])
def test_a_request_id_is_kept_only_when_it_looks_like_one(tmp_path: Path, given: str) -> None:
    server = sqlite_server(tmp_path, "reqid")
    server.start()
    try:
        answer = httpx.get(
            f"{server.url}/api/v1/healthz", headers={"X-Request-ID": given}, timeout=30
        )
    finally:
        server.stop()
    if given == "abc-123":
        assert answer.headers["x-request-id"] == "abc-123"
    else:
        assert answer.headers["x-request-id"] != given
        assert len(answer.headers["x-request-id"]) == 16
