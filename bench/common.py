"""What every benchmark shares: percentiles, the browser, the clock, the JavaScript, a few more.

Kept free of heavy imports (no httpx, no Playwright at run time): the fan-out client swarm
and baseline server import it in every one of their processes.

Percentiles here are **nearest-rank**: the p-th percentile of n values is the k-th smallest,
k = ceil(p * n) (at least 1), so it is always one of the measured values, p100 is the maximum,
and p50 of an even count is the lower middle value, not the mean of the two. This is the
definition docs/performance.md states. The standard library's `statistics.quantiles` (both its
"exclusive" and "inclusive" methods) interpolates between neighbouring values instead, so it
would give different figures, and it needs two values at least; hence the few lines below.
"""

from __future__ import annotations

import math
import resource
import time
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tests.helpers.chromium import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright, ViewportSize

BENCH_TOKEN = "bench-token"
AUTH = {"Authorization": f"Bearer {BENCH_TOKEN}"}
NIGHT = "2025-07-04"
OCCURRED_AT = "2025-07-03T22:00:00+03:00"  # 22:00 Kyiv belongs to the next morning's night

VIEWPORT: ViewportSize = {"width": 1600, "height": 1000}
# Interaction to Next Paint counts up to 200 ms as "good".
RESPONSIVE_LIMIT_MS = 200.0

JS_DIR = Path(__file__).resolve().parent / "js"


def rank(count: int, share: float) -> int:
    """The 1-based nearest rank of percentile `share` (0 to 1) among `count` values."""
    return max(1, math.ceil(share * count))


def percentile(values: Iterable[float], share: float) -> float:
    """Nearest-rank percentile `share` (0.5 is p50, 1.0 the maximum); NaN for no values."""
    ordered = sorted(values)  # already sorted input costs one linear pass
    if not ordered:
        return math.nan
    return ordered[rank(len(ordered), share) - 1]


def histogram_percentile(counts: Mapping[int, int], share: float) -> float:
    """Nearest-rank percentile `share` of a histogram (bucket -> how many); NaN if empty.

    The bucket itself is returned: the same figure `percentile` gives on the expanded values.
    """
    total = sum(counts.values())
    if not total:
        return math.nan
    wanted, seen = rank(total, share), 0
    for bucket in sorted(counts):
        seen += counts[bucket]
        if seen >= wanted:
            return bucket
    raise AssertionError("unreachable")


def websocket_url(http_url: str, path: str = "") -> str:
    """The ws:// address of `path` on the server at `http_url`."""
    return http_url.replace("http://", "ws://", 1) + path


def raise_open_files_limit() -> None:
    """Soft open-files limit up to the hard one (a thousand sockets; children inherit it)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def interrupt(_signum: int, _frame: object) -> None:
    """A SIGTERM handler that unwinds like Ctrl-C, so that the finally blocks stop the
    server and the client processes: `signal.signal(signal.SIGTERM, interrupt)`."""
    raise KeyboardInterrupt


def wall_ms() -> float:
    """Wall-clock time in epoch ms: the clock of `performance.timeOrigin + performance.now()`
    in this machine's pages, so the two can be subtracted."""
    return time.time() * 1000


def elapsed_ms(started: float) -> float:
    """Milliseconds since `started`, a `time.perf_counter()` reading."""
    return (time.perf_counter() - started) * 1000


def verdict(met: bool, *, otherwise: str = "missed") -> str:
    """**met**, or `otherwise` in bold."""
    return f"**{'met' if met else otherwise}**"


@cache
def script(name: str) -> str:
    """The JavaScript in bench/js/`name`, without its header comment, for Playwright.

    The header is every leading line that starts with `//` (and the blank lines after it);
    what remains is passed to `evaluate`, `wait_for_function` or `add_init_script` as is.
    """
    lines = (JS_DIR / name).read_text(encoding="utf-8").splitlines()
    start = 0
    while start < len(lines) and (lines[start].startswith("//") or not lines[start].strip()):
        start += 1
    return "\n".join(lines[start:]).strip() + "\n"


async def launch_chromium(driver: Playwright) -> Browser:
    """Debian's headless Chromium with the page tests' flags (tests/helpers/chromium.py;
    SKYWATCH_CHROMIUM overrides the path)."""
    return await driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
