"""The oblast names of the official alert record, in English and Ukrainian, as region codes.

The air raid sirens dataset (seeds/data/SOURCES.md) spells every oblast one way per language:
the English file transliterates the adjective (`Kyivska oblast`, `Zaporizka oblast`) and
calls the capital `Kyiv City`; the Ukrainian twin writes `Київська область` and `м. Київ`.
Both are listed here in full, so that a name the record uses is never left to a guess; other
spellings fall back to the product's resolver (backend/domain/regions.py).
"""

from __future__ import annotations

import re
from types import MappingProxyType

from backend.domain.regions import normalize, resolve_region

# code: (English file, Ukrainian file)
OBLAST_NAMES: MappingProxyType[str, tuple[str, str]] = MappingProxyType(
    {
        "UA-05": ("Vinnytska oblast", "Вінницька область"),
        "UA-07": ("Volynska oblast", "Волинська область"),
        "UA-09": ("Luhanska oblast", "Луганська область"),
        "UA-12": ("Dnipropetrovska oblast", "Дніпропетровська область"),
        "UA-14": ("Donetska oblast", "Донецька область"),
        "UA-18": ("Zhytomyrska oblast", "Житомирська область"),
        "UA-21": ("Zakarpatska oblast", "Закарпатська область"),
        "UA-23": ("Zaporizka oblast", "Запорізька область"),
        "UA-26": ("Ivano-Frankivska oblast", "Івано-Франківська область"),
        "UA-30": ("Kyiv City", "м. Київ"),
        "UA-32": ("Kyivska oblast", "Київська область"),
        "UA-35": ("Kirovohradska oblast", "Кіровоградська область"),
        "UA-40": ("Sevastopol City", "м. Севастополь"),
        "UA-43": ("Avtonomna Respublika Krym", "Автономна Республіка Крим"),
        "UA-46": ("Lvivska oblast", "Львівська область"),
        "UA-48": ("Mykolaivska oblast", "Миколаївська область"),
        "UA-51": ("Odeska oblast", "Одеська область"),
        "UA-53": ("Poltavska oblast", "Полтавська область"),
        "UA-56": ("Rivnenska oblast", "Рівненська область"),
        "UA-59": ("Sumska oblast", "Сумська область"),
        "UA-61": ("Ternopilska oblast", "Тернопільська область"),
        "UA-63": ("Kharkivska oblast", "Харківська область"),
        "UA-65": ("Khersonska oblast", "Херсонська область"),
        "UA-68": ("Khmelnytska oblast", "Хмельницька область"),
        "UA-71": ("Cherkaska oblast", "Черкаська область"),
        "UA-74": ("Chernihivska oblast", "Чернігівська область"),
        "UA-77": ("Chernivetska oblast", "Чернівецька область"),
    }
)

_EXACT = {name: code for code, names in OBLAST_NAMES.items() for name in names}
_FOLDED = {normalize(name): code for name, code in _EXACT.items()}
# "м. Київ" is "місто Київ"; a folded "м київ" is not among the resolver's names.
_FOLDED.update({"м київ": "UA-30", "м севастополь": "UA-40"})
_RAION = re.compile(r"(?:^|\s)(?:raion|район)$", re.IGNORECASE)


def oblast_code(name: str) -> str | None:
    """The region code of an oblast as the record names it (either language), else None."""
    code = _EXACT.get(name)
    if code is not None:
        return code
    folded = normalize(name)
    if not folded:
        return None
    if _RAION.search(folded):
        # A raion is never an oblast, even where its name is an oblast's stem.
        return None
    return _FOLDED.get(folded) or resolve_region(name)


def is_raion(name: str) -> bool:
    """Whether a name is a raion's (`Lubenskyi raion`, `Лубенський район`)."""
    return _RAION.search(normalize(name)) is not None
