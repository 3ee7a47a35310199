"""Access control on a real `skywatch serve`: tokens stay out of the log, handshakes are
refused with 403, and the CLI reads with the token it already knows."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from tests.helpers.server_process import (
    SKYWATCH,
    TOKEN,
    ServerProcess,
    clean_environment,
    sqlite_server,
)

VIEW = "system-view-token-5d1c"
WRONG = "system-wrong-token-77ab"
NIGHT = "2025-07-04"
EVENT = {
    "id": "access-1",
    "kind": "launch",
    "weapon": "drone",
    "occurred_at": "2025-07-04T01:00:00+03:00",
    "region": "UA-32",
}


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[ServerProcess]:
    # With every request in its access log: the log must still hold no token.
    server = sqlite_server(
        tmp_path, "guarded", serve_args=("--access-log",), SKYWATCH_VIEW_TOKENS=VIEW
    )
    server.start()
    yield server
    server.stop()


def ws_url(server: ServerProcess, path: str) -> str:
    return server.url.replace("http://", "ws://") + path


def test_no_token_ever_reaches_the_log(guarded: ServerProcess) -> None:
    with httpx.Client(base_url=guarded.url, timeout=30) as http:
        posted = http.post(
            "/api/v1/events", json=EVENT, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert posted.status_code == 201
        for token in (VIEW, TOKEN, WRONG):
            http.get("/api/v1/stats", headers={"Authorization": f"Bearer {token}"})
            http.post("/api/v1/events", json=EVENT, headers={"Authorization": f"Bearer {token}"})
        assert http.post("/signin", data={"token": WRONG}).status_code == 401
        signed = http.post("/signin", data={"token": VIEW}, follow_redirects=False)
        assert signed.status_code == 303
        cookie = str(signed.cookies["skywatch_session"])
        http.cookies.clear()
        session = {"Cookie": f"skywatch_session={cookie}"}
        assert http.get("/api/v1/stats", headers=session).status_code == 200
        assert http.get(f"/?night={NIGHT}", headers=session).status_code == 200
        http.get("/api/v1/stats", headers={"Cookie": f"skywatch_session=1.{WRONG}"})
    with connect(
        ws_url(guarded, "/api/v1/stream"), additional_headers={"Authorization": f"Bearer {VIEW}"}
    ) as socket:
        socket.recv(timeout=10)
    with pytest.raises(InvalidStatus):
        connect(
            ws_url(guarded, "/api/v1/stream"),
            additional_headers={"Authorization": f"Bearer {WRONG}"},
        )
    guarded.stop()  # everything written and flushed
    log = guarded.log_text()
    assert '"GET /api/v1/stats HTTP/1.1" 200' in log  # the access log was on: a real check
    for secret in (VIEW, TOKEN, WRONG, cookie):
        assert secret not in log, f"{secret!r} is in the server log"


@pytest.mark.parametrize(
    ("headers", "origin"),
    [
        ({}, None),  # no token
        ({"Authorization": f"Bearer {WRONG}"}, None),
        ({"Authorization": f"Bearer {VIEW}"}, "https://evil.example"),  # token, bad origin
    ],
)
def test_refused_handshakes_are_403_before_accept(
    guarded: ServerProcess, headers: dict[str, str], origin: str | None
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(
            ws_url(guarded, f"/dashboard/stream?night={NIGHT}"),
            additional_headers=headers,
            origin=None if origin is None else Origin(origin),
        )
    assert refused.value.response.status_code == 403
    own_page = guarded.url  # the service's own page is always allowed
    with connect(
        ws_url(guarded, f"/dashboard/stream?night={NIGHT}"),
        additional_headers={"Authorization": f"Bearer {VIEW}"},
        origin=Origin(own_page),
    ) as socket:
        assert '"type":"view"' in str(socket.recv(timeout=15)).replace(" ", "")


def test_cli_reads_with_the_token_it_knows(guarded: ServerProcess, tmp_path: Path) -> None:
    posted = httpx.post(
        f"{guarded.url}/api/v1/events", json=EVENT, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert posted.status_code == 201
    # The local CLI knows the write token from its environment; reading works with it.
    knows = clean_environment({"SKYWATCH_API_TOKENS": TOKEN})
    record = [str(SKYWATCH), "record", "--url", guarded.url, "--night", NIGHT, "--duration", "3"]
    recorded = subprocess.run(record, env=knows, capture_output=True, text=True, timeout=60)
    assert recorded.returncode == 0, recorded.stderr
    assert '"access-1"' in recorded.stdout
    report = [str(SKYWATCH), "report", NIGHT, "-o", str(tmp_path / "r.html"), "--url", guarded.url]
    reported = subprocess.run(report, env=knows, capture_output=True, text=True, timeout=120)
    assert reported.returncode == 0, reported.stderr
    # A view token given on the command line works too.
    viewer = clean_environment({"SKYWATCH_DATA_DIR": str(tmp_path / "empty")})
    with_view = subprocess.run(
        [*report, "--token", VIEW], env=viewer, capture_output=True, text=True, timeout=120
    )
    assert with_view.returncode == 0, with_view.stderr
    # Without any token the server refuses, and the CLI says so.
    refused = subprocess.run(record, env=viewer, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1
    assert "403" in refused.stderr
    refused_report = subprocess.run(report, env=viewer, capture_output=True, text=True, timeout=60)
    assert refused_report.returncode == 1
    assert "401" in refused_report.stderr
