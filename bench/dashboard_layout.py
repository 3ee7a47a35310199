"""The dashboard's layout at the five screen sizes of issue 14, measured in Chromium.

Run with `python -m bench.dashboard_layout [--lang uk|en]`: a fresh `skywatch serve --demo`
(SQLite) and Debian's headless Chromium; per size it prints the page's width and height
against the viewport, how many counters are on the first screen, the map's width, and the
type sizes of counters, labels, tables and chart text (px and % of the viewport height).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.helpers.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.helpers.server_process import TOKEN, ServerProcess

SIZES = ((390, 844), (768, 1024), (1366, 768), (1920, 1080), (3840, 2160))
NIGHT = "2025-07-04"
MEASURE = """() => {
  const px = (sel) => { const e = document.querySelector(sel);
    return e ? parseFloat(getComputedStyle(e).fontSize) : null; };
  const box = (sel) => { const e = document.querySelector(sel);
    return e ? e.getBoundingClientRect() : null; };
  const counters = [...document.querySelectorAll('.counter')];
  const onFirst = counters.filter(c => { const r = c.getBoundingClientRect();
    return r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5 && r.left >= 0; });
  const tick = document.querySelector('#timeline .xtick text');
  const status = box('#connection-status');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    countersOnFirstScreen: onFirst.length,
    statusVisible: !!status && status.right <= innerWidth && status.left >= 0,
    mapWidth: box('#city-map') ? Math.round(box('#city-map').width) : null,
    counterPx: px('.counter-value'), labelPx: px('.counter-label'),
    cellPx: px('#event-feed td'), tickPx: tick ? parseFloat(tick.style.fontSize) : null,
    lang: document.documentElement.lang || '',
  };
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="", help="?lang= for the page (default: none)")
    parser.add_argument("--shots", type=Path, default=None, help="folder for screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(
            name="layout",
            database_url=f"sqlite+aiosqlite:///{tmp}/db.sqlite",
            data_dir=Path(tmp) / "data",
            log=Path(tmp) / "server.log",
            token=TOKEN,
            serve_args=("--demo",),
        )
        server.start()
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                query = f"?night={NIGHT}" + (f"&lang={args.lang}" if args.lang else "")
                print(
                    "size | page w x h | counters on 1st screen | status on screen | map w |"
                    " counter px (%vh) | label px (%vh) | table px | chart tick px | lang"
                )
                for width, height in SIZES:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(server.url + "/" + query)
                    page.wait_for_selector("#timeline .xtick text", timeout=20_000)
                    page.wait_for_timeout(1500)
                    m = page.evaluate(MEASURE)
                    counter, label = m["counterPx"], m["labelPx"]
                    print(
                        f"{width}x{height} | {m['scrollWidth']} x {m['scrollHeight']} | "
                        f"{m['countersOnFirstScreen']}/6 | {m['statusVisible']} | "
                        f"{m['mapWidth']} | "
                        f"{counter:.0f} ({100 * counter / height:.1f}%) | "
                        f"{label:.0f} ({100 * label / height:.1f}%) | {m['cellPx']} | "
                        f"{m['tickPx']} | {m['lang'] or '-'}"
                    )
                    if args.shots is not None:
                        args.shots.mkdir(parents=True, exist_ok=True)
                        name = f"layout-{width}x{height}-{args.lang or 'default'}.png"
                        page.screenshot(path=str(args.shots / name))
                    page.close()
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
