"""Content-Security-Policy values: the dashboard's, and one for self-contained HTML pages.

Every policy allows nothing but the service's own origin ('self'): a page that tried to fetch
anything from elsewhere would be stopped by the browser, so the policy also proves the
dashboard needs nothing from the internet.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from functools import lru_cache

HEADER = "Content-Security-Policy"

# Not covered by default-src: where forms may post, who may frame the page, what <base> may
# point to. Framing is refused outright (clickjacking); forms post only to the service.
_FIXED = "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

# The raw text of inline <script> and <style> elements, exactly what the browser hashes.
# Script and style content is raw text in HTML, so no entity decoding is involved.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.I)
_INLINE_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.I)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle="([^"]*)\"""", re.I)


def source_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _join(*directives: str) -> str:
    return "; ".join(directive for directive in directives if directive)


# Dash's own bundles (dash-renderer, dcc, dash_table) and Plotly add <style> elements at run
# time with the CSS they need (dropdown, table, tooltip, modebar, hover): in Chromium, without
# 'unsafe-inline' in style-src, each one is a CSP violation and the page loses those styles.
# Their text is inside the libraries' minified JavaScript, so hashes cannot be computed here.
# Styles only: scripts stay hash-only, and no page needed 'unsafe-eval' (tested in Chromium,
# tests/browser/test_security.py).
_INJECTED_STYLES = "style-src 'self' 'unsafe-inline'"


@lru_cache(maxsize=8)
def dashboard_policy(script_hashes: tuple[str, ...]) -> str:
    """The policy of the Dash page: its own files, its own websocket, and its inline scripts
    (Dash's renderer start-up and clientside callbacks) by hash, never 'unsafe-inline'."""
    scripts = " ".join(("'self'", *script_hashes))
    return _join("default-src 'self'", f"script-src {scripts}", _INJECTED_STYLES, _FIXED)


def _sources(values: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(source_hash(value) for value in values))


def inline_policy(page: str, *, plotly: bool = False, data_images: bool = False) -> str:
    """The policy of a self-contained page: its inline scripts by hash, and its inline styles
    by hash too unless it runs Plotly, which injects styles of its own (see above).
    `data_images` allows data: URLs as images only (Swagger UI's CSS draws its icons so).

    Style attributes need 'unsafe-hashes' as well as their hash; that allows those exact
    attribute values and nothing else (no other inline style, and no inline event handler,
    which script-src governs).
    """
    scripts = _sources(_INLINE_SCRIPT.findall(page))
    if plotly:
        styles = _INJECTED_STYLES
    else:
        styles = f"style-src 'self' {_sources(_INLINE_STYLE.findall(page))}"
        # An attribute's value is hashed as the browser sees it: after entity decoding.
        attributes = _sources(html.unescape(value) for value in _STYLE_ATTRIBUTE.findall(page))
        if attributes:
            styles = f"{styles} 'unsafe-hashes' {attributes}"
    images = "img-src 'self' data:" if data_images else ""
    return _join(
        "default-src 'self'",
        f"script-src 'self' {scripts}".rstrip(),
        styles.rstrip(),
        images,
        _FIXED,
    )
