# ruff: noqa: RUF001
"""The weapons table (backend/domain/kpszsu/weapons.py): classes and models kept."""

from __future__ import annotations

import pytest

from backend.domain.kpszsu.weapons import model_of, named, weapon_of


@pytest.mark.parametrize(
    ("phrase", "weapon", "model"),
    [
        ("ударними БпЛА типу Shahed", "drone", "Shahed"),
        ("шахедами", "drone", "Shahed"),
        ("реактивними БпЛА", "drone", "реактивні Shahed"),
        ("Гербера", "decoy", "Гербера"),
        ("дронами-імітаторами", "decoy", "дрони-імітатори"),
        ("безпілотниками-імітаторами", "decoy", "дрони-імітатори"),
        ("ударними БпЛА типу Shahed та дронами-імітаторами", "drone", "Shahed, дрони-імітатори"),
        ("крилатими ракетами Х-101", "cruise_missile", "Х-101"),
        ("крилатими ракетами X-101", "cruise_missile", "Х-101"),
        ('крилатими ракетами морського базування "Калібр"', "cruise_missile", "Калібр"),
        ("ракетами Іскандер-К", "cruise_missile", "Іскандер-К"),
        ("керованими авіаційними ракетами Х-59/69", "cruise_missile", "Х-59/69"),
        ("балістичними ракетами Іскандер-М/KN-23", "ballistic_missile", "Іскандер-М, KN-23"),
        ("аеробалістичними ракетами Кинджал", "ballistic_missile", "Кинджал"),
        ("ракетами Х-47М2", "ballistic_missile", "Кинджал"),
        ('"Бандероль"/"Дань-Т"', "cruise_missile", "Бандероль/Дань-Т"),
        ("керованими авіабомбами", "guided_bomb", None),
        ("ворожих БпЛА", "drone", None),
    ],
)
def test_classes_and_models(phrase: str, weapon: str, model: str | None) -> None:
    names = named(phrase)
    assert (weapon_of(names), model_of(names)) == (weapon, model)


@pytest.mark.parametrize(
    "phrase", ["ракет", "засобів", "цілей", "ракетами Х-101 та Іскандер-М", "градусів"]
)
def test_no_single_weapon(phrase: str) -> None:
    assert weapon_of(named(phrase)) is None
