# The Air Force writes in Ukrainian: Cyrillic letters that look like Latin ones are expected.
# ruff: noqa: RUF001, RUF002
"""The night a post reports and its window, from "У ніч на 26 вересня (з 18:00 25 вересня)"
and "станом на 07:30", in Kyiv time.

The post names no year (unless it says "2024 року"): the night is the latest of that date
on or before the day after the post was issued (a post reports a night that is over), and
the window's start the latest of its date on or before the night; so a post of 1 January
about "у ніч на 1 січня" is of the new year and "(з 18:00 31 грудня)" of the old one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from backend.domain.nights import KYIV

MONTHS = {
    "січня": 1,
    "лютого": 2,
    "березня": 3,
    "квітня": 4,
    "травня": 5,
    "червня": 6,
    "липня": 7,
    "серпня": 8,
    "вересня": 9,
    "жовтня": 10,
    "листопада": 11,
    "грудня": 12,
}
_MONTH = "(" + "|".join(MONTHS) + ")"
_CLOCK = r"(\d{1,2})[:.](\d{2})"
_NIGHT = re.compile(
    rf"\b[ув]\s+ніч\s+на\s+(\d{{1,2}})\s+{_MONTH}(?:\s+(\d{{4}})\s*(?:року|р\.)?)?", re.I
)
_START = re.compile(rf"\(\s*(?:з|із|зі|від)\s+{_CLOCK}\s+(\d{{1,2}})\s+{_MONTH}", re.I)
_AS_OF = re.compile(rf"станом\s+на\s+{_CLOCK}", re.I)


class NightError(ValueError):
    """The text names no night, or one that does not exist (31 вересня)."""


@dataclass(frozen=True, slots=True)
class Night:
    """The night's label and the window the post's figures cover (None when not stated)."""

    label: date
    window_start: datetime | None
    window_end: datetime | None
    warnings: tuple[str, ...] = ()


def has_night(text: str) -> bool:
    """Whether the text says which night it reports ("у ніч на 26 вересня")."""
    return _NIGHT.search(text) is not None


def _latest(day: int, month: int, until: date) -> date:
    """The latest `day month` on or before `until` (a post reports a night that is over)."""
    for year in (until.year, until.year - 1, until.year - 2, until.year - 3, until.year - 4):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 лютого outside a leap year
        if candidate <= until:
            return candidate
    raise NightError(f"text: there is no day {day} in month {month}")


def _at(day: date, hour: str, minute: str) -> datetime | None:
    try:
        clock = time(int(hour), int(minute))
    except ValueError:
        return None
    return datetime.combine(day, clock, tzinfo=KYIV).astimezone(UTC)


def read_night(text: str, issued_at: datetime) -> Night:
    """The night of the post (its morning's date), its window start and its as-of time."""
    match = _NIGHT.search(text)
    if match is None:
        raise NightError('text: names no night (expected "У ніч на <day> <month>")')
    day, month = int(match.group(1)), MONTHS[match.group(2).lower()]
    around = issued_at.astimezone(KYIV).date()
    if match.group(3):
        try:
            label = date(int(match.group(3)), month, day)
        except ValueError:
            raise NightError(f"text: {match.group(0)!r} is not a date") from None
    else:
        # A day of grace: a post issued late in the evening may already name the next night.
        label = _latest(day, month, around + timedelta(days=1))
    warnings: list[str] = []
    if abs((label - around).days) > 3:
        warnings.append(f"the night {label} is more than 3 days from issued_at ({around})")
    start = _window_start(text[match.end() :], label, warnings)
    as_of = _AS_OF.search(text)
    end = _at(label, as_of.group(1), as_of.group(2)) if as_of else None
    if start is not None and end is not None and end < start:
        warnings.append("the 'станом на' time is before the window's start: window_end left out")
        end = None
    return Night(label, start, end, tuple(warnings))


def _window_start(after: str, label: date, warnings: list[str]) -> datetime | None:
    """ "(з 18:00 25 вересня)" right after the night: the evening before, or close to it."""
    match = _START.match(after.lstrip(" ,"))
    if match is None:
        return None
    hour, minute, day, month = match.group(1), match.group(2), int(match.group(3)), match.group(4)
    try:
        evening = _latest(day, MONTHS[month.lower()], label)
    except NightError:
        evening = None
    if evening is None or not timedelta(0) <= label - evening <= timedelta(days=2):
        warnings.append(f"the window's start {match.group(0)[1:]!r} is not the evening before")
        return None
    return _at(evening, hour, minute)
