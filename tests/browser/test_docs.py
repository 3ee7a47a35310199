"""/docs in Chromium: Swagger UI renders this service's OpenAPI 3.1 document from local files
and lists its operations (Swagger UI 4 answered "Unable to render this definition")."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from tests.helpers.pages import WatchedPage
from tests.helpers.server_process import ServerProcess


def test_docs_render_every_operation_offline(
    watched_page: WatchedPage, dashboard_server: ServerProcess
) -> None:
    spec = httpx.get(f"{dashboard_server.url}/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    operations = sum(
        1
        for path in spec["paths"].values()
        for method in path
        if method in ("get", "post", "put", "patch", "delete")
    )
    page = watched_page.page
    page.goto(f"{dashboard_server.url}/docs")
    blocks = page.locator(".opblock")
    expect(blocks.first).to_be_visible(timeout=15_000)
    expect(blocks).to_have_count(operations)
    expect(page.get_by_text("Unable to render this definition")).to_have_count(0)
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/reports").first).to_be_visible()
    assert watched_page.console_errors == []
    assert watched_page.outside_requests() == []
