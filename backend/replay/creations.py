"""How many replay sessions one address may create: a sliding window per address.

Sessions are anonymous (anyone who may read may start a briefing), so without this one
client could fill the database with sessions; with it, the sessions kept are bounded by
addresses x limit over the idle time. Per worker process, and per address the server sees
(behind a proxy, the proxy's: hold it there, docs/operations.md).
"""

from __future__ import annotations

from collections import OrderedDict, deque

# Addresses remembered at most: a spray from many addresses cannot grow the table unbounded.
MAX_ADDRESSES = 10_000


class CreationLimit:
    """At most `limit` creations per address within `window` seconds."""

    def __init__(self, *, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._times: OrderedDict[str, deque[float]] = OrderedDict()

    def take(self, address: str, now: float) -> float | None:
        """Count a creation now; or, when over the limit, the seconds until one is allowed."""
        times = self._times.setdefault(address, deque(maxlen=self.limit))
        self._times.move_to_end(address)
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            return times[0] + self.window - now
        times.append(now)
        while len(self._times) > MAX_ADDRESSES:
            self._times.popitem(last=False)
        return None
