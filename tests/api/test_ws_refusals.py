"""A websocket handshake with a bad query parameter is refused with 400 and a JSON reason
naming the parameter, not a bare 403 that reads as a refused token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/stream?since=abc", "since"),
        ("/api/v1/stream?since=-1", "since"),
        ("/api/v1/stream?night=bogus", "night"),
        ("/dashboard/stream?night=bogus", "night"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client: TestClient, path: str, field: str) -> None:
    with pytest.raises(WebSocketDenialResponse) as refused, client.websocket_connect(path):
        pass
    assert refused.value.status_code == 400
    [problem] = refused.value.json()["detail"]
    assert problem["field"] == field
    assert problem["msg"].startswith(f"{field}: ")


def test_good_parameters_still_open_the_stream(client: TestClient) -> None:
    with client.websocket_connect("/api/v1/stream?night=2025-07-04") as ws:
        assert ws.receive_json()["type"] == "snapshot"
