"""Bans from new streams: how long they last, what they cost, what they log."""

from __future__ import annotations

import logging

import pytest

from backend.server.stream_bans import StreamBans, peer_address
from tests.helpers.clock import ManualClock


def test_a_ban_lasts_its_seconds_and_names_the_wait_in_whole_seconds() -> None:
    clock = ManualClock(100.0)
    bans = StreamBans(30, clock=clock)
    assert bans.retry_after("10.0.0.1") == 0
    bans.ban("10.0.0.1", "closed 1009")
    assert bans.retry_after("10.0.0.1") == 30
    assert bans.retry_after("10.0.0.2") == 0  # only the offender
    clock.now += 29.5
    assert bans.retry_after("10.0.0.1") == 1  # never 0 while it holds
    clock.now += 0.5
    assert bans.retry_after("10.0.0.1") == 0
    assert len(bans) == 0  # an expired ban is forgotten


def test_a_further_violation_renews_the_ban() -> None:
    clock = ManualClock(100.0)
    bans = StreamBans(10, clock=clock)
    bans.ban("10.0.0.1", "closed 1009")
    clock.now += 8
    bans.ban("10.0.0.1", "closed 1009")
    clock.now += 8
    assert bans.retry_after("10.0.0.1") == 2


def test_no_seconds_means_no_bans() -> None:
    bans = StreamBans(0)
    bans.ban("10.0.0.1", "closed 1009")
    assert bans.retry_after("10.0.0.1") == 0
    assert len(bans) == 0


def test_the_table_never_holds_more_than_its_capacity_dropping_the_oldest() -> None:
    bans = StreamBans(60, capacity=3, clock=ManualClock(100.0))
    for n in range(10):
        bans.ban(f"10.0.0.{n}", "closed 1009")
    assert len(bans) == 3
    assert [bans.retry_after(f"10.0.0.{n}") > 0 for n in range(10)] == [False] * 7 + [True] * 3


def test_one_line_is_logged_when_a_ban_begins_not_per_violation(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = ManualClock(100.0)
    bans = StreamBans(10, clock=clock)
    with caplog.at_level(logging.WARNING, logger="backend.server.stream_bans"):
        for _ in range(50):
            bans.ban("10.0.0.1", "closed 1009")
        clock.now += 11
        bans.ban("10.0.0.1", "closed 1002")
    assert len(caplog.records) == 2
    assert "10.0.0.1" in caplog.records[0].getMessage()
    assert "1002" in caplog.records[1].getMessage()


def test_a_ban_is_kept_under_the_peers_host_whatever_its_port() -> None:
    assert peer_address(("10.0.0.1", 50123)) == peer_address(("10.0.0.1", 50124)) == "10.0.0.1"
    assert peer_address(None) == ""
