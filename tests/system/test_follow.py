"""`skywatch follow` keeps a real Skywatch server's alert state equal to a feed's: two followers
at once, through starts, ends, local alerts, a Skywatch restart, every feed fault (no false
end) and a follower restart; each alert stored once. For both sources, on both databases."""

from __future__ import annotations

import itertools
import logging
import time
from collections import Counter
from datetime import datetime
from email.utils import format_datetime

import httpx
import pytest

from tests.helpers.alert_feed_server import Answer, FeedServer, fixture, json_answer
from tests.helpers.follow_rig import FollowerThread, alert_events, alert_state, wait_state
from tests.helpers.server_process import AUTH, ServerProcess

SOURCES = ("alerts-in-ua", "ukrainealarm")
FOLDER = {"alerts-in-ua": "alerts_in_ua", "ukrainealarm": "ukrainealarm"}
# The path polled every time: where the faults are played.
POLLED = {"alerts-in-ua": "/v1/alerts/active.json", "ukrainealarm": "/api/v3/alerts/status"}
TOKENS = ("one", "two")
# Ends whose time the feed states (the rest end at the answer's or the poll's time).
KNOWN_ENDS = {
    "alerts-in-ua": {
        ("UA-30", None): "2025-07-03T21:30:00Z",  # meta.last_updated_at of 03_easing
        ("UA-59", "Шосткинська територіальна громада"): "2025-07-03T21:10:00Z",  # finished_at
        ("UA-12", "Нікопольський район"): "2025-07-04T01:50:00Z",  # after the restart
    },
    "ukrainealarm": {
        ("UA-30", None): "2025-07-03T21:05:00Z",  # the region's lastUpdate, an INFO alert left
        ("UA-59", "Шосткинський район"): "2025-07-03T21:10:00Z",  # listed with no alert
        ("UA-12", "Нікопольський район"): "2025-07-04T01:45:00Z",  # after the restart
    },
}


def play_step(feed: FeedServer, source: str, step: str) -> None:
    """Make the feed answer a recorded step."""
    data = fixture(FOLDER[source], f"{step}.json")
    if source == "alerts-in-ua":
        meta = datetime.strptime(data["meta"]["last_updated_at"], "%Y/%m/%d %H:%M:%S %z")
        modified = format_datetime(meta, usegmt=True)
        feed.play(POLLED[source], json_answer(data, **{"Last-Modified": modified}))
        return
    feed.play("/api/v3/regions", json_answer(fixture("ukrainealarm", "regions.json")))
    feed.play("/api/v3/alerts", json_answer(data["alerts"]))
    feed.play(POLLED[source], json_answer(data["status"]))


def wait_logged(caplog: pytest.LogCaptureFixture, side: str, text: str, count: int) -> None:
    """Wait for `count` lines of `side` ("feed", "skywatch") saying `text`."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lines = [record.getMessage() for record in caplog.records]
        if sum(line.startswith(f"{side}:") and text in line for line in lines) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"fewer than {count} log lines with {text!r}")


def both_poll(feed: FeedServer, source: str, times: int = 2) -> None:
    for token in TOKENS:
        feed.wait_requests(POLLED[source], times, token=token)


def play_faults(feed: FeedServer, source: str, caplog: pytest.LogCaptureFixture) -> None:
    """500, slow, garbage, down, 401: each seen at least twice by both followers."""
    path = POLLED[source]
    good = fixture(FOLDER[source], "02_night.json")
    good_body = json_answer(good if source == "alerts-in-ua" else good["status"]).body
    for answer in (
        Answer(500, b"Internal Server Error"),
        Answer(200, good_body, {"Content-Type": "application/json"}, delay=2.0),
        Answer(200, b"<html><body>502 Bad Gateway</body></html>", {"Content-Type": "text/html"}),
    ):
        feed.play(path, answer)
        both_poll(feed, source)
    feed.stop()
    wait_logged(caplog, "feed", "unreachable (", 2)
    feed.start()
    feed.play(path, Answer(401, b'{"message": "Unauthorized: Incorrect token"}'))
    both_poll(feed, source)
    feed.play(path, Answer(429, b'{"message": "Too many requests"}', {"Retry-After": "1"}))
    both_poll(feed, source, times=1)


def assert_retry_after_honoured(feed: FeedServer, source: str) -> None:
    for token in TOKENS:
        taken = [
            r for r in feed.requests(POLLED[source]) if r.headers["authorization"].endswith(token)
        ]
        after_429 = [(a, b) for a, b in itertools.pairwise(taken) if a.status == 429]
        assert after_429, "no request followed the 429"
        assert all(b.at - a.at >= 0.95 for a, b in after_429)


def assert_each_alert_once(url: str, source: str) -> None:
    events = alert_events(url)
    starts = Counter((e["region"], e["area"]) for e in events if e["kind"] == "alert_start")
    ends = {(e["region"], e["area"]): e["occurred_at"] for e in events if e["kind"] == "alert_end"}
    assert len(starts) == 8, starts
    assert set(starts.values()) == {1}, starts
    assert len(ends) == 7 == sum(e["kind"] == "alert_end" for e in events), ends
    assert set(starts) - set(ends) == {("UA-09", None)}  # Luhansk's permanent alert
    for key, at in KNOWN_ENDS[source].items():
        assert ends[key] == at, key
    night = httpx.get(f"{url}/api/v1/nights/2025-07-04/alerts", headers=AUTH, timeout=10).json()
    assert night["unmatched_ends"] == []


@pytest.mark.parametrize("source", SOURCES)
def test_follow_keeps_skywatch_equal_to_the_feed(
    source: str, server: ServerProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="skywatch.follow")
    expected = fixture(FOLDER[source], "expected.json")
    with FeedServer() as feed:
        play_step(feed, source, "01_quiet")
        followers = [
            FollowerThread(source, feed.url, server.url, feed_token=token).start()
            for token in TOKENS
        ]
        try:
            wait_state(server.url, expected["01_quiet"])
            # Skywatch restarts; alerts begin meanwhile and are posted once it is back.
            server.stop()
            play_step(feed, source, "02_night")
            both_poll(feed, source)
            wait_logged(caplog, "skywatch", "unreachable (", 2)
            server.start(same_port=True)
            wait_state(server.url, expected["02_night"])
            # No fault of the feed ends anything.
            play_faults(feed, source, caplog)
            assert alert_state(server.url) == expected["02_night"]
            play_step(feed, source, "03_easing")
            wait_state(server.url, expected["03_easing"])
            both_poll(feed, source, times=1)  # each one's poll after its 429
        finally:
            for follower in followers:
                follower.stop()
        assert_retry_after_honoured(feed, source)
        if source == "alerts-in-ua":
            assert any(r.status == 304 for r in feed.requests(POLLED[source]))
        # The feed moves on while nobody follows; a new follower catches up.
        play_step(feed, source, "04_all_clear")
        restarted = FollowerThread(source, feed.url, server.url).start()
        try:
            wait_state(server.url, expected["04_all_clear"])
        finally:
            restarted.stop()
    assert_each_alert_once(server.url, source)
    lines = [record.getMessage() for record in caplog.records]
    # One line per change of condition and follower, however many polls it lasted.
    for said in ("HTTP 500", "in time", "not JSON", "unreachable (", "HTTP 401", "HTTP 429"):
        feed_lines = [line for line in lines if line.startswith("feed:") and said in line]
        assert len(feed_lines) == 2, (said, feed_lines)
    assert sum(line == "skywatch: back" for line in lines) == 2
