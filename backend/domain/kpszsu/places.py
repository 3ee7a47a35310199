# The Air Force writes in Ukrainian: Cyrillic letters that look like Latin ones are expected.
# ruff: noqa: RUF001, RUF002
"""Where: the launch areas ("із напрямків: Курськ, Орел - рф"), the hit and debris locations
("влучання ... на 19 локаціях ... падіння збитих (уламки) на 8 локаціях"), and the main
directions of the strike ("Основні напрямки удару - Дніпропетровщина, Київщина").
"""

from __future__ import annotations

import re

from backend.domain.kpszsu.weapons import named
from backend.domain.regions import resolve_region

_AREAS = re.compile(r"\b(?:із|з|зі)\s+(?:напрямк\w*|район\w*)\s*:?\s*", re.I)
_PARENS = re.compile(r"\([^()]*\)")
_AREA_SPLIT = re.compile(r"\s*(?:,|;|\bта\b|\bі\b)\s*")
# Parts of a launch area that say which country or territory it is in, not which place.
_COUNTRY = re.compile(r"^(?:рф|росі\w*|ар крим\w*|крим\w*|криму|кндр|білорусь|рб)\.?$", re.I)
_TERRITORY = re.compile(r"^(?:тот|окупован\w*|обл\w*)\b", re.I)
_TOT = re.compile(r"^(?:тот|ар)\s+", re.I)
_HITS = re.compile(r"влучан\w*[^.]*?\bна\s+(\d+)\s+(?:\w+\s+)?локац", re.I)
_DEBRIS = re.compile(r"(?:падін\w*|уламк\w*)[^.]*?\bна\s+(\d+)\s+(?:\w+\s+)?локац", re.I)
_TARGETS = re.compile(r"основн\w*\s+напрям\w*\s+(?:удару|атаки|ураження)\s*[-:]?\s*(.*)", re.I)
_TARGET_SPLIT = re.compile(r"\s*(?:,|;|\bта\b|\bі\b|\bй\b)\s*")


def split_areas(piece: str) -> tuple[str, list[str]]:
    """The piece without its "із напрямків: ..." list, and the places of that list.

    The list ends where a weapon is named again ("..., протикорабельною ракетою Онікс").
    """
    match = _AREAS.search(piece)
    if match is None:
        return piece, []
    places: list[str] = []
    rest = ""
    # A sub-count after a place, "Орел - рф (до 160 із них - шахеди)", stays with the count.
    asides = _PARENS.findall(piece[match.end() :])
    items = _AREA_SPLIT.split(_PARENS.sub(" ", piece[match.end() :]))
    for position, item in enumerate(items):
        if not named(item).empty:
            rest = " ".join(items[position:])
            break
        place = _place(item)
        if place:
            places.append(place)
    kept = (part.strip() for part in (piece[: match.start()], rest, *asides))
    return " ".join(part for part in kept if part), places


def _place(item: str) -> str | None:
    """ "Шаталово - рф", "ТОТ АР Крим - Гвардійське", "ТОТ Донецьк": the place alone."""
    parts = [part.strip(' ."') for part in item.split(" - ")]
    parts = [part for part in parts if part and not _COUNTRY.match(part)]
    if len(parts) > 1:
        parts = [part for part in parts if not _TERRITORY.match(part)] or parts[:1]
    kept = [_TOT.sub("", part).strip(' ."') for part in parts]
    kept = [part for part in kept if part and not _COUNTRY.match(part)]
    return kept[0][:200] if kept else None


def locations(sentence: str) -> tuple[int | None, int | None]:
    """Hit locations and debris locations the sentence states (None for one it does not)."""
    hits = _HITS.search(sentence)
    debris = _DEBRIS.search(sentence)
    return (int(hits.group(1)) if hits else None, int(debris.group(1)) if debris else None)


def is_locations(sentence: str) -> bool:
    """Whether the sentence is the hit/debris one."""
    return bool(_HITS.search(sentence) or _DEBRIS.search(sentence))


def targets(sentence: str) -> list[str] | None:
    """The main directions of the strike, when the sentence states them."""
    match = _TARGETS.search(sentence)
    if match is None:
        return None
    names = [item.strip(' ."!') for item in _TARGET_SPLIT.split(match.group(1))]
    return [name[:200] for name in names if name]


def regions_of(names: list[str]) -> list[str]:
    """The oblasts among the main directions ("Дніпропетровщина" -> UA-12), in order."""
    codes = (resolve_region(name) for name in names)
    return list(dict.fromkeys(code for code in codes if code is not None))
