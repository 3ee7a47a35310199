"""The shipped alert files imported into a real server: the alert state at any instant, a
replay of a dataset night and its report all show the official record.

The expected state is read straight from the CSVs (tests/helpers/alert_record.py, csv
module, the rules written again), never from the importer. One server per database holds
the import for every test of the module. On SQLite both files are imported whole (about
160,000 events, some ten seconds); on PostgreSQL, where the same import takes some ten
minutes on the development machine (docs/performance.md), a generous real slice: seven
months of the raw file (2022-10 to 2023-04, both clock changes) and four of the merged one
(2025-06 to 2025-11: the demo night, the October clock change), and the instants checked
are those inside the slice.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from backend.cli import main as cli
from backend.domain.nights import night_window
from backend.domain.regions import REGIONS
from tests.helpers.alert_record import (
    MERGED,
    RAW,
    RecordAlert,
    overlapping,
    record_alerts,
)
from tests.helpers.alert_record import under_alert as expected_at
from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.helpers.server_process import TOKEN, ServerProcess

pytestmark = pytest.mark.timeout(900)

SECOND = timedelta(seconds=1)
# Kyiv's clock changes (01:00 UTC, the last Sunday of March and of October) in the record.
CLOCK_CHANGES = [
    datetime(2022, 3, 27, 1, tzinfo=UTC),
    datetime(2022, 10, 30, 1, tzinfo=UTC),
    datetime(2023, 3, 26, 1, tzinfo=UTC),
    datetime(2023, 10, 29, 1, tzinfo=UTC),
    datetime(2024, 3, 31, 1, tzinfo=UTC),
    datetime(2024, 10, 27, 1, tzinfo=UTC),
    datetime(2025, 3, 30, 1, tzinfo=UTC),
    datetime(2025, 10, 26, 1, tzinfo=UTC),
    datetime(2026, 3, 29, 1, tzinfo=UTC),
]
# Nights whose noon (09:00 or 10:00 UTC by the season) is checked, and one replayed each.
NIGHTS = [date(2022, 10, 10), date(2023, 12, 29), date(2024, 4, 23), date(2025, 7, 4)]
REPLAYED = [date(2022, 10, 10), date(2023, 12, 29), date(2025, 10, 26)]


def instants(alerts: tuple[RecordAlert, ...]) -> list[datetime]:
    """Clock changes, noons, both files' junction, rows' own edges and random instants."""
    chosen = [change + offset for change in CLOCK_CHANGES for offset in (-SECOND, 0 * SECOND)]
    chosen += [change + timedelta(minutes=30) for change in CLOCK_CHANGES]
    for night in [*NIGHTS, date(2022, 10, 30), date(2025, 10, 26), date(2026, 3, 29)]:
        noon = night_window(night)[1]
        chosen += [noon - SECOND, noon, noon + SECOND]
    # Where the raw file ends and the merged one begins (2024-04-23 00:07 to 00:28 UTC).
    chosen += [datetime(2024, 4, 23, 0, minute, tzinfo=UTC) for minute in (5, 8, 20, 28, 30)]
    rng = random.Random(20250704)
    for row in rng.sample(alerts, 50):
        chosen += [row.start - SECOND, row.start, row.end - SECOND, row.end]
    first, last = datetime(2022, 3, 15, 16, tzinfo=UTC), datetime(2026, 6, 20, tzinfo=UTC)
    span = int((last - first).total_seconds())
    chosen += [first + timedelta(seconds=rng.randrange(span)) for _ in range(60)]
    return sorted(set(chosen))


def _since(alerts: tuple[RecordAlert, ...], at: datetime) -> dict[str, datetime]:
    on: dict[str, list[RecordAlert]] = {}
    for alert in alerts:
        if alert.start <= at < alert.end:
            on.setdefault(alert.region, []).append(alert)
    since = {}
    for region, items in on.items():
        whole = [alert.start for alert in items if alert.area is None]
        since[region] = min(whole or [alert.start for alert in items])
    return since


def _minutes(alerts: list[RecordAlert], start: datetime, end: datetime) -> dict[str, float]:
    """Minutes of [start, end) under any alert per region, overlaps once (independent sweep)."""
    by_region: dict[str, list[tuple[datetime, datetime]]] = {}
    for alert in alerts:
        low, high = max(alert.start, start), min(alert.end, end)
        if low < high:
            by_region.setdefault(alert.region, []).append((low, high))
    result = {}
    for region, spans in by_region.items():
        covered = timedelta()
        reach = start
        for low, high in sorted(spans):
            low = max(low, reach)
            if high > low:
                covered += high - low
                reach = high
        result[region] = round(covered.total_seconds() / 60, 1)
    return result


# The PostgreSQL slice: (file, first night, last night).
SLICES = (
    (RAW, date(2022, 10, 1), date(2023, 4, 1)),
    (MERGED, date(2025, 6, 25), date(2025, 11, 1)),
)


@dataclass(frozen=True)
class Imported:
    """A server, the record's rows it was given, and the spans they cover."""

    server: ServerProcess
    alerts: tuple[RecordAlert, ...]
    spans: tuple[tuple[datetime, datetime], ...]

    def covers(self, at: datetime) -> bool:
        return any(start <= at < end for start, end in self.spans)

    def nights(self, nights: list[date]) -> list[date]:
        inside = [night for night in nights if all(map(self.covers, night_window(night)))]
        assert inside
        return inside


def _span(first: date | None, last: date | None) -> tuple[datetime, datetime]:
    start = night_window(first)[0] if first else datetime(2022, 1, 1, tzinfo=UTC)
    end = night_window(last)[1] if last else datetime(2027, 1, 1, tzinfo=UTC)
    return start, end


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def imported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Imported]:
    """A server with the shipped files (whole, or the slice) imported by the command."""
    tmp = tmp_path_factory.mktemp(f"history-{request.param}")
    url = (
        f"sqlite+aiosqlite:///{tmp / 'skywatch.db'}"
        if request.param == "sqlite"
        else create_postgres_database()
    )
    server = ServerProcess(
        name="history", database_url=url, data_dir=tmp / "data", log=tmp / "server.log",
        token=TOKEN,
    )  # fmt: skip
    server.start()
    whole = request.param == "sqlite"
    parts = [(RAW, None, None), (MERGED, None, None)] if whole else list(SLICES)
    alerts: list[RecordAlert] = []
    spans = []
    try:
        for path, first, last in parts:
            span = [] if first is None else ["--from", str(first), "--to", str(last)]
            args = ["import-alerts", str(path), *span, "--url", server.url, "--token", TOKEN]
            assert cli.main(args) == 0
            spans.append(_span(first, last))
            alerts += overlapping(record_alerts(path), *spans[-1])
        yield Imported(server, tuple(alerts), tuple(spans))
    finally:
        server.stop()
        if request.param == "postgresql":
            drop_postgres_database(url)


def test_the_alert_state_at_any_instant_is_the_record_s(imported: Imported) -> None:
    alerts = imported.alerts
    checked = 0
    with imported.server.client() as client:
        for at in filter(imported.covers, instants(alerts)):
            answer = client.get("/api/v1/alerts", params={"at": at.isoformat()}).json()
            got = {item["region"]: (item["state"], item["areas"]) for item in answer["regions"]}
            assert got == expected_at(alerts, at), at
            since = {item["region"]: item["since"] for item in answer["regions"]}
            assert since == {
                region: start.strftime("%Y-%m-%dT%H:%M:%SZ")
                for region, start in _since(alerts, at).items()
            }, at
            checked += 1
    assert checked > 60


def test_importing_again_changes_nothing(
    imported: Imported, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo night's window only: on PostgreSQL a duplicate costs as much as a new event.
    night = ["--from", "2025-07-04", "--to", "2025-07-04"]
    with imported.server.client() as client:
        before = client.get("/api/v1/nights").json()
    args = ["import-alerts", str(MERGED), *night, "--url", imported.server.url, "--token", TOKEN]
    assert cli.main(args) == 0
    assert "; 0 events accepted, 122 duplicates" in capsys.readouterr().out
    with imported.server.client() as client:
        assert client.get("/api/v1/nights").json() == before


def test_a_replay_of_a_dataset_night_shows_its_alerts_start_and_end(imported: Imported) -> None:
    for night in imported.nights(REPLAYED):
        replay_night(imported, night)


def replay_night(imported: Imported, night: date) -> None:
    alerts = imported.alerts
    start, end = night_window(night)
    with imported.server.client(Authorization=f"Bearer {TOKEN}") as client:
        session = client.post("/api/v1/replays", json={"night": str(night), "speed": 1}).json()
        client.post(f"/api/v1/replays/{session['id']}/control", json={"action": "pause"})
        seen = set()
        for step in range(13):
            at = start + (end - start) * step / 12
            moved = client.post(
                f"/api/v1/replays/{session['id']}/control",
                json={"action": "seek", "position": at.isoformat()},
            )
            assert moved.status_code == 200, moved.text
            stats = client.get(f"/api/v1/replays/{session['id']}/stats").json()
            expected = expected_at(alerts, min(at, end - SECOND) if step == 12 else at)
            assert stats["active_alerts"] == list(expected), at
            for region, (state, _) in expected.items():
                assert stats["by_region"][region]["alert_state"] == state, (at, region)
            seen.add(tuple(stats["active_alerts"]))
    assert len(seen) > 3, night  # the map changes as alerts start and end


def test_a_night_s_alert_minutes_per_oblast_in_the_api_and_the_report(imported: Imported) -> None:
    for night in imported.nights(NIGHTS):
        night_minutes(imported, night)


def night_minutes(imported: Imported, night: date) -> None:
    start, end = night_window(night)
    expected = _minutes(overlapping(imported.alerts, start, end), start, end)
    assert expected
    with imported.server.client() as client:
        api = client.get(f"/api/v1/nights/{night}/alerts").json()["alert_minutes"]
        page = client.get(f"/api/v1/nights/{night}/report", timeout=120)
    assert {region: value for region, value in api.items() if value} == expected
    assert page.status_code == 200
    table = page.text.split('<table id="alert-minutes">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><td class="text">([^<]+)</td><td>([^<]+)</td>', table)
    # The English report groups thousands with commas (Babel's en locale).
    shown = {name: float(value.replace(",", "")) for name, value in rows}
    assert {name: value for name, value in shown.items() if value} == {
        REGIONS[region].name_en: value for region, value in expected.items()
    }


def test_the_demo_night_shows_kyiv_under_alert_from_20_00(imported: Imported) -> None:
    with imported.server.client() as client:
        before = client.get("/api/v1/alerts", params={"at": "2025-07-03T20:00:31+03:00"})
        after = client.get("/api/v1/alerts", params={"at": "2025-07-03T20:00:32+03:00"})
    assert "UA-30" not in {item["region"] for item in before.json()["regions"]}
    kyiv = {item["region"]: item for item in after.json()["regions"]}["UA-30"]
    assert (kyiv["state"], kyiv["since"]) == ("full", "2025-07-03T17:00:32Z")
