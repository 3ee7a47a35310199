"""Every answer carries nosniff and a same-origin referrer policy; HEAD works where GET does;
Dash's routes answer a client's mistakes with 4xx, never 500 (issue 15)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.helpers.app_client import AUTH

ANSWERS = [
    ("GET", "/healthz"),
    ("HEAD", "/healthz"),
    ("HEAD", "/api/v1/healthz"),
    ("GET", "/api/v1/nights"),
    ("GET", "/api/v1/nowhere"),
    ("POST", "/api/v1/events"),
    ("GET", "/"),
    ("GET", "/signin"),
    ("GET", "/_dash-layout"),
]


@pytest.mark.parametrize(("method", "path"), ANSWERS)
def test_every_answer_carries_the_security_headers(
    client: TestClient, method: str, path: str
) -> None:
    response = client.request(method, path, follow_redirects=False)
    assert response.status_code < 500, response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_head_answers_where_get_does(client: TestClient) -> None:
    for path in ("/healthz", "/api/v1/healthz", "/api/v1/nights", "/"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/x.js",
        "/_dash-component-suites/nosuchpackage/a.js",
    ],
)
def test_an_unknown_dash_file_is_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, response.text
    assert "no such file" in response.json()["detail"]


@pytest.mark.parametrize(
    "body", [b"{}", b"[]", b"not json", b'{"output": "x"}', b'{"output": 1, "inputs": []}']
)
def test_a_callback_post_that_is_not_a_callback_is_400(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/_dash-update-component",
        content=body,
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert "callback request" in response.json()["detail"]
