"""`skywatch follow ukrainealarm`: GET {url}/api/v3/alerts/status, and GET {url}/api/v3/alerts
when its `lastActionIndex` moved; header `Authorization: TOKEN` (no "Bearer").

The districts and communities of the alerts answer are placed in their oblast by
GET {url}/api/v3/regions, read when first needed and again when an unknown one appears (at
most every REGIONS_REFRESH_SECONDS). Until it has been read, an answer with local alerts is not
a good answer: leaving them out could end them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

import httpx

from backend.cli.follow_http import GARBAGE, FeedFaultError, get, json_of
from backend.domain.alert_feeds.state import FeedGarbageError, Snapshot
from backend.domain.alert_feeds.ukrainealarm import local_ids, read_alerts, read_regions, snapshot

DEFAULT_URL = "https://api.ukrainealarm.com"
REGIONS_REFRESH_SECONDS = 600.0


class UkraineAlarmFeed:
    """One poll at a time; remembers the last lastActionIndex and the regions list."""

    def __init__(
        self,
        http: httpx.Client,
        url: str,
        token: str,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._base = url.rstrip("/") + "/api/v3"
        self._headers = {"Authorization": token, "Accept": "application/json"}
        self._clock = clock
        self._monotonic = monotonic
        self._index: int | None = None
        self._places: dict[str, str] = {}
        self._regions_read_at: float | None = None

    def _json(self, path: str) -> object:
        return json_of(get(self._http, self._base + path, self._headers))

    def poll(self) -> Snapshot | None:
        """The feed's state, None when lastActionIndex has not moved since the last good one."""
        try:
            status = self._json("/alerts/status")
            index = status.get("lastActionIndex") if isinstance(status, dict) else None
            if isinstance(index, bool) or not isinstance(index, int):
                raise FeedGarbageError(f"alerts/status: no integer lastActionIndex: {status!r:.80}")
            if index == self._index:
                return None
            items = read_alerts(self._json("/alerts"))
            polled_at = self._clock()
            if local_ids(items) - self._places.keys() and self._may_read_regions():
                self._regions_read_at = self._monotonic()
                self._places = read_regions(self._json("/regions"))
        except FeedGarbageError as error:
            raise FeedFaultError(GARBAGE, f"{self._base}: {error}") from None
        self._index = index
        return snapshot(items, self._places, polled_at=polled_at)

    def _may_read_regions(self) -> bool:
        last = self._regions_read_at
        return last is None or self._monotonic() - last >= REGIONS_REFRESH_SECONDS
