"""The scripts the page loads: Dash's own, less its ES5 polyfill.

Dash puts @babel/polyfill 7 (core-js 2 and regenerator-runtime) before every other script,
for browsers older than any the dashboard supports. In Chromium it cost a past night's page
about a quarter of a second before anything was drawn (its start-up replaces native String
and Array methods with its own, slower ones, which then ran in Plotly's drawing too). What
the page does need from it is `regeneratorRuntime`, which Dash's lazy loading of its
dropdown and graph calls: the assets folder ships regenerator-runtime itself
(assets/vendor/SOURCES.md), loaded before Dash's renderer like every asset script.
"""

from __future__ import annotations

import re

# Dash's own tag for it: /_dash-component-suites/dash/deps/polyfill@7.<fingerprint>.min.js
_POLYFILL_TAG = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\s*')


def without_polyfill(scripts: str) -> str:
    """Dash's script tags without the polyfill's."""
    return _POLYFILL_TAG.sub("", scripts)
