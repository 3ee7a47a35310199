"""The HTTP of `skywatch follow`'s feeds: one GET, and what a refusal means.

Every way a feed can fail becomes a FeedFaultError with a state (the follower logs a line when the
state changes) and, for a 429, the wait the feed asked for.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime

import httpx
import orjson

DOWN = "down"
UNAUTHORIZED = "unauthorized"
RATE_LIMITED = "rate-limited"
ERROR = "error"
GARBAGE = "garbage"


class FeedFaultError(Exception):
    """The feed did not give a good answer; nothing is to be concluded from this poll."""

    def __init__(self, state: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.state = state
        self.message = message
        self.retry_after = retry_after


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), None if absent."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def http_date(value: str | None) -> datetime | None:
    """A Last-Modified header as an aware time, None if absent or unreadable."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def get(http: httpx.Client, url: str, headers: dict[str, str]) -> httpx.Response:
    """GET `url`: the answer if 200 or 304, else a FeedFaultError saying why."""
    try:
        response = http.get(url, headers=headers)
    except httpx.TimeoutException:
        raise FeedFaultError(DOWN, f"no answer from {url} in time") from None
    except httpx.TransportError as error:
        raise FeedFaultError(DOWN, f"{url} unreachable ({type(error).__name__})") from None
    status = response.status_code
    if status in (200, 304):
        return response
    if status in (401, 403):
        raise FeedFaultError(UNAUTHORIZED, f"HTTP {status} from {url}: the feed refused the token")
    if status == 429:
        wait = retry_after(response.headers.get("retry-after"))
        said = "" if wait is None else f" (Retry-After {wait:g} s)"
        raise FeedFaultError(RATE_LIMITED, f"HTTP 429 from {url}: too many requests{said}", wait)
    raise FeedFaultError(ERROR, f"HTTP {status} from {url}")


def json_of(response: httpx.Response) -> object:
    """The answer's JSON, else a FeedFaultError (garbage)."""
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        raise FeedFaultError(GARBAGE, f"not JSON: {response.content[:60]!r}") from None
