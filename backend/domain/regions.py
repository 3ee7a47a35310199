# Ukrainian and Russian names are Cyrillic on purpose, so confusable letters are expected.
# ruff: noqa: RUF001
"""Ukraine's 27 first-level units (ISO 3166-2) and a resolver for their many spellings."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType

# Ukrainian text uses U+02BC, U+2019 and the ASCII quote interchangeably for the apostrophe.
_APOSTROPHES = re.compile("['`\u02bc\u2019\u2018\u00b4\u02b9\u2032]")
_SEPARATORS = re.compile('[\\s\\-\u2010-\u2015_.,;:()\\[\\]/"\u00ab\u00bb\u201c-\u201e]+')
# Trailing words that mark a name as the oblast rather than its centre city.
_REGION_WORDS = frozenset({"oblast", "obl", "region", "province", "область", "обл", "регіон"})

# Only for deriving Latin adjectives (Київська -> kyivska); the input is already folded.
# fmt: off
_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
        "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "",
        "ю": "iu", "я": "ia",
    }
)
# fmt: on

# Names the CSV cannot supply: bare city names that mean the city-region, regional nicknames.
_EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "UA-30": ("Kyiv", "Kiev", "Kyiv city", "Kiev city", "city of Kyiv", "Київ", "місто Київ"),
    "UA-40": ("Sevastopol", "Sevastopol city", "city of Sevastopol", "Sebastopol", "Севастополь"),
    "UA-43": ("Crimea", "Republic of Crimea", "AR Crimea", "ARC", "Krym", "Крим", "АР Крим"),
    "UA-05": ("Вінниччина",),
    "UA-07": ("Волинь", "Volhynia"),
    "UA-09": ("Луганщина",),
    "UA-12": ("Дніпропетровщина", "Дніпровщина"),
    "UA-14": ("Донеччина",),
    "UA-18": ("Житомирщина",),
    "UA-21": ("Закарпаття", "Transcarpathia"),
    "UA-26": ("Івано-Франківщина", "Прикарпаття"),
    "UA-32": ("Київщина",),
    "UA-35": ("Кіровоградщина",),
    "UA-46": ("Львівщина",),
    "UA-48": ("Миколаївщина",),
    "UA-51": ("Одещина",),
    "UA-53": ("Полтавщина",),
    "UA-56": ("Рівненщина",),
    "UA-59": ("Сумщина",),
    "UA-61": ("Тернопільщина",),
    "UA-63": ("Харківщина",),
    "UA-65": ("Херсонщина",),
    "UA-68": ("Хмельниччина",),
    "UA-71": ("Черкащина",),
    "UA-74": ("Чернігівщина",),
    "UA-77": ("Буковина", "Bukovina"),
}

# Stems that name the oblast when followed by "oblast", "region" and the like.
_EXTRA_STEMS: dict[str, tuple[str, ...]] = {
    "UA-05": ("Vinnitsa", "Vinnytsya"),
    "UA-09": ("Lugansk",),
    "UA-12": ("Dnepropetrovsk", "Dnipro", "Dnepr"),
    "UA-18": ("Zhitomir",),
    "UA-21": ("Transcarpathian", "Zakarpattya"),
    "UA-23": ("Zaporizhzhya", "Zaporozhye", "Zaporozhe"),
    "UA-26": ("Ivano-Frankovsk",),
    "UA-32": ("Kiev",),
    "UA-35": ("Kirovograd", "Kropyvnytskyi"),
    "UA-40": ("Sevastopol", "Севастополь"),
    "UA-43": ("Crimea", "Krym", "Крим"),
    "UA-46": ("Lvov",),
    "UA-48": ("Nikolaev", "Nikolayev", "Mykolayiv"),
    "UA-56": ("Rovno",),
    "UA-61": ("Ternopol",),
    "UA-63": ("Kharkov",),
    "UA-68": ("Khmelnitsky", "Khmelnitskiy", "Khmelnytskyy"),
    "UA-71": ("Cherkassy",),
    "UA-74": ("Chernigov",),
    "UA-77": ("Chernovtsy",),
}


@dataclass(frozen=True, slots=True)
class Region:
    """One first-level unit: an oblast, Crimea, Kyiv city or Sevastopol."""

    code: str
    name_en: str
    name_uk: str
    shape_name: str
    centre_name: str
    centre_lat: float
    centre_lon: float
    centroid_lat: float
    centroid_lon: float

    @property
    def marker(self) -> tuple[float, float]:
        """(lat, lon) of a point inside the region for map markers without a city."""
        return _INSIDE_POINTS.get(self.code, (self.centroid_lat, self.centroid_lon))


def normalize(text: str) -> str:
    """Fold a place name for lookup: case, apostrophes, punctuation and spacing."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return _SEPARATORS.sub(" ", _APOSTROPHES.sub("", folded)).strip()


def _strip_region_word(key: str) -> str | None:
    stem, _, last = key.rpartition(" ")
    return stem if stem and last in _REGION_WORDS else None


def _read_rows() -> list[dict[str, str]]:
    text = files("backend.domain").joinpath("data/regions.csv").read_text(encoding="utf-8")
    return sorted(csv.DictReader(io.StringIO(text)), key=lambda row: row["iso_3166_2"])


def _region(row: Mapping[str, str]) -> Region:
    return Region(
        code=row["iso_3166_2"],
        name_en=row["oblast_en"],
        name_uk=row["oblast_uk"],
        shape_name=row["geoboundaries_shapeName"],
        centre_name=row["centre_en"],
        centre_lat=float(row["centre_lat"]),
        centre_lon=float(row["centre_lon"]),
        centroid_lat=float(row["polygon_centroid_lat"]),
        centroid_lon=float(row["polygon_centroid_lon"]),
    )


def _add(table: dict[str, str], names: Iterable[str], code: str) -> None:
    # First writer wins, so explicit aliases outrank derived ones: Kyiv is the city, not the oblast.
    for name in names:
        key = normalize(name)
        if key:
            table.setdefault(key, code)


def _build_tables(rows: Sequence[Mapping[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    stems: dict[str, str] = {}
    for code, extra in _EXTRA_NAMES.items():
        _add(names, extra, code)
    for code, extra in _EXTRA_STEMS.items():
        _add(stems, extra, code)
    for row in rows:
        code = row["iso_3166_2"]
        full = (row["oblast_en"], row["geoboundaries_shapeName"], row["oblast_uk"])
        _add(names, (code, code.replace("-", ""), *full), code)
        for name in full:
            stem = _strip_region_word(normalize(name))
            if stem is not None:
                _add(stems, (stem, stem.translate(_TRANSLIT)), code)
    # Centre cities last: a bare "Odesa" means the oblast only when nothing more specific does.
    for row in rows:
        _add(names, (row["centre_en"], row["centre_uk"]), row["iso_3166_2"])
    return names, stems


# Odesa oblast is a crescent whose centroid lies in Moldova; this point, the interior point
# farthest from the boundary on a 60x60 grid over the shipped geometry, stands in for it.
_INSIDE_POINTS = {"UA-51": (46.9940, 30.4661)}

_ROWS = _read_rows()
REGIONS: Mapping[str, Region] = MappingProxyType({row["iso_3166_2"]: _region(row) for row in _ROWS})
_NAMES, _STEMS = _build_tables(_ROWS)
del _ROWS


@lru_cache(maxsize=4096)
def resolve_region(value: str) -> str | None:
    """Return the ISO 3166-2 code for a region code or name in English or Ukrainian, else None."""
    # Cached: it runs once per ingested event and the same few spellings recur all night.
    if value in REGIONS:
        return value
    key = normalize(value)
    if not key:
        return None
    if key in _NAMES:
        return _NAMES[key]
    stem = _strip_region_word(key)
    return _STEMS.get(key if stem is None else stem)
