"""Attack nights: the 12:00-12:00 Kyiv-time window an event is reported in."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")
_NOON = time(12, 0)


def night_of(instant: datetime) -> date:
    """The night label (date of the Kyiv-local morning) for an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("night_of needs a timezone-aware datetime")
    local = instant.astimezone(KYIV)
    if local.time() >= _NOON:
        return local.date() + timedelta(days=1)
    return local.date()


def night_window(night: date) -> tuple[datetime, datetime]:
    """The half-open UTC window [start, end) of a night; DST-correct, so not always 24 h."""
    start = datetime.combine(night - timedelta(days=1), _NOON, tzinfo=KYIV)
    end = datetime.combine(night, _NOON, tzinfo=KYIV)
    return start.astimezone(UTC), end.astimezone(UTC)


def current_night(now: datetime | None = None) -> date:
    """The night that is running now."""
    return night_of(now or datetime.now(UTC))
