"""The plotly.js the dashboard ships: the cartesian partial bundle, not the full one.

The pages draw only scatter, bar and heatmap traces, all in plotly.js's cartesian bundle
(1.5 MB against 4.8 MB that every page parsed and compiled first). Dash serves it from the
assets folder with every page, and dcc.Graph uses `window.Plotly` when it is defined, so the
full bundle is never fetched; the report inlines the same file. Where it came from:
dashboard/assets/vendor/SOURCES.md.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

BUNDLE = "plotly-cartesian-4.1.1.min.js"


@cache
def plotly_script() -> str:
    """The bundle's text, for inlining."""
    return files("dashboard").joinpath(f"assets/vendor/{BUNDLE}").read_text(encoding="utf-8")
