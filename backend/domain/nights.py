"""Attack nights: the 12:00-12:00 Kyiv-time window an event is reported in."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")
_NOON = time(12, 0)


def night_of(instant: datetime) -> date:
    """The night label (date of the Kyiv-local morning) for an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("night_of needs a timezone-aware datetime")
    # Kyiv's offset has been a whole number of hours since 1924, so noon and every clock change
    # fall on a UTC hour: the label of the hour's start is the label of every instant in it.
    return _night_of_utc_hour(int(instant.timestamp()) // 3600)


@lru_cache(maxsize=8192)
def _night_of_utc_hour(hour: int) -> date:
    local = datetime.fromtimestamp(hour * 3600, UTC).astimezone(KYIV)
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
