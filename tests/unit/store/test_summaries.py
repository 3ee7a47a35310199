"""backend/store/summaries.py on both databases: after random writes in random order (late
alert events of earlier nights, retractions, reports, corrections and their retractions),
every night's summary and every range's sums equal a full refold of the events and reports."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from backend.domain.nights import night_window
from backend.domain.ranges import range_stats
from backend.domain.records import to_row
from backend.domain.reports import ReportIn
from backend.domain.schemas import EventIn
from backend.domain.tallies import stats_of
from backend.store.alerts import night_alerts, opened_on
from backend.store.queries import night_tally, tally
from backend.store.reports import official, retract_report, store_reports
from backend.store.summaries import opened_from_summaries, summaries_in
from tests.helpers.rig import Rig

FIRST = date(2025, 7, 1)
NIGHTS = [FIRST + timedelta(days=offset) for offset in range(8)]
REGIONS = ("UA-30", "UA-32", "UA-46", "UA-63")
WEAPONS = ("drone", "cruise_missile", "ballistic_missile")
FIGURE_KINDS = ("launch", "shot_down", "suppressed", "impact", "debris")


def random_event(rng: random.Random, index: int, nights: list[date]) -> dict[str, Any]:
    night = rng.choice(nights)
    start, end = night_window(night)
    at = start + (end - start) * rng.random()
    event: dict[str, Any] = {"id": f"e{index}", "occurred_at": at.isoformat()}
    if rng.random() < 0.5:
        event |= {"kind": rng.choice(("alert_start", "alert_end")), "region": rng.choice(REGIONS)}
        if rng.random() < 0.3:
            event["area"] = rng.choice(("Buchanskyi raion", "Obukhivskyi raion"))
        return event
    kind = rng.choice(FIGURE_KINDS)
    event |= {"kind": kind, "count": rng.randint(1, 20), "region": rng.choice(REGIONS)}
    if kind != "debris":
        event["weapon"] = rng.choice(WEAPONS)
    return event


def random_report(rng: random.Random, index: int, earlier: list[dict[str, Any]]) -> dict[str, Any]:
    night = rng.choice(NIGHTS)
    figures = ("launched", "shot_down", "suppressed")
    lines = [
        {"weapon": weapon, **{name: rng.randint(0, 50) for name in figures if rng.random() < 0.7}}
        for weapon in rng.sample(WEAPONS, rng.randint(1, 3))
    ]
    report: dict[str, Any] = {
        "id": f"r{index}",
        "night": night.isoformat(),
        "issuer": "air_force",
        "scope": rng.choice(("national", "national", "regional")),
        "issued_at": night_window(night)[1].isoformat(),
        "lines": lines,
        "hit_locations": rng.choice((None, rng.randint(0, 9))),
    }
    same_night = [item["id"] for item in earlier if item["night"] == report["night"]]
    if same_night and rng.random() < 0.3:
        report["supersedes"] = rng.choice(same_night)
    return ReportIn.model_validate(report).content()


async def refolded(rig: Rig, first: date, last: date) -> dict[str, Any]:
    """GET /stats of a night range the old way: every event folded, every report read."""
    result = stats_of(await tally(rig.engine, nights=(first, last)), night=None)
    result["official"] = await official(rig.engine, nights=(first, last))
    return result


async def check(rig: Rig, rng: random.Random) -> None:
    before, summaries = await summaries_in(rig.engine, NIGHTS[0], NIGHTS[-1])
    assert before is None
    by_night = {summary.night: summary for summary in summaries}
    now = datetime.now(UTC)
    for night in NIGHTS:
        expected = await refolded(rig, night, night)
        # /stats?night= starts from the alerts the summaries say were on (none marked now).
        async with rig.engine.connect() as conn:
            kept = await opened_from_summaries(conn, night)
            assert kept is not None
            # What a past night's page starts from (dashboard/source.py): the same alerts.
            assert list(kept) == await opened_on(conn, night_window(night)[0]), night
        from_summaries = stats_of(await night_tally(rig.engine, night), night=None)
        folded = await tally(rig.engine, nights=(night, night))
        assert from_summaries == stats_of(folded, night=None), night
        summary = by_night.get(night)
        if summary is None:
            assert expected["events"] == 0
            assert expected["official"] is None
            continue
        # A night alone: its alerts on at the end are checked over ranges below.
        got = range_stats([summary], None, night=None)
        for name in ("launched", "shot_down", "suppressed", "impacts", "debris", "events"):
            assert got[name] == expected[name], (night, name)
        assert got["official"] == expected["official"], night
        minutes = (await night_alerts(rig.engine, night, now=now))["alert_minutes"]
        assert summary.alerts.minutes == {k: v for k, v in minutes.items() if v > 0}, night
    for _ in range(5):
        first, last = sorted(rng.sample(NIGHTS, 2))
        chosen = [
            by_night[night] for night in NIGHTS if first <= night <= last and night in by_night
        ]
        earlier = [by_night[night] for night in NIGHTS if night < first and night in by_night]
        got = range_stats(chosen, earlier[-1] if earlier else None, night=None)
        assert got == await refolded(rig, first, last), (first, last)


@pytest.mark.parametrize("seed", [1, 2])
async def test_summaries_equal_a_full_refold_after_random_writes(rig: Rig, seed: int) -> None:
    rng = random.Random(seed)
    received = datetime.now(UTC)
    events: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    for round_ in range(10):
        # A few nights a round, so that later nights' summaries stay folded while an earlier
        # night's alerts change under them.
        nights = rng.sample(NIGHTS, rng.randint(1, 3))
        size = rng.randint(20, 80)
        batch = [random_event(rng, len(events) + index, nights) for index in range(size)]
        events += batch
        rows = [to_row(EventIn.model_validate(item), received_at=received) for item in batch]
        await rig.writer.insert(rows, client_ids=[item["id"] for item in batch])
        for item in rng.sample(events, 5):
            await rig.writer.retract(item["id"])
        new = [random_report(rng, len(reports) + index, reports) for index in range(3)]
        await store_reports(rig.engine, new, received_at=received)
        reports += new
        if round_ % 2:
            await retract_report(rig.engine, rng.choice(reports)["id"], now=received)
        await check(rig, rng)
