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
"""

from __future__ import annotations

import re

# Dash's own tags for them: /_dash-component-suites/dash/deps/polyfill@7.<fingerprint>.min.js
# and /_dash-component-suites/dash/dash_table/bundle.<fingerprint>.js (and its async chunks).
_UNUSED_TAG = re.compile(
    r'<script src="[^"]*/_dash-component-suites/dash/(?:deps/polyfill@|dash_table/)[^"]*">'
    r"</script>\s*"
)


def without_unused(scripts: str) -> str:
    """Dash's script tags without the polyfill's and the DataTable's."""
    return _UNUSED_TAG.sub("", scripts)
