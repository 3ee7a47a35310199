"""`skywatch follow SOURCE`: poll a live alert feed and keep Skywatch's alert state equal to it.

Each poll: the feed's answer (backend/cli/follow_alerts_in_ua.py, follow_ukrainealarm.py)
becomes a Snapshot (backend/domain/alert_feeds/), Skywatch's state is read (GET /api/v1/alerts)
and only the difference is posted (backend/domain/alert_feeds/state.py). So a restart of
either side neither duplicates nor loses an alert, and nothing needs remembering.

A poll without a good answer (feed down, slow, 401, 429, 5xx, garbage) posts nothing, above
all no alert_end: the last good answer is not reapplied, so nothing Skywatch learns meanwhile
is undone. Every change of the feed's or Skywatch's condition is one log line; faults back off
(a 429 waits its Retry-After) and the follower resumes on its own.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import FrameType
from typing import Protocol

import httpx

from backend.cli.follow_alerts_in_ua import DEFAULT_URL as ALERTS_IN_UA_URL
from backend.cli.follow_alerts_in_ua import AlertsInUaFeed
from backend.cli.follow_http import FeedFaultError
from backend.cli.follow_skywatch import Skywatch, SkywatchFaultError
from backend.cli.follow_ukrainealarm import DEFAULT_URL as UKRAINEALARM_URL
from backend.cli.follow_ukrainealarm import UkraineAlarmFeed
from backend.domain.alert_feeds.state import Key, Snapshot, end_event, ends_needed, starts_needed

log = logging.getLogger("skywatch.follow")
DEFAULT_INTERVAL = 15.0  # alerts.in.ua asks for at most 8-10 requests a minute
MAX_BACKOFF_SECONDS = 300.0
MAX_BACKOFF_DOUBLINGS = 5
MAX_SKYWATCH_BACKOFF_SECONDS = 30.0
FEED_TIMEOUT_SECONDS = 10.0
SOURCES = {"alerts-in-ua": ALERTS_IN_UA_URL, "ukrainealarm": UKRAINEALARM_URL}


class Feed(Protocol):
    """A source: its state now, None when unchanged; FeedFaultError when there is no good answer."""

    def poll(self) -> Snapshot | None: ...


class Condition:
    """The condition of one side, logged once per change."""

    def __init__(self, side: str) -> None:
        self.side = side
        self.state = "ok"

    def fault(self, state: str, message: str, wait: float) -> None:
        if state != self.state:
            log.warning("%s: %s; retrying in %.3g s", self.side, message, wait)
        self.state = state

    def ok(self) -> None:
        if self.state != "ok":
            log.info("%s: back", self.side)
        self.state = "ok"


def _backoff(interval: float, faults: int, most: float) -> float:
    """Doubling from the interval, up to MAX_BACKOFF_DOUBLINGS times and `most` seconds."""
    return min(interval * 2.0 ** min(faults, MAX_BACKOFF_DOUBLINGS), most)


def _summary(snapshot: Snapshot) -> str:
    regions = len({key[0] for key in snapshot.alerts})
    parts = [f"{len(snapshot.alerts)} air-raid alerts on in {regions} regions"]
    if snapshot.skipped:
        other = ", ".join(f"{kind} {count}" for kind, count in sorted(snapshot.skipped.items()))
        parts.append(f"skipped other types: {other}")
    if snapshot.unplaced:
        parts.append(f"not placed: {', '.join(snapshot.unplaced)}")
    return "; ".join(parts)


@dataclass
class Follower:
    """The poll loop's state: the last good answer and when alerts left it."""

    feed: Feed
    skywatch: Skywatch
    interval: float
    snapshot: Snapshot | None = None
    gone_since: dict[Key, datetime] = field(default_factory=dict)
    posted: int = 0
    feed_condition: Condition = field(default_factory=lambda: Condition("feed"))
    skywatch_condition: Condition = field(default_factory=lambda: Condition("skywatch"))
    _feed_faults: int = 0
    _skywatch_faults: int = 0
    _said: str = ""

    def step(self) -> float:
        """One poll and what follows from it; the seconds to wait before the next."""
        try:
            fresh = self.feed.poll()
        except FeedFaultError as fault:
            self._feed_faults += 1
            wait = fault.retry_after
            if wait is None:
                wait = _backoff(self.interval, self._feed_faults, MAX_BACKOFF_SECONDS)
            self.feed_condition.fault(fault.state, fault.message, wait)
            return wait
        self._feed_faults = 0
        self.feed_condition.ok()
        if fresh is not None:
            self.snapshot = fresh
            said = _summary(fresh)
            if said != self._said:
                log.info("feed: %s", said)
                self._said = said
        if self.snapshot is None:
            return self.interval
        try:
            self._reconcile(self.snapshot)
        except SkywatchFaultError as fault:
            self._skywatch_faults += 1
            wait = _backoff(self.interval, self._skywatch_faults, MAX_SKYWATCH_BACKOFF_SECONDS)
            self.skywatch_condition.fault(fault.state, fault.message, wait)
            return wait
        self._skywatch_faults = 0
        self.skywatch_condition.ok()
        return self.interval

    def _reconcile(self, snapshot: Snapshot) -> None:
        current = self.skywatch.current()
        events = starts_needed(snapshot, current)
        ends = ends_needed(snapshot, current)
        self.gone_since = {key: at for key, at in self.gone_since.items() if key in ends}
        if ends:
            starts = {key: at for key, at in current.items() if at is not None}
            if any(key not in starts for key in ends):
                starts = {**self.skywatch.open_starts(), **starts}
            for key in ends:
                if key in starts:  # else it ended meanwhile: the next poll sees it
                    gone = self.gone_since.setdefault(key, snapshot.times.get(key, snapshot.at))
                    events.append(end_event(key, starts[key], gone, snapshot.source))
        if not events:
            return
        posted = self.skywatch.post(events)
        self.posted += posted.accepted
        begun = sum(1 for event in events if event["kind"] == "alert_start")
        log.info(
            "skywatch: posted %d starts, %d ends (%d new, %d already there, %d stored by "
            "another follower)",
            begun,
            len(events) - begun,
            posted.accepted,
            posted.duplicates,
            posted.conflicts,
        )


def _interval(text: str) -> float:
    value = float(text)
    if not 0.05 <= value <= 3600:
        raise argparse.ArgumentTypeError("must be between 0.05 and 3600 seconds")
    return value


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser], to: str) -> None:
    """The `follow` command's arguments."""
    follow = commands.add_parser(
        "follow", help="poll a live alert feed and post every change to a server as alert events"
    )
    follow.add_argument("source", choices=sorted(SOURCES))
    follow.add_argument(
        "--url", default=None, help="the feed's base URL (default: the service's own)"
    )
    follow.add_argument("--token", required=True, help="the feed's API token")
    follow.add_argument("--interval", type=_interval, default=DEFAULT_INTERVAL, help="seconds")
    follow.add_argument("--to", default=to, help="the Skywatch server")
    follow.add_argument("--write-token", default=None, help="default: the local write token")


def _stop_on_sigterm() -> None:
    def interrupt(_signal: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def run(args: argparse.Namespace, write_token: Callable[[], str | None]) -> int:
    """Follow until Ctrl-C (or SIGTERM): exit 0 with one line."""
    token = args.write_token or write_token()
    if token is None:
        print(
            "skywatch follow: no write token: pass --write-token or set SKYWATCH_TOKEN",
            file=sys.stderr,
        )
        return 2
    # One line per change of condition, not one per request.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    url = args.url or SOURCES[args.source]

    def now() -> datetime:
        return datetime.now(UTC)

    feed_http = httpx.Client(timeout=FEED_TIMEOUT_SECONDS)
    skywatch_http = httpx.Client(base_url=args.to, timeout=30.0)
    feed: Feed = (
        AlertsInUaFeed(feed_http, url, args.token, now)
        if args.source == "alerts-in-ua"
        else UkraineAlarmFeed(feed_http, url, args.token, now)
    )
    follower = Follower(feed, Skywatch(skywatch_http, token, now), args.interval)
    _stop_on_sigterm()
    log.info("following %s at %s into %s every %g s", args.source, url, args.to, args.interval)
    try:
        while True:
            wait = follower.step()
            time.sleep(wait)
    except KeyboardInterrupt:
        print(f"skywatch follow: stopped; {follower.posted} events posted", file=sys.stderr)
        return 0
    finally:
        feed_http.close()
        skywatch_http.close()
