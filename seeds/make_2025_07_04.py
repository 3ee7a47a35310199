"""Regenerate seeds/2025-07-04.jsonl: the night of 3-4 July 2025 as an event stream.

The totals are the Ukrainian Air Force's morning report of 4 July 2025; times, places and the
drone/decoy split are a reconstruction (seeds/README.md). The air-raid alerts are the official
record's (seeds/data/air_raid_sirens_merged_2024-04-23_2026-06-20.csv), as the import makes
them. Deterministic: the
random generator is seeded, so running this again writes the same bytes.

    .venv/bin/python seeds/make_2025_07_04.py [OUTPUT]
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from backend.domain.alert_history import convert

KYIV = ZoneInfo("Europe/Kyiv")
NIGHT = "2025-07-04"
SEED = 20250704
OUTPUT = Path(__file__).with_name(f"{NIGHT}.jsonl")
SOURCE = "reconstruction of Air Force report 2025-07-04"

Event = dict[str, Any]

# The report (Ukrainian Air Force, morning of 4 July 2025).
DRONES_LAUNCHED = 539  # Shahed attack drones and decoys together
DRONES_SHOT_DOWN = 268
DRONES_SUPPRESSED = 208  # "lost in location": electronic warfare
KINZHAL = 1  # none shot down
ISKANDER_M = 6  # Iskander-M/KN-23, none shot down
ISKANDER_K = 4
ISKANDER_K_SHOT_DOWN = 2
IMPACT_PLACES = 8
DEBRIS_PLACES = 33

# The report's windows, Kyiv time.
DRONE_WINDOW = ("2025-07-03T18:00", "2025-07-04T06:00")
KINZHAL_WINDOW = ("2025-07-04T00:20", "2025-07-04T00:30")
ISKANDER_WINDOW = ("2025-07-04T02:00", "2025-07-04T06:00")

# Reconstruction: how the 539 split between Shahed and decoys and how each kind fared.
SHAHED = {"launched": 330, "shot_down": 200, "suppressed": 100}
DECOY = {"launched": 209, "shot_down": 68, "suppressed": 108}

# Launch waves: (Kyiv time, launch area, Shahed, decoys, regions crossed towards Kyiv).
WAVES: tuple[tuple[str, str, int, int, tuple[str, ...]], ...] = (
    ("2025-07-03T18:05", "Primorsko-Akhtarsk", 38, 24, ("UA-12", "UA-53", "UA-71", "UA-32")),
    ("2025-07-03T18:50", "Kursk oblast", 34, 22, ("UA-59", "UA-74", "UA-32", "UA-30")),
    ("2025-07-03T19:40", "Oryol oblast", 30, 20, ("UA-74", "UA-32", "UA-30")),
    ("2025-07-03T20:30", "Bryansk oblast", 36, 23, ("UA-59", "UA-74", "UA-32", "UA-30")),
    ("2025-07-03T21:20", "Millerovo", 32, 20, ("UA-63", "UA-53", "UA-71", "UA-32", "UA-30")),
    ("2025-07-03T22:10", "Shatalovo", 30, 18, ("UA-74", "UA-18", "UA-32", "UA-30")),
    ("2025-07-03T23:00", "Kursk oblast", 34, 22, ("UA-59", "UA-53", "UA-32", "UA-30")),
    ("2025-07-03T23:55", "Primorsko-Akhtarsk", 30, 20, ("UA-23", "UA-12", "UA-35", "UA-71")),
    ("2025-07-04T01:10", "Bryansk oblast", 26, 17, ("UA-74", "UA-32", "UA-30")),
    ("2025-07-04T02:20", "Oryol oblast", 22, 14, ("UA-74", "UA-32", "UA-30")),
    ("2025-07-04T03:30", "Kursk oblast", 18, 9, ("UA-59", "UA-74", "UA-32")),
)

# Towns of backend/domain/data/cities.csv per region, for shoot-downs reported near a town.
TOWNS = {
    "UA-12": ("Dnipro", "Pavlohrad", "Synelnykove"),
    "UA-18": ("Zhytomyr", "Korosten", "Malyn"),
    "UA-23": ("Zaporizhzhia",),
    "UA-30": ("Kyiv",),
    "UA-32": ("Brovary", "Boryspil", "Vyshhorod", "Obukhiv", "Bila Tserkva"),
    "UA-35": ("Kropyvnytskyi", "Oleksandriia"),
    "UA-53": ("Poltava", "Myrhorod", "Lubny"),
    "UA-59": ("Sumy", "Konotop", "Romny"),
    "UA-63": ("Kharkiv", "Chuhuiv"),
    "UA-71": ("Cherkasy", "Kaniv", "Zolotonosha"),
    "UA-74": ("Chernihiv", "Nizhyn", "Pryluky"),
}


@dataclass(frozen=True, slots=True)
class Place:
    """A reported location: a gazetteer town (no lat/lon) or a point with a label."""

    region: str
    city: str
    label: str | None = None
    lat: float | None = None
    lon: float | None = None


def _district(name: str, lat: float, lon: float) -> Place:
    return Place("UA-30", "Kyiv", f"{name} district", lat, lon)


KYIV_DISTRICTS = {
    "Holosiivskyi": _district("Holosiivskyi", 50.3700, 30.5050),
    "Darnytskyi": _district("Darnytskyi", 50.4100, 30.6550),
    "Desnianskyi": _district("Desnianskyi", 50.5150, 30.6150),
    "Dniprovskyi": _district("Dniprovskyi", 50.4550, 30.6150),
    "Obolonskyi": _district("Obolonskyi", 50.5150, 30.4950),
    "Pecherskyi": _district("Pecherskyi", 50.4250, 30.5500),
    "Podilskyi": _district("Podilskyi", 50.4800, 30.4700),
    "Sviatoshynskyi": _district("Sviatoshynskyi", 50.4550, 30.3600),
    "Solomianskyi": _district("Solomianskyi", 50.4250, 30.4300),
    "Shevchenkivskyi": _district("Shevchenkivskyi", 50.4550, 30.4850),
}

# Time spans (Kyiv) for reconstructed impacts and debris, inside the report's windows.
KINZHAL_HIT = ("2025-07-04T00:27", "2025-07-04T00:30")
ISKANDER_HIT = ("2025-07-04T02:18", "2025-07-04T02:25")
ISKANDER_K_DEBRIS = ("2025-07-04T03:38", "2025-07-04T03:45")
KYIV_HITS = ("2025-07-04T01:00", "2025-07-04T05:30")
DRONE_DEBRIS = ("2025-07-03T21:00", "2025-07-04T05:45")

# (place, weapon, model, time span): the 8 impact locations, all in Kyiv and its oblast
# (the dataset's `affected region` for the night).
IMPACTS: tuple[tuple[Place, str, str, tuple[str, str]], ...] = (
    (KYIV_DISTRICTS["Holosiivskyi"], "ballistic_missile", "Kinzhal", KINZHAL_HIT),
    (
        Place("UA-30", "Kyiv", "Darnytskyi district, railway", 50.4280, 30.6420),
        "ballistic_missile",
        "Iskander-M/KN-23",
        ISKANDER_HIT,
    ),
    (KYIV_DISTRICTS["Sviatoshynskyi"], "drone", "Shahed-136", KYIV_HITS),
    (KYIV_DISTRICTS["Solomianskyi"], "drone", "Shahed-136", KYIV_HITS),
    (KYIV_DISTRICTS["Shevchenkivskyi"], "drone", "Shahed-136", KYIV_HITS),
    (KYIV_DISTRICTS["Dniprovskyi"], "drone", "Shahed-136", KYIV_HITS),
    (Place("UA-32", "Bucha"), "drone", "Shahed-136", ("2025-07-04T00:30", "2025-07-04T04:30")),
    (Place("UA-32", "Irpin"), "drone", "Shahed-136", ("2025-07-04T00:30", "2025-07-04T04:30")),
)

# The 33 places where debris fell; the first is Iskander-K debris, the rest drones'.
DEBRIS: tuple[Place, ...] = (
    Place("UA-32", "Boryspil"),
    KYIV_DISTRICTS["Obolonskyi"],
    KYIV_DISTRICTS["Podilskyi"],
    KYIV_DISTRICTS["Desnianskyi"],
    KYIV_DISTRICTS["Pecherskyi"],
    Place("UA-30", "Kyiv", "Darnytskyi district, Poznyaky", 50.3980, 30.6330),
    Place("UA-32", "Bila Tserkva"),
    Place("UA-32", "Brovary"),
    Place("UA-32", "Slavutych"),
    Place("UA-32", "Vyshhorod"),
    Place("UA-32", "Obukhiv"),
    Place("UA-32", "Vasylkiv"),
    Place("UA-32", "Boiarka"),
    Place("UA-32", "Ukrainka"),
    Place("UA-32", "Fastiv"),
    Place("UA-32", "Pereiaslav"),
    Place("UA-32", "Hostomel", None, 50.5700, 30.2650),
    Place("UA-32", "Vyshneve", None, 50.3890, 30.3700),
    Place("UA-32", "Sofiivska Borshchahivka", None, 50.4100, 30.3700),
    Place("UA-32", "Kozyn", None, 50.2200, 30.6500),
    Place("UA-32", "Hlevakha", None, 50.2700, 30.3000),
    Place("UA-18", "Zhytomyr"),
    Place("UA-18", "Korosten"),
    Place("UA-18", "Malyn"),
    Place("UA-74", "Chernihiv"),
    Place("UA-74", "Nizhyn"),
    Place("UA-59", "Shostka"),
    Place("UA-59", "Konotop"),
    Place("UA-53", "Myrhorod"),
    Place("UA-53", "Lubny"),
    Place("UA-71", "Kaniv"),
    Place("UA-71", "Smila"),
    Place("UA-63", "Bohodukhiv"),
)

BRYANSK = {"note": "Bryansk oblast"}
ROMNY = {"region": "UA-59", "city": "Romny"}
BORYSPIL = {"region": "UA-32", "city": "Boryspil"}
# (kind, Kyiv time, weapon, model, count, other fields): the missiles, all in the report's windows.
MISSILES: tuple[tuple[str, str, str, str, int, dict[str, str]], ...] = (
    ("launch", "2025-07-04T00:21", "ballistic_missile", "Kinzhal", 1, {"note": "MiG-31K"}),
    ("launch", "2025-07-04T02:05", "cruise_missile", "Iskander-K", 2, {"note": "Kursk oblast"}),
    ("launch", "2025-07-04T02:12", "ballistic_missile", "Iskander-M/KN-23", 3, BRYANSK),
    ("shot_down", "2025-07-04T02:31", "cruise_missile", "Iskander-K", 1, ROMNY),
    ("launch", "2025-07-04T02:48", "cruise_missile", "Iskander-K", 2, {"note": "Voronezh oblast"}),
    ("shot_down", "2025-07-04T03:38", "cruise_missile", "Iskander-K", 1, BORYSPIL),
    ("launch", "2025-07-04T03:41", "ballistic_missile", "Iskander-M/KN-23", 3, BRYANSK),
)

# The official alert record of the night: every interval overlapping its window, as
# `skywatch import-alerts` posts it (same ids), so the demo plus an import counts each once.
ALERT_RECORD = Path(__file__).parent / "data" / "air_raid_sirens_merged_2024-04-23_2026-06-20.csv"


def kyiv(text: str) -> datetime:
    """A Kyiv wall-clock time `YYYY-MM-DDTHH:MM` as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=KYIV)


def _between(rng: random.Random, window: tuple[str, str]) -> datetime:
    start, end = kyiv(window[0]), kyiv(window[1])
    return start + timedelta(seconds=rng.randint(0, int((end - start).total_seconds())))


def _split(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in proportion to `weights`, largest remainders first, exactly."""
    scale = sum(weights)
    shares = [total * weight // scale for weight in weights]
    order = sorted(range(len(weights)), key=lambda i: -(total * weights[i] % scale))
    for index in order[: total - sum(shares)]:
        shares[index] += 1
    return shares


def _chunks(rng: random.Random, total: int, largest: int) -> list[int]:
    chunks = []
    while total > 0:
        chunk = min(total, rng.randint(1, largest))
        chunks.append(chunk)
        total -= chunk
    return chunks


def _at(place: Place) -> dict[str, Any]:
    fields: dict[str, Any] = {"region": place.region, "city": place.city}
    if place.lat is not None:
        fields["lat"], fields["lon"] = place.lat, place.lon
    return fields


def _drone_events(rng: random.Random) -> list[Event]:
    events: list[Event] = []
    shahed, decoys = [wave[2] for wave in WAVES], [wave[3] for wave in WAVES]
    for weapon, model, figures, sizes in (
        ("drone", "Shahed-136", SHAHED, shahed),
        ("decoy", "Gerbera", DECOY, decoys),
    ):
        if sum(sizes) != figures["launched"]:
            raise ValueError(f"the waves launch {sum(sizes)} {weapon}s, not {figures['launched']}")
        fates = {kind: _split(figures[kind], sizes) for kind in ("shot_down", "suppressed")}
        for index, wave in enumerate(WAVES):
            launched_at, area, route = kyiv(wave[0]), wave[1], wave[4]
            common = {"weapon": weapon, "model": model, "note": f"wave {index + 1} from {area}"}
            events.append({"kind": "launch", "occurred_at": launched_at, "count": sizes[index]})
            events[-1].update(common)
            # A drone meets its fate 1-6 hours out, in the region its route has reached by then.
            first = launched_at + timedelta(hours=1)
            last = min(launched_at + timedelta(hours=6), kyiv(DRONE_WINDOW[1]))
            for kind, shares in fates.items():
                for count in _chunks(rng, shares[index], 9 if kind == "shot_down" else 12):
                    at = first + (last - first) * rng.random()
                    at = at.replace(microsecond=0)
                    stage = int((at - first) / (last - first) * len(route))
                    region = route[min(stage, len(route) - 1)]
                    event: Event = {"kind": kind, "occurred_at": at, "count": count, **common}
                    event["region"] = region
                    if rng.random() < 0.4:
                        event["city"] = rng.choice(TOWNS[region])
                    events.append(event)
    return events


def _missile_events() -> list[Event]:
    events: list[Event] = []
    for kind, at, weapon, model, count, extra in MISSILES:
        event: Event = {"kind": kind, "occurred_at": kyiv(at), "weapon": weapon, "model": model}
        events.append(event | {"count": count, **extra})
    return events


def _ground_events(rng: random.Random) -> list[Event]:
    events = []
    for place, weapon, model, window in IMPACTS:
        note = "impact; place reconstructed" + (f": {place.label}" if place.label else "")
        event: Event = {"kind": "impact", "occurred_at": _between(rng, window)}
        events.append(event | {"weapon": weapon, "model": model, **_at(place), "note": note})
    kinds = [("cruise_missile", "Iskander-K", ISKANDER_K_DEBRIS)]
    kinds += [("drone", "Shahed-136", DRONE_DEBRIS)] * (len(DEBRIS) - 1)
    for place, (weapon, model, window) in zip(DEBRIS, kinds, strict=True):
        note = "debris; place reconstructed" + (f": {place.label}" if place.label else "")
        event = {"kind": "debris", "occurred_at": _between(rng, window)}
        events.append(event | {"weapon": weapon, "model": model, **_at(place), "note": note})
    return events


def official_alerts(path: Path = ALERT_RECORD) -> list[Event]:
    """The record's alert events of the night, as the import makes them (UTC times)."""
    with path.open(newline="", encoding="utf-8") as stream:
        conversion = convert(
            stream, first=date.fromisoformat(NIGHT), last=date.fromisoformat(NIGHT)
        )
    if conversion.problems:
        raise ValueError(f"{path.name}: unreadable rows {conversion.problems}")
    return [event for alert in conversion.alerts for event in alert.events()]


def _check(events: Sequence[Event]) -> None:
    """Refuse to write a night whose totals or times leave the report's."""
    sums: dict[tuple[str, str], int] = {}
    for event in events:
        key = (event["kind"], event.get("model", ""))
        sums[key] = sums.get(key, 0) + event.get("count", 1)
        window = _report_window(event.get("model"))
        if window and not kyiv(window[0]) <= event["occurred_at"] <= kyiv(window[1]):
            raise ValueError(f"outside the report's window {window}: {event}")

    def total(kind: str, *models: str) -> int:
        return sum(sums.get((kind, model), 0) for model in models)

    drones = ("Shahed-136", "Gerbera")
    expected = {
        ("launch", drones): DRONES_LAUNCHED,
        ("shot_down", drones): DRONES_SHOT_DOWN,
        ("suppressed", drones): DRONES_SUPPRESSED,
        ("launch", ("Kinzhal",)): KINZHAL,
        ("launch", ("Iskander-M/KN-23",)): ISKANDER_M,
        ("launch", ("Iskander-K",)): ISKANDER_K,
        ("shot_down", ("Iskander-K",)): ISKANDER_K_SHOT_DOWN,
        ("shot_down", ("Kinzhal", "Iskander-M/KN-23")): 0,
        ("impact", (*drones, "Kinzhal", "Iskander-M/KN-23", "Iskander-K")): IMPACT_PLACES,
        ("debris", (*drones, "Iskander-K")): DEBRIS_PLACES,
    }
    for (kind, models), figure in expected.items():
        if total(kind, *models) != figure:
            raise ValueError(f"{kind} {models}: {total(kind, *models)}, the report says {figure}")


def _report_window(model: str | None) -> tuple[str, str] | None:
    if model in ("Shahed-136", "Gerbera"):
        return DRONE_WINDOW
    if model == "Kinzhal":
        return KINZHAL_WINDOW
    if model in ("Iskander-M/KN-23", "Iskander-K"):
        return ISKANDER_WINDOW
    return None


_KIND_ORDER = ("launch", "shot_down", "suppressed", "impact", "debris")


def build_events() -> list[Event]:
    """The night's events in wire format, sorted by time, with ids n20250704-0001...."""
    rng = random.Random(SEED)
    events = _drone_events(rng) + _missile_events() + _ground_events(rng)
    _check(events)
    events.sort(key=lambda e: (e["occurred_at"], _KIND_ORDER.index(e["kind"])))
    records = []
    for number, event in enumerate(events, start=1):
        record: Event = {"id": f"n{NIGHT.replace('-', '')}-{number:04d}", **event}
        record["occurred_at"] = event["occurred_at"].isoformat()
        record["source"] = SOURCE
        records.append(_ordered(record))
    alerts = official_alerts()
    merged = [(_instant(r), 1, i, r) for i, r in enumerate(records)]
    merged += [
        (_instant(a), 0 if a["kind"] == "alert_end" else 2, i, a) for i, a in enumerate(alerts)
    ]
    # At one instant an alert ends before the observed events and a new one starts after.
    return [record for *_, record in sorted(merged, key=lambda item: item[:3])]


def _instant(record: Event) -> datetime:
    return datetime.fromisoformat(record["occurred_at"])


def _ordered(record: Event) -> Event:
    fields = ("id", "kind", "weapon", "model", "count", "occurred_at", "region", "city", "lat")
    order = (*fields, "lon", "source", "note")
    return {key: record[key] for key in order if key in record}


def render(events: Sequence[Event]) -> str:
    """JSON Lines text of the events."""
    return "".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n" for e in events)


def main(argv: Sequence[str]) -> int:
    """Write the night to OUTPUT (default: seeds/2025-07-04.jsonl)."""
    output = Path(argv[0]) if argv else OUTPUT
    events = build_events()
    output.write_text(render(events), encoding="utf-8")
    sys.stdout.write(f"{output}: {len(events)} events\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
