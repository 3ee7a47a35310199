"""axe-core in a page (axe-playwright-python): the violations of impact serious or critical."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page

SERIOUS = ("serious", "critical")


def serious_violations(page: Page, *, context: Any = None) -> list[tuple[str, list[Any]]]:
    """(rule id, the first targets) of every serious or critical violation in the page
    (`context`: axe's include/exclude, by default the whole document)."""
    results = Axe().run(page, context=context)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:5])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
