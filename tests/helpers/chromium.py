"""The browser the page tests drive: Debian's Chromium (never a downloaded one) and its flags."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("SKYWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
