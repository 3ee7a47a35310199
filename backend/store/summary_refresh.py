"""The refresh of marked nights (backend/store/summaries.py), in bulk.

A refresh after a whole import has every night marked: it reads the marked nights' event
groups, reports and alert events in one query each (one per run of consecutive nights for the
alerts), every stored summary from the first marked night on in one more, folds in memory and
writes the summaries back with one executemany. Per night it queries only to read the alert
events of an unmarked night the alerts carry into. (Querying the previous, stored and next
summary per night, as it first did, made the first read after a full import 15-25 s.)
"""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, delete, func, select, text

from backend.domain.alerts import AlertEvent
from backend.domain.nights import night_window
from backend.domain.official import official_of
from backend.domain.reports import StoredReport
from backend.domain.summaries import GroupRow, NightSummary, night_alerts_of, observed_of
from backend.store.alerts import ALERTS_PREDICATE
from backend.store.models import (
    events_table,
    night_dirty_table,
    night_summaries_table,
    reports_table,
)

_T = events_table
_S = night_summaries_table
_D = night_dirty_table
_R = reports_table
UPSERT_SUMMARY = (
    "INSERT INTO night_summaries (night, content) VALUES (:night, :content) "
    "ON CONFLICT (night) DO UPDATE SET content = excluded.content"
)


class Refresh:
    """One refresh: the marked nights and those their alerts carry into, in night order."""

    def __init__(self, conn: Connection, now: datetime, marks: dict[date, str]) -> None:
        self.conn = conn
        self.now = now
        self.marks = marks
        marked = select(_D.c.night).scalar_subquery()
        self.groups = _groups(conn, _T.c.night.in_(marked))
        self.reports = _reports(conn, _R.c.night.in_(marked))
        self.alerts = _alert_events(conn, sorted(marks))
        first = min(marks)
        stored = conn.execute(select(_S.c.night, _S.c.content).where(_S.c.night >= first))
        self.content: dict[date, str] = dict(stored.all())
        before = conn.execute(
            select(_S.c.night, _S.c.content).where(_S.c.night < first).order_by(_S.c.night.desc())
        ).first()
        self.before = None if before is None else NightSummary.decode(before[0], before[1])
        self.summaries: dict[date, NightSummary] = {}
        self.nights = sorted(self.content)

    def summary(self, night: date) -> NightSummary | None:
        """The night's summary as folded so far (None when it has none)."""
        if night not in self.summaries and night in self.content:
            self.summaries[night] = NightSummary.decode(night, self.content[night])
        return self.summaries.get(night)

    def run(self) -> None:
        queue = sorted(self.marks)
        heapq.heapify(queue)
        done: set[date] = set()
        written: dict[date, NightSummary] = {}
        while queue:
            night = heapq.heappop(queue)
            if night in done:
                continue
            done.add(night)
            summary, following = self._fold(night)
            written[night] = summary
            if following is not None and following not in done:
                heapq.heappush(queue, following)
        if written:
            statement = text(UPSERT_SUMMARY).bindparams(bindparam("night", type_=_S.c.night.type))
            rows = [{"night": n, "content": s.encode().decode()} for n, s in written.items()]
            self.conn.execute(statement, rows)
        closed = [
            {"n": night, "t": token}
            for night, token in self.marks.items()
            if night_window(night)[1] <= self.now
        ]
        if closed:
            self.conn.execute(
                delete(_D).where(
                    _D.c.night == bindparam("n", type_=_D.c.night.type),
                    _D.c.token == bindparam("t"),
                ),
                closed,
            )

    def _fold(self, night: date) -> tuple[NightSummary, date | None]:
        """Fold one night again; and the next summarized night when it began from other
        alerts."""
        old = self.summary(night)
        at = bisect.bisect_left(self.nights, night)
        previous = self.summary(self.nights[at - 1]) if at > 0 else self.before
        opened = () if previous is None else previous.alerts.open_at_end
        if night in self.marks:
            events = self.alerts.get(night, [])
        else:
            events = _alert_events(self.conn, [night]).get(night, [])
        alerts = night_alerts_of(events, opened, night_window(night), self.now)
        if night in self.marks or old is None:
            reports = self.reports.get(night, [])
            observed = observed_of(self.groups.get(night, []))
            summary = NightSummary(night, observed, official_of(reports), len(reports), alerts)
        else:
            summary = NightSummary(night, old.observed, old.official, old.reports, alerts)
        if old is None:
            self.nights.insert(at, night)
        self.summaries[night] = summary
        after = bisect.bisect_right(self.nights, night)
        following = self.nights[after] if after < len(self.nights) else None
        if following is None or following in self.marks:
            return summary, None
        began = self.summary(following)
        assert began is not None
        changed = set(began.alerts.open_at_start) != set(alerts.open_at_end)
        return summary, following if changed else None


def _groups(conn: Connection, where: Any) -> dict[date, list[GroupRow]]:
    query = (
        select(
            _T.c.night,
            _T.c.kind,
            _T.c.weapon,
            _T.c.region,
            func.sum(_T.c.count),
            func.count(),
            func.min(_T.c.occurred_at),
            func.max(_T.c.occurred_at),
        )
        .where(_T.c.retracted_seq.is_(None), where)
        .group_by(_T.c.night, _T.c.kind, _T.c.weapon, _T.c.region)
    )
    grouped: dict[date, list[GroupRow]] = defaultdict(list)
    for night, *row in conn.execute(query):
        grouped[night].append(GroupRow(row[0], row[1], row[2], int(row[3]), *row[4:]))
    return grouped


def _reports(conn: Connection, where: Any) -> dict[date, list[StoredReport]]:
    query = select(_R.c.night, _R.c.content, _R.c.retracted_at).where(where)
    grouped: dict[date, list[StoredReport]] = defaultdict(list)
    for night, content, retracted_at in conn.execute(query):
        grouped[night].append(StoredReport(orjson.loads(content), retracted_at is not None))
    return grouped


def _runs(nights: list[date]) -> list[tuple[date, date]]:
    """Consecutive nights joined into runs (one query each)."""
    runs: list[tuple[date, date]] = []
    for night in nights:
        if runs and (night - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], night)
        else:
            runs.append((night, night))
    return runs


def _alert_events(conn: Connection, nights: list[date]) -> dict[date, list[AlertEvent]]:
    """The live alert events of these nights by night, in (occurred_at, seq) order."""
    grouped: dict[date, list[AlertEvent]] = defaultdict(list)
    for first, last in _runs(nights):
        query = (
            select(_T.c.night, _T.c.kind, _T.c.region, _T.c.area, _T.c.occurred_at, _T.c.seq)
            .where(text(ALERTS_PREDICATE), _T.c.retracted_seq.is_(None), _T.c.region.is_not(None))
            .where(_T.c.occurred_at >= night_window(first)[0])
            .where(_T.c.occurred_at < night_window(last)[1])
            .order_by(_T.c.occurred_at, _T.c.seq)
        )
        for night, *row in conn.execute(query):
            grouped[night].append(AlertEvent(*row))
    return grouped
