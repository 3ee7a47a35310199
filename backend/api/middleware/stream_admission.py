"""At most N websockets at a time between their handshake and their first frame.

Setting a stream up (accept, subscription, snapshot or backlog, first send) is most of what a
viewer costs, and it runs on the event loop that also answers ingest. When many handshakes
arrive together (every screen after a restart, or a client reconnecting as fast as it is
closed) each set-up task is queued at once, and a POST arriving meanwhile waits behind all of
them: measured with 150 handshakes a wave (bench/attacks.py), a single-event POST's p99 went
from about 10 ms to 330-520 ms. Behind this gate the others wait on a semaphore, which costs
nothing, and a POST waits behind at most N set-ups. The total work and the rate at which
streams are set up stay the same.

A stream leaves the gate with its first message sent (the snapshot or backlog frame), its
close or refusal, or the end of its route, whichever comes first; the gate never holds an
open stream. A stream that has waited TURN_WAIT_SECONDS goes ahead without a turn: when the
set-ups in the gate are stuck (a database that hangs), the gate is about fairness, not a
reason to hold viewers who need nothing of what they wait on.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TURN_WAIT_SECONDS = 10.0
# The messages after which a stream is set up (or refused): it leaves the gate.
_SET_UP = frozenset({"websocket.send", "websocket.close", "websocket.http.response.start"})


class StreamAdmission:
    """ASGI middleware letting `at_once` websockets set up at a time; the rest wait in turn."""

    def __init__(self, app: ASGIApp, *, at_once: int) -> None:
        self.app = app
        self.at_once = at_once
        # Per event loop: an asyncio semaphore belongs to the loop it first waits on, and one
        # app may be served by several loops in turn (test clients).
        self._gates: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    def _gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            self._gates = {k: v for k, v in self._gates.items() if not k.is_closed()}
            gate = self._gates[loop] = asyncio.Semaphore(self.at_once)
        return gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass HTTP on; hold a websocket's turn from its arrival to its first frame."""
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        gate = self._gate()
        try:
            async with asyncio.timeout(TURN_WAIT_SECONDS):
                await gate.acquire()
            holding = True
        except TimeoutError:
            holding = False

        def leave() -> None:
            nonlocal holding
            if holding:
                holding = False
                gate.release()

        async def leaving_send(message: Message) -> None:
            if message["type"] in _SET_UP:
                leave()
            await send(message)

        try:
            await self.app(scope, receive, leaving_send)
        finally:
            leave()
