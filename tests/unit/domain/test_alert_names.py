"""The alert record's oblast names, both languages, to region codes."""

from __future__ import annotations

import csv

import pytest

from backend.domain.alert_names import OBLAST_NAMES, is_raion, oblast_code
from backend.domain.regions import REGIONS
from tests.helpers.alert_record import MERGED, RAW


def test_every_region_has_its_names_in_both_languages() -> None:
    assert set(OBLAST_NAMES) == set(REGIONS)
    for code, (english, ukrainian) in OBLAST_NAMES.items():
        assert oblast_code(english) == code
        assert oblast_code(ukrainian) == code
        # Spelt otherwise (case, spacing), still found.
        assert oblast_code(f"  {english.upper()} ") == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kyiv City", "UA-30"),
        ("Kyivska oblast", "UA-32"),
        ("м. Київ", "UA-30"),
        ("Київська область", "UA-32"),
        ("м.Київ", "UA-30"),
        ("Zaporizka oblast", "UA-23"),
        ("Запорізька область", "UA-23"),
        ("Автономна Республіка Крим", "UA-43"),
        ("Kharkiv oblast", "UA-63"),  # the product's other spellings too
    ],
)
def test_names(name: str, code: str) -> None:
    assert oblast_code(name) == code


def test_a_raion_is_never_an_oblast() -> None:
    for name in ("Lubenskyi raion", "Лубенський район", "Kyivskyi raion", "Харківський район"):
        assert oblast_code(name) is None
        assert is_raion(name)
    assert not is_raion("Poltavska oblast")
    assert oblast_code("") is None


def test_every_oblast_name_of_the_shipped_files_is_known() -> None:
    for path in (RAW, MERGED):
        with path.open(newline="", encoding="utf-8") as stream:
            names = {row["oblast"] for row in csv.DictReader(stream)}
        unknown = {name for name in names if oblast_code(name) is None}
        assert unknown <= {"Lubenskyi raion"}, unknown  # the swapped row's raion
