"""The page's scripts: Dash's own without its ES5 polyfill, and regenerator-runtime before
Dash's renderer (its lazy loader of the graph and dropdown calls `regeneratorRuntime`)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from dashboard.page_scripts import without_polyfill

DASH_TAGS = (
    '<script src="/_dash-component-suites/dash/deps/polyfill@7.v4_4_1m1.12.1.min.js"></script>\n'
    '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>'
)


def test_only_the_polyfills_tag_is_left_out() -> None:
    assert without_polyfill(DASH_TAGS) == (
        '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>'
    )


def test_the_served_page_loads_no_polyfill_and_the_runtime_before_dashs_renderer(
    client: TestClient,
) -> None:
    page = client.get("/?night=2025-07-04")
    assert page.status_code == 200
    sources = re.findall(r'<script src="([^"]+)"', page.text)
    assert sources, "the page names its scripts"
    assert not [src for src in sources if "polyfill" in src]
    runtime = next(i for i, src in enumerate(sources) if "regenerator-runtime" in src)
    renderer = next(i for i, src in enumerate(sources) if "dash_renderer" in src)
    assert runtime < renderer
    script = client.get(sources[runtime])
    assert script.status_code == 200
    assert "regeneratorRuntime = runtime" in script.text
