"""The API documentation page works offline: every asset comes from the server itself."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from tests.helpers.server_process import ServerProcess, StartServer

API_PATHS = {
    "/api/v1/events",
    "/api/v1/events/{event_id}",
    "/api/v1/stats",
    "/api/v1/nights",
    "/api/v1/healthz",
}


class AssetLinks(HTMLParser):
    """Collects the src of <script> and the href of <link> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record script and link URLs."""
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.scripts.append(str(values["src"]))
        elif tag == "link" and values.get("href"):
            self.links.append(str(values["href"]))


def sqlite_server(start_server: StartServer, tmp_path: Path) -> ServerProcess:
    """A server on a fresh SQLite file."""
    return start_server(f"sqlite+aiosqlite:///{tmp_path / 'docs.db'}")


def test_docs_page_loads_its_assets_from_the_server(
    start_server: StartServer, tmp_path: Path
) -> None:
    server = sqlite_server(start_server, tmp_path)
    with server.client() as client:
        page = client.get("/docs")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        # No absolute URL at all: an air-gapped operations room must get the full page.
        assert "http://" not in page.text
        assert "https://" not in page.text
        assets = AssetLinks()
        assets.feed(page.text)
        assert assets.scripts, page.text
        for url in assets.scripts + assets.links:
            # Root-relative: "//host/x" would be protocol-relative, i.e. another host.
            assert url.startswith("/"), url
            assert not url.startswith("//"), url
            assert client.get(url).status_code == 200, url
        for url in assets.scripts:
            assert "javascript" in client.get(url).headers["content-type"], url
        assert "/openapi.json" in page.text


def test_openapi_lists_the_api_paths(start_server: StartServer, tmp_path: Path) -> None:
    server = sqlite_server(start_server, tmp_path)
    with server.client() as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    assert set(response.json()["paths"]) >= API_PATHS
