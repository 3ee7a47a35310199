"""`skywatch follow alerts-in-ua`: GET {url}/v1/alerts/active.json, Bearer token, and
If-Modified-Since with the last good answer's Last-Modified (304: nothing changed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import httpx

from backend.cli.follow_http import GARBAGE, FeedFaultError, get, http_date, json_of
from backend.domain.alert_feeds.alerts_in_ua import parse_active
from backend.domain.alert_feeds.state import FeedGarbageError, Snapshot

DEFAULT_URL = "https://api.alerts.in.ua"
PATH = "/v1/alerts/active.json"


class AlertsInUaFeed:
    """One poll at a time; remembers the Last-Modified of the last good answer."""

    def __init__(
        self, http: httpx.Client, url: str, token: str, clock: Callable[[], datetime]
    ) -> None:
        self._http = http
        self._url = url.rstrip("/") + PATH
        self._token = token
        self._clock = clock
        self._last_modified: str | None = None

    def poll(self) -> Snapshot | None:
        """The feed's state, None when it has not changed since the last good answer."""
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        if self._last_modified is not None:
            headers["If-Modified-Since"] = self._last_modified
        response = get(self._http, self._url, headers)
        if response.status_code == 304:
            if self._last_modified is None:
                raise FeedFaultError(GARBAGE, "HTTP 304 to a request without If-Modified-Since")
            return None
        modified = response.headers.get("last-modified")
        try:
            snapshot = parse_active(
                json_of(response), polled_at=self._clock(), last_modified=http_date(modified)
            )
        except FeedGarbageError as error:
            raise FeedFaultError(GARBAGE, f"{self._url}: {error}") from None
        self._last_modified = modified
        return snapshot
