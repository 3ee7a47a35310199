"""The briefing report: saved by the CLI, self-contained, and opens offline in Chromium."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers.pages import WatchedPage
from tests.helpers.server_events import launches, other, post
from tests.helpers.server_process import SKYWATCH, ServerProcess


def test_report_is_one_file_that_opens_with_nothing_fetched(
    watched_page: WatchedPage, dashboard_server: ServerProcess, tmp_path: Path
) -> None:
    post(
        dashboard_server,
        [
            *launches(25),
            other("impact", "02:00", count=2, city="Odesa"),
            other("alert_start", "01:00", region="UA-51"),
        ],
    )
    output = tmp_path / "night.html"
    result = subprocess.run(
        [str(SKYWATCH), "report", "2025-07-04", "-o", str(output), "--url", dashboard_server.url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = output.read_text(encoding="utf-8")
    assert "Night of 3 to 4 July 2025" in text
    # Plotly's script is inline: the page has no script or stylesheet to fetch. (The browser
    # check below is the proof; the inlined library itself mentions URLs in its strings.)
    assert "<script src=" not in text
    assert "<link " not in text
    page = watched_page.page
    page.goto(output.as_uri())
    page.wait_for_selector("#map .scatterlayer .trace")
    page.wait_for_selector("#timeline .barlayer")
    assert watched_page.console_errors == []
    assert [url for url in watched_page.requests if not url.startswith(("file:", "data:"))] == []
    assert page.locator(".card .value").first.text_content() == "25"


def test_report_of_an_empty_night_is_404(dashboard_server: ServerProcess, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(SKYWATCH), "report", "2020-01-01", "-o", str(tmp_path / "x.html"),
         "--url", dashboard_server.url],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "404" in result.stderr
