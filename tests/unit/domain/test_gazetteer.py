# Ukrainian and Russian names are Cyrillic on purpose, so confusable letters are expected.
# ruff: noqa: RUF001
"""Tests for backend.domain.gazetteer and the cities.csv it ships."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from importlib.resources import files

import pytest

from backend.domain.gazetteer import Place, find_city, locate
from backend.domain.regions import REGIONS

Ring = list[tuple[float, float]]
# A polygon is its exterior ring followed by its holes, as in GeoJSON.
Polygon = list[Ring]


def _cities() -> list[dict[str, str]]:
    text = files("backend.domain").joinpath("data/cities.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _polygons() -> dict[str, list[Polygon]]:
    text = files("backend.domain").joinpath("data/ukraine-adm1.geojson").read_text(encoding="utf-8")
    out: dict[str, list[Polygon]] = {}
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        parts = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            parts = [parts]
        out[feature["properties"]["shapeISO"]] = [
            [[(float(x), float(y)) for x, y in ring] for ring in polygon] for polygon in parts
        ]
    return out


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _in_region(lat: float, lon: float, polygons: list[Polygon]) -> bool:
    return any(
        _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, h) for h in polygon[1:])
        for polygon in polygons
    )


def test_point_in_polygon_handles_holes() -> None:
    square: Polygon = [
        [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)],
        [(4.0, 4.0), (4.0, 6.0), (6.0, 6.0), (6.0, 4.0), (4.0, 4.0)],
    ]
    assert _in_region(2.0, 2.0, [square])
    assert not _in_region(5.0, 5.0, [square])
    assert not _in_region(11.0, 5.0, [square])


def test_kyiv_city_is_a_hole_in_kyiv_oblast() -> None:
    polygons = _polygons()
    assert _in_region(50.4501, 30.5234, polygons["UA-30"])
    assert not _in_region(50.4501, 30.5234, polygons["UA-32"])


def test_every_city_lies_inside_its_region() -> None:
    polygons = _polygons()
    outside = [
        f"{row['name_en']} ({row['region']})"
        for row in _cities()
        if not _in_region(float(row["lat"]), float(row["lon"]), polygons[row["region"]])
    ]
    assert outside == []


def test_rows_are_well_formed() -> None:
    rows = _cities()
    assert len(rows) >= 100
    assert list(rows[0]) == ["name_en", "name_uk", "region", "lat", "lon", "aliases"]
    for row in rows:
        assert row["region"] in REGIONS
        assert row["name_en"].strip()
        assert row["name_uk"].strip()
        for field in ("lat", "lon"):
            assert len(row[field].partition(".")[2]) <= 4
        aliases = row["aliases"].split("|") if row["aliases"] else []
        assert all(alias.strip() == alias and alias for alias in aliases)


def test_no_duplicate_name_region_rows() -> None:
    counts = Counter((row["name_en"], row["region"]) for row in _cities())
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_admin_centre_is_listed() -> None:
    for code, region in REGIONS.items():
        place = find_city(region.centre_name, code)
        assert place is not None
        # Kyiv oblast's admin centre is Kyiv city, a region of its own.
        assert place.region == ("UA-30" if code == "UA-32" else code)


@pytest.mark.parametrize(
    ("name", "expected", "region"),
    [
        ("Kyiv", "Kyiv", "UA-30"),
        ("Kiev", "Kyiv", "UA-30"),
        ("Київ", "Kyiv", "UA-30"),
        ("м. Київ", "Kyiv", "UA-30"),
        ("KYIV", "Kyiv", "UA-30"),
        ("Odessa", "Odesa", "UA-51"),
        ("Dnepr", "Dnipro", "UA-12"),
        ("Dnipropetrovsk", "Dnipro", "UA-12"),
        ("Zaporozhye", "Zaporizhzhia", "UA-23"),
        ("Nikolaev", "Mykolaiv", "UA-48"),
        ("Kharkov", "Kharkiv", "UA-63"),
        ("Kharkiv city", "Kharkiv", "UA-63"),
        ("Lvov", "Lviv", "UA-46"),
        ("Lwów", "Lviv", "UA-46"),
        ("Kryvyi Rih", "Kryvyi Rih", "UA-12"),
        ("Кривий Ріг", "Kryvyi Rih", "UA-12"),
        ("Krivoy Rog", "Kryvyi Rih", "UA-12"),
        ("Кам'янець-Подільський", "Kamianets-Podilskyi", "UA-68"),
        ("Камʼянець-Подільський", "Kamianets-Podilskyi", "UA-68"),
        ("kamianets podilskyi", "Kamianets-Podilskyi", "UA-68"),
        ("Chervonohrad", "Sheptytskyi", "UA-46"),
        ("Novohrad-Volynskyi", "Zviahel", "UA-18"),
        ("Yuzhne", "Pivdenne", "UA-51"),
        ("Slavutych", "Slavutych", "UA-32"),
        ("Sevastopol", "Sevastopol", "UA-40"),
        ("Simferopol", "Simferopol", "UA-43"),
    ],
)
def test_find_city_by_name_and_alias(name: str, expected: str, region: str) -> None:
    place = find_city(name)
    assert place is not None
    assert (place.name, place.region) == (expected, region)


def test_find_city_prefers_given_region() -> None:
    names = {find_city("Zolochiv", code) for code in ("UA-46", "UA-63")}
    assert {(p.name, p.region) for p in names if p is not None} == {
        ("Zolochiv", "UA-46"),
        ("Zolochiv", "UA-63"),
    }
    kharkiv = find_city("Золочів", "Харківська область")
    assert kharkiv is not None
    assert kharkiv.region == "UA-63"
    # A region that holds no city of that name still finds the city.
    elsewhere = find_city("Bucha", "Lviv oblast")
    assert elsewhere is not None
    assert elsewhere.region == "UA-32"


@pytest.mark.parametrize("name", ["", "  ", "Atlantis", "Moscow", "м."])
def test_find_city_unknown(name: str) -> None:
    assert find_city(name) is None


def test_place_is_frozen() -> None:
    place = find_city("Lviv")
    assert isinstance(place, Place)
    with pytest.raises(AttributeError):
        place.lat = 0.0  # type: ignore[misc]


def test_locate_city() -> None:
    assert locate(city="Bucha", region=None) == (50.5435, 30.2123)
    assert locate(city="Bucha", region="Kyiv oblast") == (50.5435, 30.2123)
    zolochiv = find_city("Zolochiv", "UA-63")
    assert zolochiv is not None
    assert locate(city="Zolochiv", region="Kharkiv oblast") == (zolochiv.lat, zolochiv.lon)


def test_locate_falls_back_to_region_centroid() -> None:
    oblast = REGIONS["UA-32"]
    expected = (oblast.centroid_lat, oblast.centroid_lon)
    assert locate(city=None, region="Kyiv oblast") == expected
    assert locate(city="Nowhereville", region="Київська область") == expected
    assert locate(city="", region="UA-32") == expected
    assert expected != (oblast.centre_lat, oblast.centre_lon)


def test_every_region_marker_lies_inside_its_region() -> None:
    polygons = _polygons()
    for code, region in REGIONS.items():
        lat, lon = region.marker
        assert _in_region(lat, lon, polygons[code]), code


def test_locate_unknown() -> None:
    assert locate(city=None, region=None) is None
    assert locate(city="Nowhereville", region=None) is None
    assert locate(city="Nowhereville", region="Atlantis") is None
