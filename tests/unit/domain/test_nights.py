"""Night labels with real Kyiv time-zone rules, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from backend.domain.nights import KYIV, current_night, night_of, night_window


@pytest.mark.parametrize(
    ("local", "night"),
    [
        (datetime(2025, 7, 3, 22, 0), date(2025, 7, 4)),
        (datetime(2025, 7, 4, 11, 59, 59), date(2025, 7, 4)),
        (datetime(2025, 7, 4, 12, 0), date(2025, 7, 5)),
        (datetime(2025, 7, 3, 12, 0), date(2025, 7, 4)),
        (datetime(2025, 12, 31, 23, 0), date(2026, 1, 1)),
    ],
)
def test_night_of_kyiv_local_times(local: datetime, night: date) -> None:
    assert night_of(local.replace(tzinfo=KYIV)) == night


def test_offset_of_the_input_does_not_matter() -> None:
    # 09:30 UTC is 12:30 in Kyiv in summer (UTC+3): already the next night.
    assert night_of(datetime(2025, 7, 4, 9, 30, tzinfo=UTC)) == date(2025, 7, 5)
    # The same wall time in winter (UTC+2) is 11:30 in Kyiv: still the night of the 4th.
    assert night_of(datetime(2025, 1, 4, 9, 30, tzinfo=UTC)) == date(2025, 1, 4)
    assert night_of(datetime(2025, 7, 4, 5, 0, tzinfo=timezone(timedelta(hours=-7)))) == date(
        2025, 7, 5
    )


def test_nights_across_daylight_saving_changes_are_23_and_25_hours() -> None:
    # Kyiv moved clocks forward on 2025-03-30 and back on 2025-10-26.
    spring_start, spring_end = night_window(date(2025, 3, 30))
    autumn_start, autumn_end = night_window(date(2025, 10, 26))
    assert spring_end - spring_start == timedelta(hours=23)
    assert autumn_end - autumn_start == timedelta(hours=25)
    assert night_of(autumn_end - timedelta(microseconds=1)) == date(2025, 10, 26)
    assert night_of(autumn_end) == date(2025, 10, 27)
    # 03:30 local exists twice in the autumn night; both belong to it.
    first = datetime(2025, 10, 26, 3, 30, tzinfo=KYIV, fold=0)
    second = datetime(2025, 10, 26, 3, 30, tzinfo=KYIV, fold=1)
    assert first.astimezone(UTC) != second.astimezone(UTC)
    assert night_of(first) == night_of(second) == date(2025, 10, 26)


def test_window_is_noon_to_noon() -> None:
    start, end = night_window(date(2025, 7, 4))
    assert start == datetime(2025, 7, 3, 9, 0, tzinfo=UTC)
    assert end == datetime(2025, 7, 4, 9, 0, tzinfo=UTC)


def test_naive_is_refused_and_current_night_follows_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        night_of(datetime(2025, 7, 4))
    assert current_night(datetime(2025, 7, 4, 1, 0, tzinfo=UTC)) == date(2025, 7, 4)
