"""`skywatch follow`'s loop run in a thread against a feed and a real Skywatch server, and
waiting (with a generous deadline) for Skywatch's alert state to be an expected one."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from backend.cli.follow import Feed, Follower
from backend.cli.follow_alerts_in_ua import AlertsInUaFeed
from backend.cli.follow_skywatch import Skywatch
from backend.cli.follow_ukrainealarm import UkraineAlarmFeed
from tests.helpers.server_events import all_events
from tests.helpers.server_process import AUTH, TOKEN

FEED_TOKEN = "feed-token"
DEADLINE_SECONDS = 60.0


def _now() -> datetime:
    return datetime.now(UTC)


class FollowerThread:
    """A Follower polling every `interval` s in a thread until stop()."""

    def __init__(
        self,
        source: str,
        feed_url: str,
        skywatch_url: str,
        *,
        feed_token: str = FEED_TOKEN,
        interval: float = 0.05,
    ) -> None:
        self._feed_http = httpx.Client(timeout=1.0)  # short, so that a slow answer times out
        self._skywatch_http = httpx.Client(base_url=skywatch_url, timeout=10.0)
        feed: Feed = (
            AlertsInUaFeed(self._feed_http, feed_url, feed_token, _now)
            if source == "alerts-in-ua"
            else UkraineAlarmFeed(self._feed_http, feed_url, feed_token, _now)
        )
        self.follower = Follower(feed, Skywatch(self._skywatch_http, TOKEN, _now), interval)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._stop.wait(self.follower.step())
        except BaseException as error:  # reported by stop()
            self.error = error

    def start(self) -> FollowerThread:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self._feed_http.close()
        self._skywatch_http.close()
        if self.error is not None:
            raise AssertionError(f"the follower crashed: {self.error!r}") from self.error


def alert_state(skywatch_url: str) -> list[list[Any]]:
    """GET /api/v1/alerts as [region, state, since, areas] rows."""
    answer = httpx.get(f"{skywatch_url}/api/v1/alerts", headers=AUTH, timeout=10).json()
    return [[r["region"], r["state"], r["since"], r["areas"]] for r in answer["regions"]]


def wait_state(skywatch_url: str, expected: list[list[Any]]) -> None:
    """Wait until Skywatch's alert state is `expected`; fail with the last one seen."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    seen: list[list[Any]] | str = "nothing"
    while time.monotonic() < deadline:
        try:
            seen = alert_state(skywatch_url)
        except httpx.TransportError as error:
            seen = repr(error)
        if seen == expected:
            return
        time.sleep(0.05)
    raise AssertionError(f"Skywatch's alerts are {seen}, not {expected}")


def alert_events(skywatch_url: str) -> list[dict[str, Any]]:
    """Every alert event stored, in seq order."""
    events: list[dict[str, Any]] = []
    with httpx.Client(base_url=skywatch_url, headers=AUTH, timeout=10) as client:
        for kind in ("alert_start", "alert_end"):
            events.extend(all_events(client, kind=kind))
    return sorted(events, key=lambda event: event["seq"])
