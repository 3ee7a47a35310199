# ruff: noqa: RUF001
"""The night and its window (backend/domain/kpszsu/night.py), in Kyiv time, year from issued_at."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from backend.domain.kpszsu.night import NightError, read_night


def test_night_window_start_and_as_of() -> None:
    night = read_night(
        "У ніч на 26 вересня (з 18:00 25 вересня) ... станом на 07:30, збито",
        datetime(2026, 9, 26, 5, tzinfo=UTC),
    )
    assert night.label == date(2026, 9, 26)
    assert night.window_start == datetime(2026, 9, 25, 15, tzinfo=UTC)
    assert night.window_end == datetime(2026, 9, 26, 4, 30, tzinfo=UTC)


def test_winter_time_and_dotted_clocks() -> None:
    night = read_night(
        "В ніч на 9 грудня (із 19.00 8 грудня) Станом на 09.00",
        datetime(2024, 12, 9, 8, tzinfo=UTC),
    )
    assert night.window_start == datetime(2024, 12, 8, 17, tzinfo=UTC)  # UTC+2 in December
    assert night.window_end == datetime(2024, 12, 9, 7, tzinfo=UTC)


def test_the_change_of_year() -> None:
    night = read_night("У ніч на 1 січня (з 18:00 31 грудня)", datetime(2026, 1, 1, 6, tzinfo=UTC))
    assert night.label == date(2026, 1, 1)
    assert night.window_start == datetime(2025, 12, 31, 16, tzinfo=UTC)
    assert night.window_end is None  # no "станом на": not stated


def test_a_post_of_the_new_year_about_the_last_night_of_the_old() -> None:
    night = read_night("У ніч на 31 грудня противник", datetime(2026, 1, 1, 9, tzinfo=UTC))
    assert night.label == date(2025, 12, 31)


def test_a_stated_year_wins() -> None:
    night = read_night(
        "У ніч на 22 грудня 2024 року (із 09.00 21 грудня)", datetime(2026, 5, 1, tzinfo=UTC)
    )
    assert night.label == date(2024, 12, 22)
    assert night.warnings  # far from issued_at: said


@pytest.mark.parametrize("text", ["Сьогодні вночі", "У ніч на 31 вересня противник"])
def test_no_night_or_an_impossible_one(text: str) -> None:
    with pytest.raises(NightError, match="text"):
        read_night(text, datetime(2026, 10, 1, tzinfo=UTC))
