"""backend/domain/dataset_rows.py and dataset_weapons.py: the dataset's rows, parsed."""

from __future__ import annotations

import csv

import pytest

from backend.domain.dataset_rows import account_of, is_regional, parse_figure, parse_kyiv_time
from backend.domain.dataset_weapons import weapon_of
from tests.helpers.dataset import dataset


@pytest.mark.parametrize(
    ("model", "weapon"),
    [
        ("Shahed-136/131", "drone"),
        ("Reconnaissance UAV", "drone"),
        ("Unknown UAV", "drone"),
        ("Молнія and Lancet", "drone"),
        ("Orlan-10 and Orlan-30 and ZALA and Supercam", "drone"),
        ("X-101/X-555", "cruise_missile"),
        ("Kalibr", "cruise_missile"),
        ("Iskander-K", "cruise_missile"),
        ("X-101/X-555 and Kalibr", "cruise_missile"),
        ("X-101/X-555 and Kalibr and Iskander-K and X-59", "cruise_missile"),
        ("Iskander-M", "ballistic_missile"),
        ("Iskander-M/KN-23", "ballistic_missile"),
        ("KN-23", "ballistic_missile"),
        ("X-47 Kinzhal", "ballistic_missile"),
        ("C-300/C-400 and Iskander-M", "ballistic_missile"),
        ("X-47 Kinzhal and Iskander-M/KN-23", "ballistic_missile"),
        ("GBU", "guided_bomb"),
        ("Unknown Missile", "unknown"),
        ("Iskander-M and Iskander-K", "unknown"),
        ("X-101/X-555 and Kalibr and Iskander-M/KN-23", "unknown"),
        ("  Kalibr ", "cruise_missile"),
        ("kalibr", "cruise_missile"),
    ],
)
def test_model_maps_to_weapon_class(model: str, weapon: str) -> None:
    assert weapon_of(model) == weapon


@pytest.mark.parametrize("model", ["Shahed-238", "", "Kalibr and Zircon-2", "Kalibr and"])
def test_model_not_in_the_table_has_no_class(model: str) -> None:
    assert weapon_of(model) is None


def test_every_model_of_the_dataset_is_in_the_table() -> None:
    with dataset().open(newline="", encoding="utf-8") as handle:
        models = {record["model"] for record in csv.DictReader(handle)}
    assert len(models) > 70
    assert [model for model in sorted(models) if weapon_of(model) is None] == []


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("2025-07-03 18:00", "2025-07-03T18:00:00+03:00", True),
        ("2023-05-16 3:30", "2023-05-16T03:30:00+03:00", True),
        ("2025-03-06 21:00 ", "2025-03-06T21:00:00+02:00", True),
        ("  2025-07-04  06:00\t", "2025-07-04T06:00:00+03:00", True),
        ("2025-07-04", "2025-07-04T00:00:00+03:00", False),
        ("2025-01-15 18:00", "2025-01-15T18:00:00+02:00", True),
        ("2025-07-03T18:00", "2025-07-03T18:00:00+03:00", True),
        ("2025-07-03 18:00:30", "2025-07-03T18:00:30+03:00", True),
        # Spring forward (30 March 2025, 03:00 -> 04:00): 03:30 does not exist; the real
        # instant it names is 04:30 summer time.
        ("2025-03-30 03:30", "2025-03-30T04:30:00+03:00", True),
        ("2025-03-30 02:59", "2025-03-30T02:59:00+02:00", True),
        # Fall back (26 October 2025): 03:30 happens twice; the first (summer) is taken.
        ("2025-10-26 03:30", "2025-10-26T03:30:00+03:00", True),
        ("2025-10-26 04:30", "2025-10-26T04:30:00+02:00", True),
    ],
)
def test_kyiv_times_are_parsed_leniently(text: str, expected: str, has_time: bool) -> None:
    parsed = parse_kyiv_time(text)
    assert parsed.instant.isoformat() == expected
    assert parsed.has_time is has_time


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2025-13-01", "2025-02-30", "2025-07-04 25:00", "04.07.2025"]
)
def test_unparseable_time_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"not|day|hour|month"):
        parse_kyiv_time(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("539.0", 539), ("7", 7), ("", None), (" ", None), ("nan", None), ("0.0", 0)],
)
def test_figures_blank_is_none_not_zero(text: str, value: int | None) -> None:
    assert parse_figure(text) == value


@pytest.mark.parametrize("text", ["2.5", "-1.0", "many", "inf", "1000001.0"])
def test_bad_figures_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"number|whole|over"):
        parse_figure(text)


@pytest.mark.parametrize(
    ("source", "regional"),
    [
        ("PvKPivden/posts/pfbid02", True),
        ("pvkshid/posts/pfbid034", True),
        ("PvkZahid/posts/pfbid0uY", True),
        ("PvkCenter/posts/pfbid06", True),
        ("PVKPIVDEN/videos/877352513463110", True),
        ("https://www.facebook.com/PvKPivden/posts/1", True),
        ("kpszsu/posts/pfbid0pZC", False),
        ("https://t.me/kpszsu/44624", False),
        ("GeneralStaff.ua/posts/pfbid02p4", False),
        ("CinCAFU/posts/pfbid0242", False),
        ("watch/?v=375517448001233", False),
    ],
)
def test_regional_sources(source: str, regional: bool) -> None:
    assert is_regional(source) is regional


def test_account_is_the_posting_account() -> None:
    assert account_of("kpszsu/posts/pfbid0pZC") == "kpszsu"
    assert account_of("https://t.me/war_monitor/27083") == "war_monitor"
    assert account_of("GeneralStaff.ua/posts/x") == "GeneralStaff.ua"
