"""The recorded nights in seeds/: valid, stable, sorted, in their night, true to their sources."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from backend.cli.import_csv import import_file
from backend.cli.load import load_file
from backend.domain.alert_history import convert
from backend.domain.gazetteer import find_city, locate
from backend.domain.nights import KYIV, night_of, night_window
from backend.domain.schemas import EVENT_FIELDS, EventIn
from tests.helpers.alert_record import MERGED, overlapping, record_alerts, under_alert
from tests.helpers.app_client import TOKEN
from tests.helpers.dataset import dataset, national_sums

SEEDS = Path(__file__).parents[2] / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.jsonl"))
REPORT_NIGHT = SEEDS / "2025-07-04.jsonl"
REPORT_SEED = SEEDS / "2025-07-04.reports.json"
EVENT = TypeAdapter(EventIn)
DRONES = ("drone", "decoy")

Record = dict[str, Any]


def read(path: Path) -> list[Record]:
    """The file's events, in file order."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def at(record: Record) -> datetime:
    return datetime.fromisoformat(record["occurred_at"])


def is_alert(record: Record) -> bool:
    return bool(record["kind"] in ("alert_start", "alert_end"))


def kyiv(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=KYIV)


def sums(records: list[Record], *fields: str) -> Counter[tuple[Any, ...]]:
    """Sum of `count` per combination of the given fields."""
    totals: Counter[tuple[Any, ...]] = Counter()
    for record in records:
        totals[tuple(record.get(name) for name in fields)] += record.get("count", 1)
    return totals


def total(records: list[Record], kind: str, weapons: tuple[str, ...], model: str = "") -> int:
    """Sum of `count` of one kind over some weapons (and one model, if given)."""
    return sum(
        record.get("count", 1)
        for record in records
        if record["kind"] == kind
        and record.get("weapon") in weapons
        and (not model or record.get("model") == model)
    )


def place(record: Record) -> tuple[float, float]:
    """Where the map puts an event: its lat/lon, else its city's, else its region's."""
    if "lat" in record:
        return (record["lat"], record["lon"])
    point = locate(city=record.get("city"), region=record.get("region"))
    assert point is not None, record
    return point


def load_generator() -> ModuleType:
    """seeds/make_2025_07_04.py as a module."""
    path = SEEDS / "make_2025_07_04.py"
    spec = importlib.util.spec_from_file_location("make_2025_07_04", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is built.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_the_recorded_nights_are_there() -> None:
    names = {path.name for path in SEED_FILES}
    assert {"2025-07-04.jsonl"} <= names
    # The dataset's nights are reports now (skywatch import-csv), never seed events.
    assert not [path.name for path in SEED_FILES if read(path)[0]["id"].startswith("csv-")]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.stem)
def test_every_line_is_a_valid_event(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines
    for number, line in enumerate(lines, start=1):
        record = json.loads(line)
        assert isinstance(record, dict), f"{path.name}:{number}"
        assert set(record) <= set(EVENT_FIELDS), f"{path.name}:{number}"
        # As the server validates a body: from JSON text.
        EVENT.validate_json(line)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.stem)
def test_ids_are_unique_and_follow_the_file_scheme(path: Path) -> None:
    ids = [record["id"] for record in read(path)]
    assert len(set(ids)) == len(ids)
    if path == REPORT_NIGHT:
        # The observed events are numbered; the alerts carry the ids import-alerts gives them.
        observed = [record["id"] for record in read(path) if not is_alert(record)]
        assert observed == [f"n20250704-{number:04d}" for number in range(1, len(observed) + 1)]
        alerts = [record for record in read(path) if is_alert(record)]
        assert alerts
        assert all(record["id"].startswith("sirens-") for record in alerts)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.stem)
def test_events_are_sorted_by_time(path: Path) -> None:
    times = [at(record) for record in read(path)]
    assert times == sorted(times)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.stem)
def test_every_event_is_in_the_night_the_file_is_named_after(path: Path) -> None:
    # An alert overlapping the night keeps its real start and end, before or after it.
    night = date.fromisoformat(path.stem)
    observed = [record for record in read(path) if not is_alert(record)]
    assert {night_of(at(record)) for record in observed} == {night}


def test_report_night_regenerates_byte_for_byte() -> None:
    generator = load_generator()
    assert generator.render(generator.build_events()) == REPORT_NIGHT.read_text(encoding="utf-8")


def load_report_generator() -> ModuleType:
    """seeds/make_2025_07_04_report.py as a module."""
    spec = importlib.util.spec_from_file_location(
        "make_report", SEEDS / "make_2025_07_04_report.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_report_seed_regenerates_byte_for_byte() -> None:
    generator = load_report_generator()
    assert generator.render(generator.build_reports()) == REPORT_SEED.read_text(encoding="utf-8")


def test_report_seed_is_the_record_import_csv_makes() -> None:
    seed = json.loads(REPORT_SEED.read_text(encoding="utf-8"))
    imported = import_file(dataset(), nights={date(2025, 7, 4)}).reports
    assert seed == [report for report in imported if report["issuer"] == "air_force"]


def test_report_night_totals_are_the_air_force_report() -> None:
    records = read(REPORT_NIGHT)
    assert total(records, "launch", DRONES) == 539
    assert total(records, "shot_down", DRONES) == 268
    assert total(records, "suppressed", DRONES) == 208
    ballistic, cruise = ("ballistic_missile",), ("cruise_missile",)
    assert total(records, "launch", ballistic, "Kinzhal") == 1
    assert total(records, "launch", ballistic, "Iskander-M/KN-23") == 6
    assert total(records, "launch", ballistic) == 7
    assert total(records, "shot_down", ballistic) == 0
    assert total(records, "launch", cruise, "Iskander-K") == 4
    assert total(records, "launch", cruise) == 4
    assert total(records, "shot_down", cruise, "Iskander-K") == 2
    assert total(records, "suppressed", (*ballistic, *cruise)) == 0
    assert {record.get("weapon") for record in records if record["kind"] == "launch"} == {
        "drone",
        "decoy",
        "ballistic_missile",
        "cruise_missile",
    }


def test_report_night_agrees_with_the_csv_national_rows() -> None:
    # The dataset carries the same morning report: its totals per kind must match ours.
    expected: Counter[str] = Counter()
    for (night, kind, _), figure in national_sums().items():
        if night == date(2025, 7, 4):
            expected[kind] += figure
    records = read(REPORT_NIGHT)
    launches = [r for r in records if r["kind"] in ("launch", "shot_down", "suppressed")]
    assert Counter({kind: n for (kind,), n in sums(launches, "kind").items()}) == expected


def test_report_night_impacts_and_debris_are_at_distinct_places() -> None:
    records = read(REPORT_NIGHT)
    for kind, places in (("impact", 8), ("debris", 33)):
        located = [record for record in records if record["kind"] == kind]
        assert len(located) == places
        assert sum(record.get("count", 1) for record in located) == places
        assert len({place(record) for record in located}) == places
    ground = [record for record in records if record["kind"] in ("impact", "debris")]
    assert len({place(record) for record in ground}) == 8 + 33
    in_kyiv = [record for record in ground if record["region"] in ("UA-30", "UA-32")]
    assert len(in_kyiv) > len(ground) / 2
    # The dataset names Kyiv and Kyiv oblast as the night's affected regions.
    assert {r["region"] for r in ground if r["kind"] == "impact"} == {"UA-30", "UA-32"}
    assert len({record["region"] for record in ground}) >= 6


def test_report_night_towns_are_known_to_the_gazetteer() -> None:
    for record in read(REPORT_NIGHT):
        if "city" in record and "lat" not in record:
            town = find_city(record["city"], record.get("region"))
            assert town is not None, record
            assert record.get("region") in (None, town.region), record


def test_report_night_alerts_are_the_official_record_of_the_night() -> None:
    start, end = night_window(date(2025, 7, 4))
    expected = {
        (alert.region, alert.area, alert.start, alert.end)
        for alert in overlapping(record_alerts(MERGED), start, end)
    }
    starts: dict[tuple[str, str | None, str], datetime] = {}
    found = set()
    for record in read(REPORT_NIGHT):
        if not is_alert(record):
            continue
        key = (record["region"], record.get("area"), record["id"][:-2])
        if record["kind"] == "alert_start":
            starts[key] = at(record)
        else:
            found.add((key[0], key[1], starts.pop(key), at(record)))
    assert not starts  # every alert of the night has its end in the record
    assert found == expected
    assert len(found) == 61
    # Kyiv City 20:00 to 04:50 Kyiv time (the reconstruction had 22:21 to 06:52).
    assert ("UA-30", None, kyiv("2025-07-03T20:00:32"), kyiv("2025-07-04T04:50:12")) in found
    # Kharkiv oblast's merged interval of 604 days is a local alert, not a whole-oblast one.
    assert ("UA-63", "part of the oblast") in {(item[0], item[1]) for item in found}


def test_report_night_alerts_are_the_events_import_alerts_makes() -> None:
    with MERGED.open(newline="", encoding="utf-8") as stream:
        night = date(2025, 7, 4)
        conversion = convert(stream, first=night, last=night)
    made = [event for alert in conversion.alerts for event in alert.events()]
    seeded = [record for record in read(REPORT_NIGHT) if is_alert(record)]
    assert sorted(seeded, key=lambda e: e["id"]) == sorted(made, key=lambda e: e["id"])


def test_report_night_times_are_inside_the_report_windows() -> None:
    windows = {
        "drones": (kyiv("2025-07-03T18:00"), kyiv("2025-07-04T06:00")),
        "Kinzhal": (kyiv("2025-07-04T00:20"), kyiv("2025-07-04T00:30")),
        "Iskander": (kyiv("2025-07-04T02:00"), kyiv("2025-07-04T06:00")),
    }
    checked: Counter[str] = Counter()
    for record in read(REPORT_NIGHT):
        model = record.get("model", "")
        if record.get("weapon") in DRONES:
            window = "drones"
        elif model == "Kinzhal":
            window = "Kinzhal"
        elif model.startswith("Iskander"):
            window = "Iskander"
        else:
            assert record["kind"].startswith("alert"), record
            continue
        start, end = windows[window]
        assert start <= at(record) <= end, record
        checked[window] += 1
    assert set(checked) == set(windows)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.stem)
def test_seed_loads_through_the_api_with_matching_stats(client: TestClient, path: Path) -> None:
    records = read(path)
    http = cast(httpx.Client, client)  # an httpx2 client; load_file only posts and deletes
    report = load_file(path, url="http://testserver", token=TOKEN, client=http)
    assert (report.accepted, report.duplicates) == (len(records), 0)
    stats = client.get("/api/v1/stats", params={"night": path.stem}).json()
    night_records = [r for r in records if night_of(at(r)) == date.fromisoformat(path.stem)]
    assert stats["events"] == len(night_records)
    by_weapon = sums(records, "kind", "weapon")
    for kind in ("launch", "shot_down", "suppressed"):
        field = "launched" if kind == "launch" else kind
        for weapon, figure in stats[field].items():
            assert figure == by_weapon.get((kind, weapon), 0), (kind, weapon)
    impacts = sums([r for r in records if r["kind"] == "impact"], "weapon")
    assert stats["impacts"] == {
        weapon: impacts.get((weapon,), 0) + (impacts.get((None,), 0) if weapon == "unknown" else 0)
        for weapon in stats["impacts"]
    }
    assert stats["debris"] == sum(r.get("count", 1) for r in records if r["kind"] == "debris")
    # At the night's end the record's alerts still on then are on (Kharkiv's and Dnipro's
    # near-continuous local alerts in the merged file).
    window_end = night_window(date.fromisoformat(path.stem))[1]
    still_on = under_alert(record_alerts(MERGED), window_end - timedelta(seconds=1))
    assert stats["active_alerts"] == list(still_on)
    again = load_file(path, url="http://testserver", token=TOKEN, client=http)
    assert (again.accepted, again.duplicates) == (0, len(records))


def test_report_night_stats_through_the_api(client: TestClient) -> None:
    load_file(REPORT_NIGHT, url="http://testserver", token=TOKEN, client=cast(httpx.Client, client))
    stats = client.get("/api/v1/stats", params={"night": "2025-07-04"}).json()
    assert stats["launched"]["drone"] + stats["launched"]["decoy"] == 539
    assert stats["shot_down"]["drone"] + stats["shot_down"]["decoy"] == 268
    assert stats["suppressed"]["drone"] + stats["suppressed"]["decoy"] == 208
    assert stats["launched"]["ballistic_missile"] == 7
    assert stats["shot_down"]["ballistic_missile"] == 0
    assert (stats["launched"]["cruise_missile"], stats["shot_down"]["cruise_missile"]) == (4, 2)
    assert sum(stats["impacts"].values()) == 8
    assert stats["debris"] == 33
    assert stats["by_region"]["UA-30"]["impacts"] >= 1
