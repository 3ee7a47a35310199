"""The Skywatch side of `skywatch follow`, over HTTP only: the alert state now, the starts of
the alerts on, and posting events (a 409 is another follower's copy of the same alert)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from backend.domain.alert_feeds.state import Key, open_starts, skywatch_state
from backend.domain.nights import current_night

DOWN = "down"
REFUSED = "refused"
ERROR = "error"


class SkywatchFaultError(Exception):
    """Skywatch did not take or give what was asked; the next poll tries again."""

    def __init__(self, state: str, message: str) -> None:
        super().__init__(message)
        self.state = state
        self.message = message


@dataclass(slots=True)
class Posted:
    """What one post of events did."""

    accepted: int = 0
    duplicates: int = 0
    conflicts: int = 0


def _detail(response: httpx.Response) -> Any:
    try:
        return response.json().get("detail")
    except (ValueError, AttributeError):
        return response.text[:200]


class Skywatch:
    """One Skywatch server, reached with the write token (which reads too)."""

    def __init__(self, http: httpx.Client, token: str, clock: Callable[[], datetime]) -> None:
        self._http = http
        self._headers = {"Authorization": f"Bearer {token}"}
        self._clock = clock

    def _call(self, method: str, path: str, **request: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, headers=self._headers, **request)
        except httpx.TransportError as error:
            raise SkywatchFaultError(DOWN, f"unreachable ({type(error).__name__})") from None
        status = response.status_code
        if status == 503:
            raise SkywatchFaultError(DOWN, "HTTP 503 (database unavailable)")
        if status in (401, 403):
            raise SkywatchFaultError(REFUSED, f"HTTP {status}: the write token was refused")
        if status >= 500:
            raise SkywatchFaultError(ERROR, f"HTTP {status} on {method} {path}")
        return response

    def _read(self, path: str) -> Any:
        response = self._call("GET", path)
        if response.status_code != 200:
            raise SkywatchFaultError(ERROR, f"HTTP {response.status_code} on GET {path}")
        try:
            return response.json()
        except ValueError:
            raise SkywatchFaultError(ERROR, f"GET {path}: not JSON") from None

    def current(self) -> dict[Key, datetime | None]:
        """The alerts on now (GET /api/v1/alerts), with the whole-oblast alerts' starts."""
        try:
            return skywatch_state(self._read("/api/v1/alerts"))
        except (ValueError, KeyError, TypeError) as error:
            message = f"GET /api/v1/alerts: unexpected answer ({error})"
            raise SkywatchFaultError(ERROR, message) from None

    def open_starts(self) -> dict[Key, datetime]:
        """The start of every alert on (GET /api/v1/nights/{tonight}/alerts)."""
        path = f"/api/v1/nights/{current_night(self._clock())}/alerts"
        try:
            return open_starts(self._read(path))
        except (ValueError, KeyError, TypeError) as error:
            raise SkywatchFaultError(ERROR, f"GET {path}: unexpected answer ({error})") from None

    def post(self, events: list[dict[str, Any]]) -> Posted:
        """Post the events; those another follower stored first with another time (409 on
        their id) are left to it, the rest posted again."""
        posted = Posted()
        pending = list(events)
        while pending:
            response = self._call("POST", "/api/v1/events", json=pending)
            if response.status_code in (200, 201):
                answer = response.json()
                posted.accepted += answer["accepted"]
                posted.duplicates += answer["duplicates"]
                return posted
            detail = _detail(response)
            taken = (
                {
                    item["index"]
                    for item in detail
                    if isinstance(item, dict) and item.get("type") == "id_conflict"
                }
                if response.status_code == 409 and isinstance(detail, list)
                else set()
            )
            if not taken:
                raise SkywatchFaultError(
                    REFUSED, f"HTTP {response.status_code} on POST /api/v1/events: {detail}"
                )
            posted.conflicts += len(taken)
            pending = [event for index, event in enumerate(pending) if index not in taken]
        return posted
