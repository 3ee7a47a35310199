"""Marked nights folded in the background once the writes to them pause.

A read folds the marked nights before it answers (backend/store/summaries.py). After an
import every night it wrote is marked, and the first reader, often the first person to open
the dashboard after it, waited for them all: 3-4 s for the whole history. The upkeep folds
them itself once the marks of past nights have stood still for a whole period: every write
gives the nights it touches a new token, so marks unchanged over a period mean no write
touched those nights meanwhile, and an import still under way is not slowed by folds of
nights it is about to write again. The running night stays marked while its window is open
(its alert time grows with the clock) and is left to the readers, as before.

Refreshes take their own lock, so the upkeeps of several workers and the readers never fold
the same marks twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.domain.nights import current_night
from backend.store.models import night_dirty_table
from backend.store.summaries import refresh

_D = night_dirty_table
# How long the marks must stand still; a fraction of what the first reader waited.
PERIOD_SECONDS = 2.0
Marks = frozenset[tuple[date, str]]
log = logging.getLogger(__name__)


def settled(before: Marks, now: Marks) -> bool:
    """Past nights are marked, and no write touched them since the previous look."""
    return bool(now) and now == before


async def past_marks(engine: AsyncEngine, today: date) -> Marks:
    """The marks (night, token) of the nights before the running one."""
    async with engine.connect() as conn:
        rows = await conn.execute(select(_D.c.night, _D.c.token).where(_D.c.night < today))
        return frozenset((night, token) for night, token in rows.all())


class SummaryUpkeep:
    """A task that looks at the marks every `period` seconds and folds them once settled."""

    def __init__(self, engine: AsyncEngine, *, period: float = PERIOD_SECONDS) -> None:
        self._engine = engine
        self._period = period
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="summary-upkeep")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        before: Marks = frozenset()
        failing = False
        while True:
            await asyncio.sleep(self._period)
            try:
                now = await past_marks(self._engine, current_night(datetime.now(UTC)))
                if settled(before, now):
                    await refresh(self._engine)
                    now = frozenset()
            except Exception:  # the readers fold what is left; the next look tries again
                if not failing:  # once per outage, not every period
                    log.exception("summary upkeep: folding the marked nights failed")
                failing = True
                now = frozenset()
            else:
                failing = False
            before = now
