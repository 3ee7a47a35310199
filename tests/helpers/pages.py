"""Browser pages under test: what a page logged and requested, the night's page, screenshots."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from tests.helpers.server_events import NIGHT
from tests.helpers.server_process import ServerProcess

# The README names this folder: screenshots a person can look at after a test run.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@dataclass
class WatchedPage:
    """A page with everything it logged and requested."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        """Requests to anything but this machine."""
        return [
            url
            for url in self.requests
            if urlparse(url).scheme not in ("data", "blob")
            and urlparse(url).hostname not in LOCAL_HOSTS
        ]


def open_night(page: Page, server: ServerProcess) -> None:
    """Load the night's page and wait until it is live and drawn."""
    page.goto(f"{server.url}/?night={NIGHT}")
    # A past night is the archive, never "live" (issue 14); connected either way.
    expect(page.locator("#connection-status")).to_have_text(
        re.compile("^(live|archive)$"), timeout=15_000
    )
    # The first draw of the map keeps a 2-core machine busy for a moment; the latency
    # promise is about a page that is up, so wait for the oblasts to be on screen.
    expect(page.locator("#city-map .scatterlayer .trace").first).to_be_attached(timeout=15_000)
    page.wait_for_load_state("networkidle")
