"""backend/store/alerts.py on both databases: the SQL gives what the domain fold gives, across
nights, without retracted events, and reads the alert index."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects import sqlite

from backend.domain.alerts import AlertEvent, fold_alerts
from backend.domain.nights import night_window
from backend.domain.records import to_row
from backend.domain.schemas import EventIn
from backend.store.alerts import night_alerts, opened_on, opened_query
from tests.helpers.rig import Rig

T0 = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)


async def store(rig: Rig, events: list[dict[str, Any]]) -> None:
    rows = [
        to_row(EventIn.model_validate(event), received_at=datetime.now(UTC)) for event in events
    ]
    await rig.writer.insert(rows, client_ids=[event["id"] for event in events])


def alert(
    event_id: str, kind: str, region: str, at: datetime, area: str | None = None
) -> dict[str, Any]:
    event = {"id": event_id, "kind": kind, "region": region, "occurred_at": at.isoformat()}
    return event if area is None else {**event, "area": area}


async def test_opened_on_equals_the_fold_at_every_instant(rig: Rig) -> None:
    rng = random.Random(5)
    events = []
    for index in range(300):
        at = T0 + timedelta(minutes=rng.randrange(0, 6 * 24 * 60, 30))  # many at one instant
        kind = rng.choice(["alert_start", "alert_start", "alert_end"])
        area = rng.choice([None, None, "Bucha raion", "Irpin hromada"])
        events.append(alert(f"a{index}", kind, rng.choice(["UA-32", "UA-30"]), at, area))
    await store(rig, events)
    for index in range(0, 300, 17):
        await rig.writer.retract(f"a{index}")
    retracted = {f"a{index}" for index in range(0, 300, 17)}
    stored = [
        AlertEvent(
            e["kind"], e["region"], e.get("area"), datetime.fromisoformat(e["occurred_at"]), seq
        )
        for seq, e in enumerate(events, start=1)
        if e["id"] not in retracted
    ]
    stored.sort(key=lambda event: event.order)
    async with rig.engine.connect() as conn:
        for hours in range(0, 7 * 24, 7):
            instant = T0 + timedelta(hours=hours)
            expected = fold_alerts(event for event in stored if event.occurred_at < instant)
            found = await opened_on(conn, instant)
            assert {(a.region, a.area, a.started_at) for a in found} == {
                (a.region, a.area, a.started_at) for a in expected.open.values()
            }


async def test_a_night_lists_alerts_begun_before_it_with_their_real_end(rig: Rig) -> None:
    night = date(2025, 7, 5)
    start, end = night_window(night)
    await store(
        rig,
        [
            alert("long", "alert_start", "UA-09", start - timedelta(days=3)),
            alert("kyiv", "alert_start", "UA-30", start - timedelta(minutes=30)),
            alert("kyiv-end", "alert_end", "UA-30", start + timedelta(minutes=30)),
            alert("local", "alert_start", "UA-63", end - timedelta(hours=1), "Kupiansk raion"),
            alert("local-end", "alert_end", "UA-63", end + timedelta(hours=5), "Kupiansk raion"),
            alert("stray", "alert_end", "UA-46", start + timedelta(hours=2)),
        ],
    )
    body = await night_alerts(rig.engine, night, now=end + timedelta(days=1))
    assert body["intervals"] == [
        {
            "region": "UA-09",
            "area": None,
            "started_at": start - timedelta(days=3),
            "ended_at": None,
        },
        {
            "region": "UA-30",
            "area": None,
            "started_at": start - timedelta(minutes=30),
            "ended_at": start + timedelta(minutes=30),
        },
        {
            "region": "UA-63",
            "area": "Kupiansk raion",
            "started_at": end - timedelta(hours=1),
            "ended_at": end + timedelta(hours=5),
        },
    ]
    minutes = (end - start).total_seconds() / 60
    assert body["alert_minutes"] == {"UA-09": minutes, "UA-30": 30.0, "UA-63": 60.0}
    assert [item["id"] for item in body["unmatched_ends"]] == ["stray"]


async def test_tonight_counts_up_to_now(rig: Rig) -> None:
    night = date(2025, 7, 5)
    start, _ = night_window(night)
    await store(
        rig,
        [
            alert("on", "alert_start", "UA-30", start + timedelta(hours=1)),
            alert("later", "alert_end", "UA-30", start + timedelta(hours=5)),
        ],
    )
    body = await night_alerts(rig.engine, night, now=start + timedelta(hours=3))
    assert body["intervals"][0]["ended_at"] is None  # its end is not yet
    assert body["alert_minutes"] == {"UA-30": 120.0}


async def test_the_alert_index_serves_the_read(rig: Rig) -> None:
    query = opened_query(T0)
    async with rig.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            # An empty table is read whole whatever its indexes: ask whether the index can serve.
            await conn.execute(text("SET enable_seqscan = off"))
            compiled = query.compile(dialect=conn.dialect)
            values = tuple(compiled.params[name] for name in compiled.positiontup or ())
            rows = await conn.exec_driver_sql(f"EXPLAIN {compiled}", values)
        else:
            named = query.compile(dialect=sqlite.dialect(paramstyle="named"))
            binds = (
                bindparam(name, value, type_=named.binds[name].type)
                for name, value in named.params.items()
            )
            rows = await conn.execute(text(f"EXPLAIN QUERY PLAN {named}").bindparams(*binds))
        plan = " ".join(str(row) for row in rows)
    assert "ix_events_alerts_occurred_at" in plan


async def test_what_is_kept_follows_late_reports_and_retractions(rig: Rig) -> None:
    start = night_window(date(2025, 7, 5))[0]

    async def regions() -> list[str]:
        async with rig.engine.connect() as conn:
            return sorted(alert.region for alert in await opened_on(conn, start))

    await store(rig, [alert("a", "alert_start", "UA-30", start - timedelta(hours=2))])
    assert await regions() == ["UA-30"]
    assert await regions() == ["UA-30"]  # again, from what was kept
    await store(rig, [event_of_tonight("t")])  # a change after the instant: nothing to redo
    assert await regions() == ["UA-30"]
    await store(rig, [alert("b", "alert_start", "UA-46", start - timedelta(days=9))])
    assert await regions() == ["UA-30", "UA-46"]
    await rig.writer.retract("a")
    assert await regions() == ["UA-46"]
    await store(rig, [alert("c", "alert_end", "UA-46", start - timedelta(days=1))])
    assert await regions() == []


def event_of_tonight(event_id: str) -> dict[str, Any]:
    at = night_window(date(2025, 7, 5))[0] + timedelta(hours=3)
    return alert(event_id, "alert_start", "UA-63", at)
