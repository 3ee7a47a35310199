"""POSTs from the command line that ride out a short outage of the service or its database.

A 503 (database unavailable) is retried after the server's Retry-After, with the same body:
events carry ids, so a retry of a write that did land answers "duplicate" and nothing counts
twice. A failed connection is retried too, but only to a server that answered before in
this run (it is restarting); one that never answered is a wrong address, said at once.
Anything else is the caller's to report.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import httpx

GIVE_UP_AFTER_SECONDS = 120.0
DEFAULT_WAIT_SECONDS = 2.0
MAX_WAIT_SECONDS = 10.0


def _wait_for(response: httpx.Response | None) -> float:
    if response is None:
        return DEFAULT_WAIT_SECONDS
    try:
        return min(float(response.headers.get("retry-after", "")), MAX_WAIT_SECONDS)
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def say_retrying(reason: str) -> None:
    """Tell the operator why the command pauses (on stderr, beside the progress bar)."""
    print(f"\nskywatch: {reason}; retrying", file=sys.stderr, flush=True)


def post_until_answered(
    http: httpx.Client,
    path: str,
    *,
    give_up_after: float = GIVE_UP_AFTER_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[str], None] | None = None,
    reached_before: bool = False,
    **request: Any,
) -> httpx.Response:
    """POST, retrying 503s (and connection failures if `reached_before`) for up to
    `give_up_after` seconds; the last answer (or connection error, raised) when time is up."""
    deadline = time.monotonic() + give_up_after
    while True:
        response: httpx.Response | None = None
        try:
            response = http.post(path, **request)
        except httpx.TransportError as error:
            if not reached_before or time.monotonic() >= deadline:
                raise
            reason = f"{type(error).__name__}"
        else:
            if response.status_code != 503 or time.monotonic() >= deadline:
                return response
            reason = "HTTP 503 (database unavailable)"
        if on_retry is not None:
            on_retry(reason)
        sleep(_wait_for(response))
