# The Air Force writes in Ukrainian: Cyrillic letters that look like Latin ones are expected.
# ruff: noqa: RUF001, RUF002, RUF003
"""Which weapon a phrase of the post names: the table from Ukrainian wording to the contract.

Classes, as the contract has them (backend.domain.schemas.Weapon):
- drone: strike drones (Shahed/Герань, "реактивні" jet Shaheds, Італмас, "БпЛА" unqualified).
- decoy: Гербера, Пародія and "дрони-імітатори" (decoys made to draw air defence).
- cruise_missile: Х-101, Х-555, Калібр, Іскандер-К, Х-59/69 (керовані авіаційні ракети),
  Х-22, Х-32, Онікс, Циркон; and "Бандероль"/"Дань-Т": jet-powered munitions launched from
  aircraft or the ground that fly like a small cruise missile, so they count there, with the
  model kept so a reader can take them out.
- ballistic_missile: Іскандер-М, KN-23, Кинджал/Х-47М2, С-300/С-400 fired at ground targets.
- guided_bomb: керовані авіабомби (КАБ).
A phrase naming strike drones and decoys under one count ("212 ударними БпЛА типу Shahed та
дронами-імітаторами") is one `drone` line whose model lists both: the post does not split it.

Two kinds are not weapons: "засоби"/"цілі" (the post's total) and a bare "ракети" (a missile
of no stated class); a count of either is never made into a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOTAL = "total"
MISSILE = "missile"

_X = "[хx]"  # Cyrillic or Latin letter in Х-101, Х-59
# (pattern, class, model): tried in order, and a match hides its words from later patterns,
# so "дронами-імітаторами" is a decoy and not also a drone.
_TABLE: tuple[tuple[str, str, str | None], ...] = (
    (r"бандерол\w*|дань-т\w*|баражуюч\w* боєприпас\w*", "cruise_missile", "Бандероль/Дань-Т"),
    (r"гербер\w*|гербар\w*|gerbera", "decoy", "Гербера"),
    (r"пароді\w*", "decoy", "Пародія"),
    (r"(?:дрон\w*|безпілотник\w*|бпла)[- ]імітатор\w*|імітатор\w*", "decoy", "дрони-імітатори"),
    (r"реактивн\w*", "drone", "реактивні Shahed"),
    (r"shahed\w*|шахед\w*|герань\w*|geran\w*", "drone", "Shahed"),
    (r"італмас\w*|italmas", "drone", "Italmas"),
    (r"керован\w* авіа\w*бомб\w*|\bкаб\w*", "guided_bomb", None),
    (r"іскандер\w*-к\b|iskander-k\b", "cruise_missile", "Іскандер-К"),
    (r"іскандер\w*(?:-м\b)?|iskander\w*(?:-m\b)?", "ballistic_missile", "Іскандер-М"),
    (r"kn-?23|кн-?23", "ballistic_missile", "KN-23"),
    (rf"кинджал\w*|kinzhal|{_X}-47\s?м2", "ballistic_missile", "Кинджал"),
    (r"\bс-[34]00\w*|\bs-[34]00", "ballistic_missile", "С-300/С-400"),
    (r"балістичн\w*|аеробалістичн\w*", "ballistic_missile", None),
    (rf"{_X}-101", "cruise_missile", "Х-101"),
    (rf"{_X}-555", "cruise_missile", "Х-555"),
    (rf"{_X}-59(?:/69|/{_X}-69)?|{_X}-69", "cruise_missile", "Х-59/69"),
    (rf"{_X}-22", "cruise_missile", "Х-22"),
    (rf"{_X}-32", "cruise_missile", "Х-32"),
    (r"калібр\w*|kalibr", "cruise_missile", "Калібр"),
    (r"онікс\w*|oniks", "cruise_missile", "Онікс"),
    (r"циркон\w*|zircon", "cruise_missile", "Циркон"),
    (r"крилат\w*|керован\w* авіаційн\w* ракет\w*|протикорабельн\w*", "cruise_missile", None),
    (r"ударн\w* (?:бпла|безпілотник\w*|дрон\w*)", "drone", None),
    (r"бпла\w*|безпілотник\w*|дрон\w*|uav", "drone", None),
    (r"засоб\w*|засіб|ціл[іьея]\w*|об'єкт\w* противника", TOTAL, None),
    (r"ракет\w*", MISSILE, None),
)
_COMPILED = tuple(
    (re.compile(pattern, re.IGNORECASE), kind, model) for pattern, kind, model in _TABLE
)
DRONE_CLASSES = frozenset({"drone", "decoy"})


@dataclass(frozen=True, slots=True)
class Named:
    """What a phrase names: the kinds found and the models, in the order they appear."""

    kinds: frozenset[str]
    models: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """Nothing the table knows."""
        return not self.kinds


def named(phrase: str) -> Named:
    """Every weapon kind and model the phrase names (a missile's class hides a bare "ракети")."""
    hidden = phrase
    found: list[tuple[int, str, str | None]] = []
    for pattern, kind, model in _COMPILED:
        for match in pattern.finditer(hidden):
            found.append((match.start(), kind, model))
            hidden = hidden[: match.start()] + " " * len(match.group()) + hidden[match.end() :]
    found.sort()
    kinds = {kind for _start, kind, _model in found}
    if kinds - {TOTAL, MISSILE}:
        # "крилатими ракетами": the class is the weapon, "ракетами" only its noun.
        kinds -= {MISSILE}
        if kinds != {TOTAL}:
            kinds -= {TOTAL}
    models = tuple(dict.fromkeys(model for _start, _kind, model in found if model is not None))
    return Named(frozenset(kinds), models)


def weapon_of(names: Named) -> str | None:
    """The one contract class of a count that names `names`, or None when it names several
    classes (a count the post does not split cannot be tied to one weapon) or none."""
    kinds = names.kinds - {TOTAL, MISSILE}
    return _single(kinds) if kinds else None


def _single(kinds: frozenset[str]) -> str | None:
    if kinds <= DRONE_CLASSES:
        return "decoy" if kinds == {"decoy"} else "drone"
    return next(iter(kinds)) if len(kinds) == 1 else None


def model_of(names: Named) -> str | None:
    """The models as one string (at most 64 characters, the contract's bound)."""
    if not names.models:
        return None
    joined = ", ".join(names.models)
    return joined if len(joined) <= 64 else joined[:61] + "..."
