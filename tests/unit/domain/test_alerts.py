"""The pure alert-state model: full and partial, duplicate starts, unmatched ends, order."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from backend.domain.alert_wire import state_of
from backend.domain.alerts import (
    AlertBook,
    AlertEvent,
    Interval,
    OpenAlert,
    alert_minutes,
    fold_alerts,
)

T0 = datetime(2025, 7, 4, 8, 30, tzinfo=UTC)  # 11:30 Kyiv time, half an hour before noon
HOUR = timedelta(hours=1)


def start(seq: int, region: str, hours: float = 0, area: str | None = None) -> AlertEvent:
    return AlertEvent("alert_start", region, area, T0 + hours * HOUR, seq)


def end(seq: int, region: str, hours: float = 0, area: str | None = None) -> AlertEvent:
    return AlertEvent("alert_end", region, area, T0 + hours * HOUR, seq)


def test_a_whole_oblast_alert_is_full_since_its_start_until_its_end() -> None:
    fold = fold_alerts([start(1, "UA-63")])
    assert state_of(fold) == [{"region": "UA-63", "state": "full", "since": T0, "areas": []}]
    fold.step(end(2, "UA-63", 2))
    assert state_of(fold) == []
    assert fold.intervals() == [Interval("UA-63", None, T0, T0 + 2 * HOUR)]


def test_local_alerts_make_a_region_partial_since_the_earliest_open_one() -> None:
    fold = fold_alerts(
        [
            start(1, "UA-63", 0, "Chuhuiv raion"),
            start(2, "UA-63", 1, "Kupiansk raion"),
            end(3, "UA-63", 2, "Chuhuiv raion"),
        ]
    )
    assert state_of(fold) == [
        {"region": "UA-63", "state": "partial", "since": T0 + HOUR, "areas": ["Kupiansk raion"]}
    ]


def test_a_whole_oblast_end_leaves_local_alerts_on() -> None:
    fold = fold_alerts(
        [
            start(1, "UA-63", 0, "Kupiansk raion"),
            start(2, "UA-63", 1),
            end(3, "UA-63", 2),
        ]
    )
    [state] = fold.regions().values()
    assert (state.state, state.since, state.areas) == ("partial", T0, ("Kupiansk raion",))


def test_full_counts_from_the_whole_oblast_alert_and_lists_local_areas() -> None:
    fold = fold_alerts([start(1, "UA-63", 0, "Kupiansk raion"), start(2, "UA-63", 1)])
    [state] = fold.regions().values()
    assert (state.state, state.since, state.areas) == ("full", T0 + HOUR, ("Kupiansk raion",))


def test_a_duplicate_start_keeps_the_first_start() -> None:
    fold = fold_alerts([start(1, "UA-30"), start(2, "UA-30", 1), end(3, "UA-30", 2)])
    assert fold.duplicates == 1
    assert fold.intervals() == [Interval("UA-30", None, T0, T0 + 2 * HOUR)]


def test_an_end_with_no_alert_on_is_unmatched_and_changes_nothing() -> None:
    stray = end(2, "UA-46", 1)
    fold = fold_alerts([start(1, "UA-30"), stray, end(3, "UA-30", 2, "Obolon")])
    assert [event.seq for event in fold.unmatched] == [2, 3]
    assert list(fold.regions()) == ["UA-30"]


def test_same_instant_goes_by_seq() -> None:
    # Ended and started again at one instant: the order stored decides.
    assert state_of(fold_alerts([end(1, "UA-30"), start(2, "UA-30")]))[0]["region"] == "UA-30"
    ended = fold_alerts([start(1, "UA-30"), end(2, "UA-30")])
    assert state_of(ended) == []


def test_alerts_on_before_the_first_event_carry_on_and_end() -> None:
    before = OpenAlert("UA-63", None, T0 - 48 * HOUR, 1)
    fold = fold_alerts([end(5, "UA-63", 3)], [before])
    assert fold.unmatched == []
    assert fold.intervals() == [Interval("UA-63", None, T0 - 48 * HOUR, T0 + 3 * HOUR)]
    assert state_of(fold_alerts([], [before]))[0]["since"] == T0 - 48 * HOUR


def test_the_book_gives_the_same_state_in_any_arrival_order() -> None:
    rng = random.Random(11)
    events = []
    for seq in range(1, 201):
        kind = rng.choice(["alert_start", "alert_end"])
        area = rng.choice([None, None, "Bucha raion", "Irpin hromada"])
        at = T0 + timedelta(minutes=rng.randint(0, 600))
        events.append(AlertEvent(kind, rng.choice(["UA-30", "UA-32"]), area, at, seq))
    expected = fold_alerts(sorted(events, key=lambda event: event.order))
    for _ in range(5):
        book = AlertBook()
        for event in rng.sample(events, len(events)):
            book.apply(event)
        assert book.fold.regions() == expected.regions()
        assert book.fold.intervals() == expected.intervals()
        assert book.fold.unmatched == expected.unmatched


def test_a_copy_of_the_book_is_independent() -> None:
    book = AlertBook()
    book.apply(start(1, "UA-30"))
    copy = book.copy()
    book.apply(end(2, "UA-30", 1))
    assert list(copy.fold.regions()) == ["UA-30"]
    assert list(book.fold.regions()) == []


def test_alert_minutes_count_overlaps_once_inside_the_window() -> None:
    window = (T0, T0 + 24 * HOUR)
    intervals = [
        Interval("UA-63", None, T0 - 10 * HOUR, T0 + HOUR),  # began before the window
        Interval("UA-63", "Kupiansk raion", T0 + 0.5 * HOUR, T0 + 2 * HOUR),  # overlaps it
        Interval("UA-30", None, T0 + 23 * HOUR, None),  # still on at the window's end
    ]
    assert alert_minutes(intervals, *window) == {"UA-30": 60.0, "UA-63": 120.0}
