"""Posting many records in batches, as `load`, `import-csv` and `import-alerts` do.

Each batch is one atomic POST, retried through a short outage (backend/cli/retry.py); the
first refused batch stops the run with a message naming the records the server named, and
the batches before it stay stored (records carry ids: posting again adds only what is
missing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import orjson

from backend.cli.progress import ProgressBar
from backend.cli.retry import post_until_answered, say_retrying

T = TypeVar("T")


class BatchRefusedError(Exception):
    """The server refused a batch; the message names the records and why."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """How to name what a refused batch held: a record by its index, or the whole batch."""

    label: Callable[[int], str]
    whole: str
    prefix: str = ""


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """The items in slices of `size`, in order."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def describe_refusal(response: httpx.Response, refusal: Refusal) -> str:
    """The server's refusal as lines an operator can act on, one per record it names."""
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = response.text
    if isinstance(detail, list):
        parts = []
        for item in detail:
            index = item.get("index")
            where = refusal.label(index) if isinstance(index, int) else refusal.whole
            parts.append(f"{where}: {item.get('msg')}")
        return "\n".join(parts)
    return f"{refusal.prefix}HTTP {response.status_code}: {detail}"


def post_batches(
    http: httpx.Client,
    path: str,
    items: Sequence[T],
    *,
    token: str,
    size: int,
    bar: ProgressBar,
    body: Callable[[Sequence[T]], object],
    refusal: Callable[[Sequence[T]], Refusal],
) -> tuple[int, int]:
    """POST the items in batches of `size`; (accepted, duplicates). BatchRefusedError when
    the server refuses one (`refusal(batch)` says how to name its records)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    accepted = duplicates = 0
    for batch in batches(items, size):
        response = post_until_answered(
            http,
            path,
            content=orjson.dumps(body(batch)),
            headers=headers,
            on_retry=say_retrying,
            reached_before=accepted + duplicates > 0,
        )
        if response.status_code not in (200, 201):
            raise BatchRefusedError(describe_refusal(response, refusal(batch)))
        answer = response.json()
        accepted += answer["accepted"]
        duplicates += answer["duplicates"]
        bar.advance(len(batch))
    return accepted, duplicates


def post_records(
    records: Sequence[Mapping[str, Any]],
    *,
    url: str,
    path: str,
    token: str,
    size: int,
    noun: str,
    progress: str,
    timeout: float,
    client: httpx.Client | None = None,
) -> tuple[int, int]:
    """post_batches of records that carry their `id`, on `client` or a client of its own,
    with a progress bar: what import-csv and import-alerts post (a refusal names `noun id`)."""
    own_client = client is None
    http = client or httpx.Client(base_url=url, timeout=timeout)
    bar = ProgressBar(len(records), progress)
    try:
        return post_batches(
            http,
            path,
            records,
            token=token,
            size=size,
            bar=bar,
            body=list,
            refusal=lambda batch: Refusal(lambda index: f"{noun} {batch[index]['id']}", "batch"),
        )
    finally:
        bar.close()
        if own_client:
            http.close()
