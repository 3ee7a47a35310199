"""Read side of the store: event queries, the JSON Lines recording, stats and nights."""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Engine, Select, case, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from backend.domain.alerts import OpenAlert
from backend.domain.nights import night_window
from backend.domain.ranges import listing_row
from backend.domain.records import dumps, record_of
from backend.domain.summaries import NightSummary
from backend.domain.tallies import FoldRow, Tally, fold
from backend.store.alerts import opened_on
from backend.store.models import events_table
from backend.store.offload import off_loop
from backend.store.read_worker import ReadWorker
from backend.store.summaries import all_summaries, opened_from_summaries

_T = events_table
P = TypeVar("P")
_STREAM_PAGE = 2_000
# A page of events this long or shorter is read and encoded in the server; a longer one in
# the read worker (store/read_worker.py), which costs a process hop and a pickled answer.
NEAR_PAGE = 500
# Per engine: night -> (the summary a GET /nights row was made from, the row).
_LISTED: weakref.WeakKeyDictionary[
    Engine, dict[date, tuple[NightSummary, dict[str, Any] | None]]
] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Filters of GET /events; None means no filter on that field."""

    night: date | None = None
    kind: str | None = None
    weapon: str | None = None
    region: str | None = None
    since: int | None = None


def _filtered(query: Select[Any], where: EventFilter) -> Select[Any]:
    if where.night is not None:
        query = query.where(_T.c.night == where.night)
    if where.kind is not None:
        query = query.where(_T.c.kind == where.kind)
    if where.weapon is not None:
        query = query.where(_T.c.weapon == where.weapon)
    if where.region is not None:
        query = query.where(_T.c.region == where.region)
    if where.since is not None:
        query = query.where(_T.c.seq > where.since)
    return query


async def list_events(
    engine: AsyncEngine, where: EventFilter, *, limit: int
) -> list[dict[str, Any]]:
    """Up to `limit` records matching the filter, in seq order."""
    query = _filtered(select(_T), where).order_by(_T.c.seq).limit(limit)
    async with engine.connect() as conn:
        result = await conn.execute(query)
        # The rows are fetched; turning 10,000 of them into records is done off the loop.
        return await off_loop(lambda: [record_of(row) for row in result.mappings()])


@dataclass(frozen=True, slots=True)
class EncodedPage:
    """Records encoded as the API sends them: a JSON array, or JSON Lines."""

    body: bytes
    count: int
    last_seq: int | None


def _encoded(page: list[dict[str, Any]], lines: bool) -> EncodedPage:
    body = b"".join(dumps(record) + b"\n" for record in page) if lines else dumps(page)
    return EncodedPage(body, len(page), page[-1]["seq"] if page else None)


async def encoded_events(
    engine: AsyncEngine, where: EventFilter, *, limit: int, lines: bool = False
) -> EncodedPage:
    """Up to `limit` records matching the filter, in seq order, encoded on this engine."""
    return _encoded(await list_events(engine, where, limit=limit), lines)


async def events_page(
    engine: AsyncEngine, reads: ReadWorker, where: EventFilter, *, limit: int, lines: bool = False
) -> EncodedPage:
    """encoded_events(): a short answer read here, a long one in the read worker."""
    if limit > NEAR_PAGE and await _more_than(engine, where, NEAR_PAGE):
        return await reads.run(partial(encoded_events, where=where, limit=limit, lines=lines))
    return await encoded_events(engine, where, limit=limit, lines=lines)


async def _more_than(engine: AsyncEngine, where: EventFilter, count: int) -> bool:
    # Counted in the database, no rows built: the first `count` + 1 matches at most.
    matches = _filtered(select(_T.c.seq), where).order_by(_T.c.seq).limit(count + 1)
    async with engine.connect() as conn:
        found = await conn.scalar(select(func.count()).select_from(matches.subquery()))
    return (found or 0) > count


# A page read for _paged: (the page, how many records it holds, the last one's seq).
PageRead = Callable[[EventFilter, int], Awaitable[tuple[P, int, int | None]]]


async def _paged(read: PageRead[P], where: EventFilter, limit: int | None) -> AsyncIterator[P]:
    """The non-empty pages `read` gives in seq order, each after the last one's seq, until a
    short page or `limit` records: any number of records, one page in memory."""
    remaining = limit
    while remaining is None or remaining > 0:
        size = _STREAM_PAGE if remaining is None else min(_STREAM_PAGE, remaining)
        page, count, last_seq = await read(where, size)
        if count:
            yield page
        if count < size:
            return
        where = replace(where, since=last_seq)
        if remaining is not None:
            remaining -= count


async def events_lines(
    engine: AsyncEngine, reads: ReadWorker, where: EventFilter, *, limit: int | None = None
) -> AsyncIterator[bytes]:
    """Every matching record as JSON Lines, a page at a time (memory stays flat)."""

    async def read(page_where: EventFilter, size: int) -> tuple[bytes, int, int | None]:
        page = await events_page(engine, reads, page_where, limit=size, lines=True)
        return page.body, page.count, page.last_seq

    async for body in _paged(read, where, limit):
        yield body


async def iter_events(
    engine: AsyncEngine, where: EventFilter, *, limit: int | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Every matching record in seq order, read page by page so memory stays flat."""

    async def read(
        page_where: EventFilter, size: int
    ) -> tuple[list[dict[str, Any]], int, int | None]:
        page = await list_events(engine, page_where, limit=size)
        return page, len(page), page[-1]["seq"] if page else None

    async for page in _paged(read, where, limit):
        for record in page:
            yield record


async def tally(
    engine: AsyncEngine,
    *,
    nights: tuple[date, date] | None = None,
    between: tuple[datetime, datetime] | None = None,
) -> Tally:
    """Fold of the live (not retracted) events of a night range or a time range."""
    async with engine.connect() as conn:
        return await tally_on(conn, nights=nights, between=between)


async def tally_on(
    conn: AsyncConnection,
    *,
    nights: tuple[date, date] | None = None,
    between: tuple[datetime, datetime] | None = None,
    opened: Sequence[OpenAlert] | None = None,
) -> Tally:
    """The same fold, read on a connection the caller holds (for a consistent snapshot).

    Alert state is continuous: the fold starts from the alerts on when the range begins
    (`opened` when the caller knows them).
    """
    query = select(
        _T.c.kind, _T.c.weapon, _T.c.count, _T.c.region, _T.c.occurred_at, _T.c.seq, _T.c.area
    )
    query = query.where(_T.c.retracted_seq.is_(None))
    begins: datetime | None = None
    if nights is not None:
        query = query.where(_T.c.night.between(*nights))
        begins = night_window(nights[0])[0]
    if between is not None:
        query = query.where(_T.c.occurred_at.between(*between))
        begins = between[0] if begins is None else max(begins, between[0])
    if opened is None:
        opened = [] if begins is None else await opened_on(conn, begins)
    query = query.order_by(_T.c.occurred_at, _T.c.seq)
    result = await conn.execute(query)
    # Years of events fold for seconds: off the loop, so writes and streams go on meanwhile.
    return await off_loop(lambda: fold((FoldRow(*row) for row in result), opened))


async def night_tally(engine: AsyncEngine, night: date) -> Tally:
    """tally() of one night, starting from the alerts its summary began with when current."""
    async with engine.connect() as conn:
        opened = await opened_from_summaries(conn, night)
        return await tally_on(conn, nights=(night, night), opened=opened)


def _sum_of(kind: str) -> Any:
    return func.coalesce(func.sum(case((_T.c.kind == kind, _T.c.count), else_=0)), 0)


async def nights(engine: AsyncEngine) -> list[dict[str, Any]]:
    """Every night in the store with its totals, oldest first."""
    query = (
        select(
            _T.c.night,
            func.count().label("events"),
            _sum_of("launch").label("launched"),
            _sum_of("shot_down").label("shot_down"),
            _sum_of("suppressed").label("suppressed"),
            _sum_of("impact").label("impacts"),
            _sum_of("debris").label("debris"),
            func.min(_T.c.occurred_at).label("first_at"),
            func.max(_T.c.occurred_at).label("last_at"),
        )
        .where(_T.c.retracted_seq.is_(None))
        .group_by(_T.c.night)
        .order_by(_T.c.night)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).mappings().all()
    return [{**row, "events": int(row["events"])} for row in rows]


async def nights_listing(engine: AsyncEngine) -> list[dict[str, Any]]:
    """GET /nights: every night with events or reports, oldest first, observed and official.

    Read from the per-night summaries (backend/store/summaries.py), never from the events.
    The summary's own fields stay the observed totals (what they always were); `observed`
    repeats them as one object and `official` is the night's reports summed over weapons.
    A night with reports and no events has zero observed totals and null first_at/last_at.
    """
    kept = _LISTED.setdefault(engine.sync_engine, {})
    rows = []
    for summary in await all_summaries(engine):
        # all_summaries gives the same object while the stored summary is unchanged.
        found = kept.get(summary.night)
        if found is None or found[0] is not summary:
            found = kept[summary.night] = (summary, listing_row(summary))
        if found[1] is not None:
            rows.append(found[1])
    return rows


async def ping(engine: AsyncEngine) -> None:
    """Raise unless the database answers a trivial query."""
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
