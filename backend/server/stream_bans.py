"""Addresses that broke the websocket protocol, kept from opening new streams for a while.

The service never reads what a client sends on a stream, and no page of ours sends more than
a close: a message over SKYWATCH_WS_MAX_BYTES (1009) or a malformed frame (1002, 1007) is an
attacker's. Closing that one connection bounds memory, but a flood of such connections,
each reconnecting at once, makes the worker spend its time on handshakes and snapshots ahead
of ingest (docs/reliability.md, "Attacks"). So after a violation the address's next
websocket handshakes are refused with 429 before any websocket is set up: no handshake, no
snapshot, no frame read, and a second late (http_protocol.py), so that an attacker who
reconnects the moment it is refused no longer sets the pace. Its HTTP requests are
untouched (the same address may be a writer), and its streams already open stay open.

Keyed by the peer address (`skywatch serve` trusts no forwarding headers): behind a proxy
every viewer shares the proxy's address, so there set SKYWATCH_WS_BAN_SECONDS=0 and limit in
the proxy (docs/operations.md). At most CAPACITY addresses are kept, the oldest ban dropped
first, so an attacker with many addresses cannot grow the table.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache

from backend.config import Settings

log = logging.getLogger(__name__)
CAPACITY = 10_000


class StreamBans:
    """Per-address bans from new websocket streams, each for a fixed time after a violation."""

    def __init__(
        self,
        seconds: float,
        capacity: int = CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.capacity = capacity
        self._clock = clock
        self._until: OrderedDict[str, float] = OrderedDict()

    def ban(self, address: str, why: str) -> None:
        """Keep `address` from new streams for the next `seconds` (a no-op when 0)."""
        if self.seconds <= 0:
            return
        now = self._clock()
        if self._until.pop(address, 0.0) <= now:
            log.warning(
                "%s broke the websocket protocol (%s): its new streams are refused for %g s",
                address,
                why,
                self.seconds,
            )
        self._until[address] = now + self.seconds
        while len(self._until) > self.capacity:
            self._until.popitem(last=False)

    def retry_after(self, address: str) -> int:
        """Whole seconds until `address` may open a stream again; 0 if it may now."""
        until = self._until.get(address)
        if until is None:
            return 0
        left = until - self._clock()
        if left <= 0:
            del self._until[address]
            return 0
        return max(1, math.ceil(left))

    def __len__(self) -> int:
        return len(self._until)


def peer_address(client: tuple[str, int] | None) -> str:
    """The address a ban is kept under, from a protocol's `client` (host, port)."""
    return client[0] if client else ""


@lru_cache(maxsize=1)
def process_stream_bans() -> StreamBans:
    """This worker's bans, with SKYWATCH_WS_BAN_SECONDS from its environment."""
    return StreamBans(Settings().ws_ban_seconds)
