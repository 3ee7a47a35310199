"""Tests for backend.domain.regions: the 27 units and resolve_region."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from backend.domain.regions import REGIONS, Region, normalize, resolve_region


def _shapes() -> dict[str, str]:
    text = files("backend.domain").joinpath("data/ukraine-adm1.geojson").read_text(encoding="utf-8")
    features: list[dict[str, dict[str, str]]] = json.loads(text)["features"]
    return {f["properties"]["shapeISO"]: f["properties"]["shapeName"] for f in features}


def test_all_27_codes_match_geojson() -> None:
    assert len(REGIONS) == 27
    assert set(REGIONS) == set(_shapes())


def test_regions_are_in_code_order_and_keyed_by_code() -> None:
    assert list(REGIONS) == sorted(REGIONS)
    assert all(code == region.code for code, region in REGIONS.items())


def test_shape_names_match_geojson() -> None:
    shapes = _shapes()
    assert {code: r.shape_name for code, r in REGIONS.items()} == shapes


def test_region_fields() -> None:
    kyiv_oblast = REGIONS["UA-32"]
    assert isinstance(kyiv_oblast, Region)
    assert kyiv_oblast.name_en == "Kyiv oblast"
    assert kyiv_oblast.name_uk == "Київська область"
    assert kyiv_oblast.centre_name == "Kyiv"
    assert isinstance(kyiv_oblast.centroid_lat, float)
    # Kyiv oblast's centroid must not be its admin centre, which is Kyiv city.
    assert (kyiv_oblast.centroid_lat, kyiv_oblast.centroid_lon) != (
        kyiv_oblast.centre_lat,
        kyiv_oblast.centre_lon,
    )
    for region in REGIONS.values():
        assert 44.0 < region.centroid_lat < 53.0
        assert 22.0 < region.centroid_lon < 41.0


def test_region_is_frozen() -> None:
    with pytest.raises(AttributeError):
        REGIONS["UA-30"].code = "UA-99"  # type: ignore[misc]


@pytest.mark.parametrize("code", ["UA-30", "ua-30", "  UA-30 ", "Ua-30", "UA30"])
def test_resolve_codes(code: str) -> None:
    assert resolve_region(code) == "UA-30"


def test_resolve_every_code_and_name() -> None:
    for code, region in REGIONS.items():
        assert resolve_region(code) == code
        assert resolve_region(region.name_en) == code
        assert resolve_region(region.name_uk) == code
        assert resolve_region(region.shape_name) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Kyiv oblast", "UA-32"),
        ("Kyiv Oblast", "UA-32"),
        ("Kyivska oblast", "UA-32"),
        ("Kyivs'ka oblast", "UA-32"),
        ("Kyiv region", "UA-32"),
        ("KYIV   OBLAST", "UA-32"),
        ("Kyiv", "UA-30"),
        ("Kyiv city", "UA-30"),
        ("Kyiv (city)", "UA-30"),
        ("Kiev", "UA-30"),
        ("Odesa oblast", "UA-51"),
        ("Odessa Oblast", "UA-51"),
        ("Odesa", "UA-51"),
        ("Zaporizhzhia oblast", "UA-23"),
        ("Zaporizhia Oblast", "UA-23"),
        ("Zaporozhye region", "UA-23"),
        ("Ivano-Frankivsk Oblast", "UA-26"),
        ("Dnipropetrovsk obl.", "UA-12"),
        ("Kharkov oblast", "UA-63"),
        ("Crimea", "UA-43"),
        ("Autonomous Republic of Crimea", "UA-43"),
        ("Sevastopol", "UA-40"),
        ("Chernivetska oblast", "UA-77"),
    ],
)
def test_resolve_english(value: str, code: str) -> None:
    assert resolve_region(value) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Київська область", "UA-32"),
        ("київська  область", "UA-32"),
        ("Київщина", "UA-32"),
        ("м. Київ", "UA-30"),
        ("Київ", "UA-30"),
        ("Одеська область", "UA-51"),
        ("Хмельницька обл.", "UA-68"),
        ("Автономна Республіка Крим", "UA-43"),
        ("Севастополь", "UA-40"),
        ("м. Севастополь", "UA-40"),
        ("Запорізька область", "UA-23"),
    ],
)
def test_resolve_ukrainian(value: str, code: str) -> None:
    assert resolve_region(value) == code


@pytest.mark.parametrize("apostrophe", ["'", "\u02bc", "\u2019", "`"])
def test_apostrophes_are_interchangeable(apostrophe: str) -> None:
    assert resolve_region(f"Kyivs{apostrophe}ka oblast") == "UA-32"
    assert normalize(f"Кам{apostrophe}янець") == "камянець"


@pytest.mark.parametrize(
    "value", ["", "   ", "Atlantis", "UA-99", "Belgorod oblast", "oblast", "Moscow", "UA"]
)
def test_resolve_unknown(value: str) -> None:
    assert resolve_region(value) is None
