"""Times and night labels as the wire contract takes them: strict, with a message that says
what is wrong (pydantic alone would take a naive time, or read `0` as 1970)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from backend.domain.nights import night_of

# Times and nights outside these years are refused: they are typos, and at the ends of
# Python's calendar (years 1 and 9999) the night of a time is not even computable.
FIRST_YEAR = 2000
LAST_YEAR = 2999
_YEARS = f"between years {FIRST_YEAR} and {LAST_YEAR}"

# RFC 3339 section 5.6 date-time; the offset is mandatory, "T" may be a space or lower case.
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$"
)


def parse_rfc3339(value: object) -> object:
    """Accept only an RFC 3339 string with an offset; a naive time is an error."""
    if isinstance(value, datetime):
        return value
    return _instant(value)[0]


def rfc3339_utc(value: str) -> tuple[datetime, date]:
    """The UTC instant and the night of what parse_rfc3339 accepts; its ValueError otherwise."""
    _, utc, night = _instant(value)
    return utc, night


def _instant(value: object) -> tuple[datetime, datetime, date]:
    # The time as posted, in UTC, and its night: the checks need all three, and so do callers.
    if not isinstance(value, str):
        raise ValueError("must be an RFC 3339 date-time string, e.g. 2025-07-03T22:15:00+03:00")
    if _RFC3339.match(value) is None:
        raise ValueError(
            "must be an RFC 3339 date-time with an offset (Z or +HH:MM), "
            "e.g. 2025-07-03T22:15:00+03:00; a naive time is ambiguous"
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = _parse_unusual_rfc3339(value)
    # The local year alone is not enough: 2999-12-31T23:59:59-23:59 is in the year 3000 in UTC
    # and in Kyiv, and its night (3000-01-02) would be stored and then refused by every read.
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise ValueError(f"must be {_YEARS}")
    utc = parsed.astimezone(UTC)
    if not FIRST_YEAR <= utc.year <= LAST_YEAR:
        raise ValueError(f"must be {_YEARS} in UTC")
    night = night_of(utc)
    if not FIRST_YEAR <= night.year <= LAST_YEAR:
        raise ValueError(f"must fall in a night {_YEARS}; its night would be {night.isoformat()}")
    return parsed, utc, night


def _parse_unusual_rfc3339(value: str) -> datetime:
    # Lower-case t/z and more than 6 fraction digits are RFC 3339 but not fromisoformat's.
    text = value.replace("t", "T").replace("z", "Z")
    fraction = re.search(r"\.(\d+)", text)
    if fraction and len(fraction.group(1)) > 6:
        # Python keeps microseconds; nanoseconds are cut, not rounded, so order is kept.
        text = text.replace(fraction.group(0), "." + fraction.group(1)[:6])
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"is not a valid date-time: {error}") from None


_NIGHT_LABEL = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_night_label(value: object) -> object:
    """Accept only YYYY-MM-DD: pydantic would otherwise read `0` or `1720000000` as a Unix
    time and answer for a night nobody asked about."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or _NIGHT_LABEL.match(value) is None:
        raise ValueError("must be a night label YYYY-MM-DD, e.g. 2025-07-04")
    if not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
        raise ValueError(f"must be a night {_YEARS}")
    return value
