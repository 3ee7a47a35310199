"""GET /trends over the whole history (the Air Force CSV imported as reports, both alert files
as alert events) against a direct computation from the files, every month.

Expected figures come from the CSV's national rows through the csv module
(tests/helpers/dataset.py) and alert hours from the alert files (tests/helpers/alert_record.py),
never from the importers. The only product piece used on the expected side is the weapon
class table of backend.domain.dataset_weapons, for the rates, which pair figures per weapon.
SQLite only: about 160,000 events to post, once for the module.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any, cast

import httpx
import pytest
from fastapi.testclient import TestClient

from backend.cli import import_alerts, import_csv
from backend.cli import main as cli
from backend.config import Settings
from backend.domain.alert_history import convert
from backend.domain.dataset_weapons import weapon_of
from backend.domain.nights import night_window
from backend.main import create_app
from tests.helpers.alert_record import MERGED, RAW, both_files
from tests.helpers.app_client import TOKEN
from tests.helpers.dataset import dataset, figure, is_national, night_label, official_sums, records

pytestmark = pytest.mark.timeout(900)
FIRST, LAST = date(2022, 3, 1), date(2026, 6, 30)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app on SQLite holding the whole history."""
    tmp = tmp_path_factory.mktemp("history")
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp / 'skywatch.db'}",
        data_dir=tmp / "data",
        api_tokens=[TOKEN],
        sqlite_synchronous="NORMAL",
    )
    with TestClient(create_app(settings)) as test_client:
        http = cast(httpx.Client, test_client)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                import_csv, "post_reports", functools.partial(import_csv.post_reports, client=http)
            )
            assert cli.main(["import-csv", str(dataset()), "--token", TOKEN]) == 0
        for path in (RAW, MERGED):
            with path.open(newline="", encoding="utf-8") as stream:
                events = import_alerts.events_of(convert(stream, first=None, last=None))
            import_alerts.post_events(events, url="", token=TOKEN, batch_size=10_000, client=http)
        yield test_client


def months() -> list[tuple[str, date, date]]:
    found = []
    day = FIRST
    while day <= LAST:
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        found.append((f"{day:%Y-%m}", day, following - timedelta(days=1)))
        day = following
    return found


@functools.cache
def monthly_rows(client: TestClient) -> dict[str, dict[str, Any]]:
    answer = client.get("/api/v1/trends", params={"from": "2022-03", "to": "2026-06"})
    assert answer.status_code == 200, answer.text
    return {row["period"]: row for row in answer.json()}


def stated_sum(values: list[int | None]) -> int | None:
    stated = [value for value in values if value is not None]
    return sum(stated) if stated else None


def test_every_month_figures_equal_the_csv_national_rows(client: TestClient) -> None:
    rows = monthly_rows(client)
    sums = official_sums()
    assert [period for period, _first, _last in months()] == list(rows)
    for period, first, last in months():
        nights = [night for night in sums if first <= night <= last]
        row = rows[period]
        assert row["sources"] == {"official": len(nights), "observed": 0}, period
        for name in ("launched", "shot_down", "suppressed", "neutralized"):
            expected = stated_sum([sums[night][name] for night in nights])
            got = stated_sum(list(row[name].values()))
            assert got == expected, (period, name)


def expected_rates(first: date, last: date) -> dict[str, float | None]:
    """Rates over (night, weapon) pairs stating both terms, from the national rows."""
    per: dict[tuple[date, str], dict[str, int | None]] = {}
    for record in records():
        night = night_label(record["time_start"])
        if not is_national(record) or not first <= night <= last:
            continue
        weapon = weapon_of(record["model"]) or "unknown"
        totals = per.setdefault((night, weapon), dict.fromkeys(("l", "s", "e", "n")))
        launched, destroyed = figure(record["launched"]), figure(record["destroyed"])
        lost = figure(record["not_reach_goal"])
        if date.fromisoformat(record["time_start"].strip()[:10]) <= date(2025, 7, 22):
            both = destroyed is not None and lost is not None
            stated = {"s": destroyed, "e": lost, "n": destroyed + lost if both else None}  # type: ignore[operator]
        else:
            positive = lost if lost else None
            stated = {"s": None, "e": positive, "n": stated_sum([destroyed, positive])}
        stated["l"] = launched
        for key, value in stated.items():
            if value is not None:
                totals[key] = (totals[key] or 0) + value
    rates: dict[str, float | None] = {}
    for name, key in (("neutralized_rate", "n"), ("shot_down_rate", "s"), ("suppressed_rate", "e")):
        pairs = [
            (t[key], t["l"]) for t in per.values() if t[key] is not None and t["l"] is not None
        ]
        whole = sum(launched for _part, launched in pairs if launched is not None)
        part = sum(value for value, _launched in pairs if value is not None)
        rates[name] = part / whole if whole else None
    return rates


def test_every_month_rates_pair_only_stated_terms(client: TestClient) -> None:
    rows = monthly_rows(client)
    for period, first, last in months():
        for name, expected in expected_rates(first, last).items():
            got = rows[period][name]
            assert (got is None) == (expected is None), (period, name)
            if expected is not None:
                assert got == pytest.approx(expected), (period, name)


def union_hours(spans: list[tuple[datetime, datetime]]) -> float:
    total = 0.0
    reach: datetime | None = None
    for low, high in sorted(spans):
        if reach is not None and low < reach:
            low = reach
        if low < high:
            total += (high - low).total_seconds()
            reach = high
    return total / 3600


def test_every_month_alert_hours_equal_the_alert_files(client: TestClient) -> None:
    rows = monthly_rows(client)
    alerts = both_files()
    for period, first, last in months():
        start, end = night_window(first)[0], night_window(last)[1]
        spans: dict[str, list[tuple[datetime, datetime]]] = {}
        for alert in alerts:
            low, high = max(alert.start, start), min(alert.end, end)
            if low < high:
                spans.setdefault(alert.region, []).append((low, high))
        expected = {code: union_hours(items) for code, items in spans.items()}
        got = rows[period]["alert_hours"]
        assert set(got) == {code for code, hours in expected.items() if hours > 0}, period
        for code, hours in expected.items():
            # The product rounds each night's minutes to a tenth: at most 0.05 min a night.
            assert got[code] == pytest.approx(hours, abs=0.05), (period, code)


def test_csv_of_the_history_has_a_line_per_month(client: TestClient) -> None:
    answer = client.get(
        "/api/v1/trends", params={"from": "2022-03", "to": "2026-06", "format": "csv"}
    )
    lines = answer.text.splitlines()
    assert len(lines) == 1 + len(months())
