"""Every script the page loads is served with V8's compile hint as its first line, the rest of
it byte for byte as its package ships it; nothing else is touched."""

from __future__ import annotations

import re
from importlib.resources import files

from dash.fingerprint import check_fingerprint
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from dashboard.compile_hints import HINT, EagerCompiledScripts
from dashboard.page_scripts import LAZY_CHUNKS
from dashboard.plotly_bundle import plotly_script


def page_scripts(client: TestClient) -> list[str]:
    page = client.get("/?night=2025-07-04")
    assert page.status_code == 200
    return re.findall(r'<(?:script src|link rel="preload" href)="([^"]+)"', page.text)


def test_every_script_of_the_page_begins_with_the_hint_and_is_otherwise_unchanged(
    client: TestClient,
) -> None:
    sources = page_scripts(client)
    assert len(sources) >= 10, sources
    assert {chunk for chunk in LAZY_CHUNKS if any(src.endswith(chunk) for src in sources)} == set(
        LAZY_CHUNKS
    )
    for source in sources:
        script = client.get(source)
        assert script.status_code == 200, source
        assert script.content.startswith(HINT), source
        assert int(script.headers["content-length"]) == len(script.content), source
        assert not script.content[len(HINT) :].startswith(HINT), source


def test_the_vendored_plotly_is_served_as_shipped_after_the_hint(client: TestClient) -> None:
    plotly = next(src for src in page_scripts(client) if "/assets/vendor/plotly-basic" in src)
    served = client.get(plotly).content
    assert served == HINT + plotly_script().encode()


def test_dashs_own_scripts_are_served_as_their_package_ships_them(client: TestClient) -> None:
    react_dom = next(src for src in page_scripts(client) if "/react-dom@" in src)
    name, fingerprinted = check_fingerprint(react_dom.rsplit("/", 1)[1])
    assert fingerprinted
    shipped = files("dash").joinpath("deps", name).read_bytes()
    assert client.get(react_dom).content == HINT + shipped


def test_other_responses_pass_unchanged(client: TestClient) -> None:
    style = next(s for s in re.findall(r'href="([^"]+\.css[^"]*)"', client.get("/").text))
    assert not client.get(style).content.startswith(HINT)
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    assert layout.json()
    script = next(src for src in page_scripts(client) if "/assets/live.js" in src)
    etag = client.get(script).headers["etag"]
    again = client.get(script, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    head = client.head(script)
    assert head.status_code == 200
    assert head.content == b""


async def test_a_compressed_script_is_passed_unchanged() -> None:
    gzipped = b"\x1f\x8b compressed bytes"

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-encoding", b"gzip"), (b"content-length", b"%d" % len(gzipped))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": gzipped})

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "/assets/x.js", "headers": []}
    await EagerCompiledScripts(app)(scope, receive, send)
    assert sent[0]["headers"][1] == (b"content-length", b"%d" % len(gzipped))
    assert sent[1]["body"] == gzipped
