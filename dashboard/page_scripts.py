"""The scripts the page loads: Dash's own, less its ES5 polyfill and its DataTable.

Dash puts @babel/polyfill 7 (core-js 2 and regenerator-runtime) before every other script,
for browsers older than any the dashboard supports. In Chromium it cost a past night's page
about a quarter of a second before anything was drawn (its start-up replaces native String
and Array methods with its own, slower ones, which then ran in Plotly's drawing too). What
the page does need from it is `regeneratorRuntime`, which Dash's lazy loading of its
dropdown and graph calls: the assets folder ships regenerator-runtime itself
(assets/vendor/SOURCES.md), loaded before Dash's renderer like every asset script.

Dash also loads its DataTable bundle with every page, whether or not a layout holds one;
the dashboard's tables are plain rows (layout.py `rows_table`), so it is left out too.

The graph's and the dropdown's chunks of dcc are fetched by dcc only once React has
rendered the layout (a round trip, then, to a server busy with the page's first view): they
are asked for with the other scripts instead (`preloads`), and dcc's lazy loader finds them
in the browser's memory. Dash's layout and callbacks requests are not preloaded: tried,
Chromium matched no preload to them and fetched each twice.
"""

from __future__ import annotations

import re

# Dash's own tags for them: /_dash-component-suites/dash/deps/polyfill@7.<fingerprint>.min.js
# and /_dash-component-suites/dash/dash_table/bundle.<fingerprint>.js (and its async chunks).
_UNUSED_TAG = re.compile(
    r'<script src="[^"]*/_dash-component-suites/dash/(?:deps/polyfill@|dash_table/)[^"]*">'
    r"</script>\s*"
)


# dcc's own script; its lazily loaded chunks lie beside it, named without a fingerprint.
_DCC_SCRIPT = re.compile(r'src="([^"]*/_dash-component-suites/dash/dcc/)dash_core_components\.')
LAZY_CHUNKS = ("async-graph.js", "async-dropdown.js")


def preloads(scripts: str) -> str:
    """Preload links for the dcc chunks the page's graphs and dropdown load lazily."""
    found = _DCC_SCRIPT.search(scripts)
    if found is None:
        return ""
    return "\n".join(
        f'<link rel="preload" href="{found[1]}{chunk}" as="script">' for chunk in LAZY_CHUNKS
    )


def without_unused(scripts: str) -> str:
    """Dash's script tags without the polyfill's and the DataTable's."""
    return _UNUSED_TAG.sub("", scripts)
