"""The shipped plotly.js bundle: the version the Python plotly package was built with."""

from __future__ import annotations

from plotly.offline import get_plotlyjs_version

from dashboard.plotly_bundle import BUNDLE, plotly_script


def test_the_bundle_is_plotly_pythons_own_plotly_js_version() -> None:
    # Upgrading plotly (Python) without the bundle would draw with an older plotly.js.
    version = get_plotlyjs_version()
    assert f"-{version}.min.js" in BUNDLE
    assert f"plotly.js (basic - minified) v{version}" in plotly_script()[:200]


def test_the_bundle_can_be_inlined_in_a_script_element() -> None:
    assert "</script" not in plotly_script().lower()
