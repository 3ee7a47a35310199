# ruff: noqa: RUF001
"""Launch areas, hit/debris locations and main directions (backend/domain/kpszsu/places.py)."""

from __future__ import annotations

from backend.domain.kpszsu.places import locations, regions_of, split_areas, targets


def test_launch_areas_without_their_country() -> None:
    rest, areas = split_areas(
        "212 БпЛА із напрямків: Орел, Шаталово - рф., ТОТ Донецьк, Чауда - ТОТ АР Крим."
    )
    assert areas == ["Орел", "Шаталово", "Донецьк", "Чауда"]
    assert rest == "212 БпЛА"


def test_launch_areas_end_at_the_next_weapon() -> None:
    rest, areas = split_areas(
        "49 БпЛА із напрямків: Міллерово, Брянськ - рф, протикорабельною ракетою Онікс"
    )
    assert areas == ["Міллерово", "Брянськ"]
    assert rest == "49 БпЛА протикорабельною ракетою Онікс"


def test_hit_and_debris_locations() -> None:
    sentence = (
        "Зафіксовано влучання 8 ракет та 20 БпЛА на 19 локаціях, а також падіння збитих "
        "(уламки) на 8 локаціях."
    )
    assert locations(sentence) == (19, 8)
    assert locations("Зафіксовано влучання на 4 локаціях.") == (4, None)


def test_main_directions_and_their_oblasts() -> None:
    names = targets("Основні напрямки удару - Дніпропетровщина, Київщина, Харківщина та Одещина.")
    assert names == ["Дніпропетровщина", "Київщина", "Харківщина", "Одещина"]
    assert regions_of([*names, "Київ", "енергетика"]) == [
        "UA-12",
        "UA-32",
        "UA-63",
        "UA-51",
        "UA-30",
    ]
    assert targets("Противник атакував") is None
