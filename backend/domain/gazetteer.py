# Ukrainian and Russian names are Cyrillic on purpose, so confusable letters are expected.
# ruff: noqa: RUF001
"""Built-in gazetteer of Ukrainian cities and towns that appear in air-attack reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType

from backend.domain.regions import REGIONS, normalize, resolve_region

# Reports write "м. Київ", "смт Затока" or "Kharkiv city"; tried only when the bare lookup fails.
_PREFIXES = ("м ", "місто ", "смт ", "с ", "селище ", "село ", "г ", "город ", "city of ")
_SUFFIXES = (" city", " town")


@dataclass(frozen=True, slots=True)
class Place:
    """A city or town with its region's ISO 3166-2 code and WGS84 coordinates."""

    name: str
    region: str
    lat: float
    lon: float
    # The Ukrainian name (cities.csv `name_uk`), for pages shown in Ukrainian.
    name_uk: str = ""


def _load() -> Mapping[str, tuple[Place, ...]]:
    text = files("backend.domain").joinpath("data/cities.csv").read_text(encoding="utf-8")
    rows = [
        (
            Place(
                row["name_en"], row["region"], float(row["lat"]), float(row["lon"]), row["name_uk"]
            ),
            row,
        )
        for row in csv.DictReader(io.StringIO(text))
    ]
    index: dict[str, list[Place]] = {}
    # Own names go in before aliases so a city's real name outranks another city's old name.
    for use_aliases in (False, True):
        for place, row in rows:
            names = row["aliases"].split("|") if use_aliases else [row["name_en"], row["name_uk"]]
            for name in names:
                key = normalize(name)
                if key and place not in index.setdefault(key, []):
                    index[key].append(place)
    return MappingProxyType({key: tuple(places) for key, places in index.items()})


_INDEX = _load()


def _candidates(name: str) -> tuple[Place, ...]:
    key = normalize(name)
    if key in _INDEX:
        return _INDEX[key]
    key = next((key[len(p) :] for p in _PREFIXES if key.startswith(p)), key)
    key = next((key[: -len(s)] for s in _SUFFIXES if key.endswith(s)), key)
    return _INDEX.get(key, ())


@lru_cache(maxsize=4096)
def find_city(name: str, region: str | None = None) -> Place | None:
    """Return the named city, preferring the one in `region` when several share the name."""
    candidates = _candidates(name)
    if not candidates:
        return None
    code = resolve_region(region) if region else None
    return next((place for place in candidates if place.region == code), candidates[0])


@lru_cache(maxsize=4096)
def locate(*, city: str | None, region: str | None) -> tuple[float, float] | None:
    """Return (lat, lon) of the city if known, else a point inside the region, else None."""
    place = find_city(city, region) if city else None
    if place is not None:
        return place.lat, place.lon
    code = resolve_region(region) if region else None
    if code is None:
        return None
    # The centroid, not the admin centre: Kyiv oblast's centre would put it in Kyiv city.
    return REGIONS[code].marker


@lru_cache(maxsize=4096)
def regions_of(name: str) -> frozenset[str]:
    """The regions of every known city of that name (empty when the name is unknown)."""
    return frozenset(place.region for place in _candidates(name))
