"""The page's scripts: Dash's own without its ES5 polyfill and its DataTable (no layout holds
one), and regenerator-runtime before Dash's renderer (its lazy loader of the graph and
dropdown calls `regeneratorRuntime`)."""

from __future__ import annotations

import re

from dash import dash_table
from fastapi.testclient import TestClient

from dashboard.page_scripts import LAZY_CHUNKS, preloads, without_unused

REACT = '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>'
DASH_TAGS = (
    '<script src="/_dash-component-suites/dash/deps/polyfill@7.v4_4_1m1.12.1.min.js"></script>\n'
    f"{REACT}\n"
    '<script src="/_dash-component-suites/dash/dash_table/bundle.v7_4_1m1.js"></script>'
)


def test_only_the_polyfills_and_the_datatables_tags_are_left_out() -> None:
    assert without_unused(DASH_TAGS) == REACT + "\n"


def test_no_page_layout_holds_a_datatable(client: TestClient) -> None:
    for query in ("", "?night=2025-07-04", "?night=2025-07-04&lang=uk"):
        layout = client.get(f"/_dash-layout{query}")
        assert layout.status_code == 200
        components = layout.text.replace(" ", "")
        assert '"namespace":"dash_html_components"' in components
        assert '"namespace":"dash_table"' not in components
    assert dash_table.DataTable._namespace == "dash_table"


def test_the_served_page_loads_no_polyfill_and_the_runtime_before_dashs_renderer(
    client: TestClient,
) -> None:
    page = client.get("/?night=2025-07-04")
    assert page.status_code == 200
    sources = re.findall(r'<script src="([^"]+)"', page.text)
    assert sources, "the page names its scripts"
    assert not [src for src in sources if "polyfill" in src or "dash_table" in src]
    runtime = next(i for i, src in enumerate(sources) if "regenerator-runtime" in src)
    renderer = next(i for i, src in enumerate(sources) if "dash_renderer" in src)
    assert runtime < renderer
    script = client.get(sources[runtime])
    assert script.status_code == 200
    assert "regeneratorRuntime = runtime" in script.text


def test_dccs_lazy_chunks_are_preloaded_from_beside_dccs_own_script() -> None:
    dcc = '<script src="/app/_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m1.js">'
    assert preloads(dcc).splitlines() == [
        f'<link rel="preload" href="/app/_dash-component-suites/dash/dcc/{chunk}" as="script">'
        for chunk in LAZY_CHUNKS
    ]
    assert preloads(REACT) == ""


def test_the_served_page_preloads_chunks_that_exist(client: TestClient) -> None:
    page = client.get("/?night=2025-07-04")
    preloaded = re.findall(r'<link rel="preload" href="([^"]+)" as="script">', page.text)
    assert len(preloaded) == len(LAZY_CHUNKS)
    for href in preloaded:
        chunk = client.get(href)
        assert chunk.status_code == 200
        assert "javascript" in chunk.headers["content-type"]
