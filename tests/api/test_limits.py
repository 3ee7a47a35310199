"""Limits that hold under attack: body size, batch size, string lengths, streams per client.

Each limit is set low here through its setting, so that every test also proves the limit is
configurable; the defaults are tested in test_events_post.py (8 MiB, 10,000 events).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse

from backend.config import Settings
from backend.domain.schemas import EventIn
from backend.main import create_app
from tests.helpers.api_events import event, stored_count
from tests.helpers.app_client import AUTH, TOKEN

BODY_LIMIT = 4096
BATCH_LIMIT = 5
STREAMS = 3
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def limited(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """An app with small limits."""
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        api_tokens=[TOKEN],
        max_body_bytes=BODY_LIMIT,
        max_batch_events=BATCH_LIMIT,
        max_streams_per_client=STREAMS,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def chunked(size: int) -> Iterator[bytes]:
    """A JSON body of about `size` bytes, sent without Content-Length."""
    yield b'{"night": "2025-07-04", "pad": "'
    for _ in range(size // 1024):
        yield b"x" * 1024
    yield b'"}'


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/replays", "/api/v1/replays/x/control"])
def test_a_declared_body_over_the_limit_is_413(limited: TestClient, path: str) -> None:
    body = b'{"note": "' + b"n" * BODY_LIMIT + b'"}'
    response = limited.post(path, content=body, headers={**AUTH, **JSON})
    assert response.status_code == 413, response.text
    assert str(BODY_LIMIT) in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/replays", "/api/v1/replays/x/control"])
def test_a_chunked_body_over_the_limit_is_413(limited: TestClient, path: str) -> None:
    response = limited.post(path, content=chunked(4 * BODY_LIMIT), headers={**AUTH, **JSON})
    assert "content-length" not in response.request.headers
    assert response.status_code == 413, response.text
    assert stored_count(limited) == 0


def test_a_body_within_the_limit_reaches_the_route(limited: TestClient) -> None:
    response = limited.post("/api/v1/replays", content=b'{"night": "2025-07-04"}', headers=JSON)
    # Read intact by the route: it validated the night and found no events for it.
    assert response.status_code == 404, response.text
    assert "2025-07-04" in response.json()["detail"]


def test_a_batch_over_the_configured_limit_is_413_and_stores_nothing(limited: TestClient) -> None:
    response = limited.post("/api/v1/events", json=[event()] * (BATCH_LIMIT + 1), headers=AUTH)
    assert response.status_code == 413
    assert f"> {BATCH_LIMIT}" in response.json()["detail"]
    assert stored_count(limited) == 0
    at_limit = limited.post("/api/v1/events", json=[event()] * BATCH_LIMIT, headers=AUTH)
    assert at_limit.status_code == 201


def _string_limits() -> dict[str, int]:
    """Each string field of an event and its longest accepted length."""
    limits = {}
    for name, spec in EventIn.model_json_schema()["properties"].items():
        for branch in spec.get("anyOf", [spec]):
            if branch.get("type") == "string" and "maxLength" in branch:
                limits[name] = branch["maxLength"]
    return limits


def test_every_string_field_of_an_event_is_bounded() -> None:
    for name, spec in EventIn.model_json_schema()["properties"].items():
        for branch in spec.get("anyOf", [spec]):
            if branch.get("type") != "string":
                continue
            # Bounded by a length, a closed set of values, or a format the server parses.
            bounded = {"maxLength", "enum", "const"} & set(branch) or branch.get(
                "format"
            ) == "date-time"
            if "pattern" in branch and name == "id":
                bounded = True  # ^[A-Za-z0-9._:-]{1,64}$
            assert bounded, f"{name} has no length limit: {branch}"
    assert _string_limits() == {
        "model": 64,
        "region": 100,
        "area": 100,
        "city": 100,
        "source": 100,
        "note": 1000,
    }


STRING_FIELDS: dict[str, tuple[int, dict[str, Any]]] = {
    "id": (64, {}),
    "model": (64, {}),
    "region": (100, {}),
    # A local alert's raion or hromada: only on alert events.
    "area": (100, {"kind": "alert_start", "weapon": None, "model": None, "region": "UA-32"}),
    "city": (100, {}),
    "source": (100, {}),
    "note": (1000, {}),
}


@pytest.mark.parametrize("field", sorted(STRING_FIELDS))
def test_a_string_over_its_limit_is_422_naming_the_field(client: TestClient, field: str) -> None:
    limit, extra = STRING_FIELDS[field]
    response = client.post(
        "/api/v1/events", json=[event(), event(**{field: "x" * (limit + 1)}, **extra)], headers=AUTH
    )
    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    assert [(problem["index"], problem["field"]) for problem in problems] == [(1, field)]
    assert problems[0]["msg"].startswith(f"{field}: ")
    assert stored_count(client) == 0


@pytest.mark.parametrize("field", ["model", "area", "city", "source", "note"])
def test_a_string_at_its_limit_is_accepted(client: TestClient, field: str) -> None:
    limit, extra = STRING_FIELDS[field]
    body = event(**{field: "x" * limit}, **extra)
    response = client.post("/api/v1/events", json=body, headers=AUTH)
    assert response.status_code == 201, response.text


def test_streams_per_client_are_limited_and_released(limited: TestClient) -> None:
    stream = "/api/v1/stream?night=2025-07-04"
    with contextlib.ExitStack() as others:
        first = limited.websocket_connect(stream)
        sockets = [first.__enter__()]
        try:
            sockets += [others.enter_context(limited.websocket_connect(stream)) for _ in "ab"]
            assert len(sockets) == STREAMS
            for ws in sockets:
                assert ws.receive_json()["type"] == "snapshot"
            # Every websocket route counts against the same limit.
            for path in (stream, "/api/v1/replays/none/stream"):
                with (
                    pytest.raises(WebSocketDenialResponse) as refused,
                    limited.websocket_connect(path),
                ):
                    pass
                assert refused.value.status_code == 429
                assert refused.value.headers["Retry-After"]
                assert f"at most {STREAMS}" in refused.value.json()["detail"]
        finally:
            first.__exit__(None, None, None)  # returns once the server has let it go
        with limited.websocket_connect(stream) as again:
            assert again.receive_json()["type"] == "snapshot"


def test_a_replay_body_is_small_and_a_report_body_needs_a_token_first(
    database_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data", api_tokens=[TOKEN])
    with TestClient(create_app(settings)) as client:
        control = b'{"night": "2025-07-04", "pad": "' + b"x" * settings.max_control_bytes + b'"}'
        for path in ("/api/v1/replays", "/api/v1/replays/x/control"):
            response = client.post(path, content=control, headers={**AUTH, **JSON})
            assert response.status_code == 413, response.text
            assert str(settings.max_control_bytes) in response.json()["detail"]
        # A report batch may be large, but only once its write token is accepted.
        response = client.post("/api/v1/reports", content=chunked(1024 * 1024), headers=JSON)
        assert response.status_code == 401, response.text
        assert response.headers["Connection"] == "close"
        wrong = {"Authorization": "Bearer wrong", **JSON}
        response = client.post("/api/v1/reports", content=control, headers=wrong)
        assert response.status_code == 401, response.text
        response = client.post("/api/v1/reports", content=control, headers={**AUTH, **JSON})
        assert response.status_code == 422, response.text


@pytest.mark.parametrize("field", ["model", "region", "area", "city", "source", "note"])
def test_a_nul_character_is_422_naming_the_field(client: TestClient, field: str) -> None:
    alert = {"kind": "alert_start", "weapon": None, "model": None, "region": "UA-46"}
    extra: dict[str, Any] = alert if field == "area" else {}
    response = client.post(
        "/api/v1/events", json=[event(), event(**{**extra, field: "a\x00b"})], headers=AUTH
    )
    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    assert [(problem["index"], problem["field"]) for problem in problems] == [(1, field)]
    assert "NUL" in problems[0]["msg"]
    assert stored_count(client) == 0


def test_distinct_views_per_address_are_limited(database_url: str, tmp_path: Path) -> None:
    """Issue 15: 50 streams on 50 nights cost 50 folds; joining an open night costs none."""
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        api_tokens=[TOKEN],
        max_views_per_address=2,
    )
    with TestClient(create_app(settings)) as client, contextlib.ExitStack() as streams:
        for night in ("2025-07-01", "2025-07-02", "2025-07-01"):
            stream = streams.enter_context(
                client.websocket_connect(f"/api/v1/stream?night={night}")
            )
            assert stream.receive_json()["type"] == "snapshot"
        for path in ("/api/v1/stream?night=2025-07-03", "/dashboard/stream?night=2025-07-03"):
            with pytest.raises(WebSocketDenialResponse) as refused, client.websocket_connect(path):
                pass
            assert refused.value.status_code == 429
            assert refused.value.headers["Retry-After"]
            assert "at most 2" in refused.value.json()["detail"]
