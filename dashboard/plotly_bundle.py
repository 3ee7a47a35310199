"""The plotly.js the dashboard ships: the basic partial bundle, not the full one.

The night page and the report draw only scatter and bar traces, both in plotly.js's basic
bundle (1.2 MB; the cartesian one, 1.5 MB, added trace types they never draw, and the full
one is 4.8 MB; every page parses and runs the bundle before it can draw; the Trends page,
which draws a heat map, inlines Python plotly's full bundle of its own). Dash serves it from the
assets folder with every page, and dcc.Graph uses `window.Plotly` when it is defined, so the
full bundle is never fetched; the report inlines the same file. Where it came from:
dashboard/assets/vendor/SOURCES.md.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

BUNDLE = "plotly-basic-4.1.1.min.js"


@cache
def plotly_script() -> str:
    """The bundle's text, for inlining."""
    return files("dashboard").joinpath(f"assets/vendor/{BUNDLE}").read_text(encoding="utf-8")
