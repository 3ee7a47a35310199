"""Element ids on the page: part of the contract (browser tests and other tools use them)."""

from __future__ import annotations

DRONES_LAUNCHED = "count-drones-launched"
MISSILES_LAUNCHED = "count-missiles-launched"
SHOT_DOWN = "count-shot-down"
SUPPRESSED = "count-suppressed"
NEUTRALIZED_RATE = "count-neutralized-rate"
IMPACTS = "count-impacts"
CONNECTION_STATUS = "connection-status"
NIGHT_LABEL = "night-label"
KYIV_TIME = "kyiv-time"
NIGHT_PICKER = "night-picker"
TALLIES = "interception-table"
MAP = "city-map"
TIMELINE = "timeline"
FEED = "event-feed"
URL = "url"
REPLAY_START = "replay-start"
REPLAY_BAR = "replay-bar"
REPLAY_BANNER = "replay-banner"
REPLAY_PLAY = "replay-play"
REPLAY_SPEED = "replay-speed"
REPLAY_SLIDER = "replay-slider"
REPLAY_POSITION = "replay-position"
REPLAY_EXIT = "replay-exit"

TALLIES_SOURCE = "interception-source"

COUNTERS = (DRONES_LAUNCHED, MISSILES_LAUNCHED, SHOT_DOWN, SUPPRESSED, NEUTRALIZED_RATE, IMPACTS)


def counter_label(counter: str) -> str:
    """The id of a counter's label (what it counts: "Places hit" once a report gives it)."""
    return f"{counter}-label"


def counter_source(counter: str) -> str:
    """The id of a counter's caption: where its number comes from ("Air Force report, 09:15")."""
    return f"{counter}-source"


# Added with issue 14 (README, "Element ids").
LAST_EVENT = "last-event"
LAST_EVENT_AGO = "last-event-ago"
EMPTY_STATE = "empty-state"
ALERT_COUNT = "alert-count"
ALERT_LIST = "alert-list"
LANGUAGE = "language-toggle"
PAGE_TEXTS = "page-texts"
