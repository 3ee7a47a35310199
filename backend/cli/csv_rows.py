"""The rows of the Kaggle Air Force dataset ("Massive Missile Attacks on Ukraine") as events.

The dataset (Petro Ivaniuk, from Ukrainian Air Force reports) has one row per weapon model
and report window. Each national row becomes up to three events at the window's start:
`launch` (launched), `shot_down` (destroyed) and `suppressed` (not_reach_goal, lost to
electronic warfare). Ids are derived from the row, so importing the same file twice changes
nothing. Most of this module is the table of the dataset's weapon names.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from backend.domain.nights import KYIV, night_of
from backend.domain.schemas import Weapon

REQUIRED_COLUMNS = (
    "time_start",
    "time_end",
    "model",
    "launch_place",
    "target",
    "launched",
    "destroyed",
    "not_reach_goal",
    "source",
)


# (CSV column, event kind), in the order a row's events are listed.
FIGURE_KINDS = (
    ("launched", "launch"),
    ("destroyed", "shot_down"),
    ("not_reach_goal", "suppressed"),
)


# Regional air commands (South, East, West, Centre) re-report events already in the national
# figures; adding them would count those events twice.
REGIONAL_SOURCES = ("pvkpivden", "pvkshid", "pvkzahid", "pvkcenter")


MAX_COUNT = 10_000


MODEL_LENGTH = 64


# Every weapon named in the dataset's `model` column. A combined model ("X-101/X-555 and
# Kalibr") is split on " and "; it gets the class its parts share, else "unknown".
# - Shahed-136/131: the Air Force's count of "Shahed attack drones and decoys of other types"
#   (Gerbera, Parody, ...) together, so it is "drone"; the dataset never separates decoys.
# - Reconnaissance and loitering UAVs (Orlan, ZALA, Supercam, Lancet, KUB, Molniya, ...) are
#   drones too: "decoy" is kept for what a report calls a decoy, which no row does.
# - S-300/S-400 fired at ground targets and Kinzhal fly ballistic paths: ballistic.
# - Air-launched guided missiles that fly aerodynamically (Kh-22/32, Kh-31, Kh-35, Kh-59/69)
#   count with cruise missiles, as do Zircon, Oniks and the small Banderol.
_PART_WEAPONS: dict[str, Weapon] = {
    "Shahed-136/131": "drone",
    "Unknown UAV": "drone",
    "Reconnaissance UAV": "drone",
    "Lancet": "drone",
    "Kub": "drone",
    "Orlan-10": "drone",
    "Orlan-30": "drone",
    "ZALA": "drone",
    "Supercam": "drone",
    "Merlin-VR": "drone",
    "Mohajer-6": "drone",
    "Orion": "drone",
    "Forpost": "drone",
    "Eleron": "drone",
    "Granat-4": "drone",
    "Картограф": "drone",  # Kartograf reconnaissance UAV
    "Молнія": "drone",  # Molniya fixed-wing strike UAV
    "Привет-82": "drone",  # Privet-82 strike UAV
    "Фенікс": "drone",  # Feniks reconnaissance UAV
    "X-101/X-555": "cruise_missile",
    "Kalibr": "cruise_missile",
    "Iskander-K": "cruise_missile",
    "3M22 Zircon": "cruise_missile",
    "P-800 Oniks": "cruise_missile",
    "Banderol": "cruise_missile",
    "X-22": "cruise_missile",
    "X-32": "cruise_missile",
    "X-31": "cruise_missile",
    "X-31P": "cruise_missile",
    "X-31PD": "cruise_missile",
    "X-35": "cruise_missile",
    "X-59": "cruise_missile",
    "X-59MK2": "cruise_missile",
    "X-59/X-69": "cruise_missile",
    "X-69": "cruise_missile",
    "Iskander-M": "ballistic_missile",
    "Iskander-M/KN-23": "ballistic_missile",
    "KN-23": "ballistic_missile",
    "X-47 Kinzhal": "ballistic_missile",
    "C-300": "ballistic_missile",
    "C-400": "ballistic_missile",
    "C-300/C-400": "ballistic_missile",
    "Ballistic Missile": "ballistic_missile",
    "Intercontinental Ballistic Missile": "ballistic_missile",
    "GBU": "guided_bomb",
    "Aerial Bomb": "guided_bomb",
    "Unknown Missile": "unknown",
}


_PARTS = {part.casefold(): weapon for part, weapon in _PART_WEAPONS.items()}


KIND_ORDER = {kind: index for index, (_, kind) in enumerate(FIGURE_KINDS)}


_SPACES = re.compile(r"\s+")


_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]+/", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class KyivTime:
    """A report time: the instant, and whether the file gave a time of day at all."""

    instant: datetime
    has_time: bool

    @property
    def text(self) -> str:
        """Kyiv local time as the report gives it, cleaned (`2025-07-03 18:00` or a date)."""
        return self.instant.strftime("%Y-%m-%d %H:%M" if self.has_time else "%Y-%m-%d")


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One national report row, parsed."""

    line: int
    start: KyivTime
    end: KyivTime
    model: str
    weapon: Weapon
    figures: Mapping[str, int]
    launch_place: str
    target: str
    source: str

    @property
    def night(self) -> date:
        """The night the whole row belongs to: that of its window's start."""
        return night_of(self.start.instant)

    def key(self, ordinal: int = 0) -> str:
        """The fields that identify the row; `ordinal` tells identical rows apart."""
        fields = (
            self.start.text,
            self.end.text,
            self.model,
            self.launch_place,
            self.target,
            self.source,
            str(ordinal),
        )
        return "\x1f".join(fields)


def weapon_of(model: str) -> Weapon | None:
    """The weapon class of a `model` string, or None when a part is not in the table."""
    parts = {_PARTS.get(_clean(part).casefold()) for part in re.split(r"\s+and\s+", model.strip())}
    if None in parts or not parts:
        return None
    weapons = {weapon for weapon in parts if weapon is not None}
    return weapons.pop() if len(weapons) == 1 else "unknown"


def parse_kyiv_time(text: str) -> KyivTime:
    """Parse `2025-07-03 18:00`, `2023-05-16 3:30`, `2025-07-04` (padding, spaces lenient)."""
    match = _TIME.match(_clean(text))
    if match is None:
        raise ValueError(f"{text!r} is not a date or date and time")
    year, month, day, hour, minute, second = match.groups()
    try:
        local = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError as error:
        raise ValueError(f"{text!r}: {error}") from None
    # Through UTC and back: a time in the spring-forward gap becomes the real instant (03:30
    # on that night is 04:30 EEST); in the repeated autumn hour the first (summer) one is taken.
    instant = local.replace(tzinfo=KYIV).astimezone(UTC).astimezone(KYIV)
    return KyivTime(instant, has_time=hour is not None)


def parse_figure(text: str) -> int:
    """A count column: `539.0` -> 539; blank (not reported) -> 0."""
    cleaned = text.strip()
    if not cleaned or cleaned.casefold() == "nan":
        return 0
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_integer() or value < 0:
        raise ValueError(f"{text!r} is not a whole number of weapons")
    if value > MAX_COUNT:
        raise ValueError(f"{text!r} is over the {MAX_COUNT} an event may carry")
    return int(value)


def is_regional(source: str) -> bool:
    """True for a regional air command's post (South, East, West, Centre)."""
    return _post_path(source).casefold().startswith(REGIONAL_SOURCES)


def short_source(source: str) -> str:
    """The posting account of a source path: `kpszsu/posts/...` -> `kpszsu`."""
    return _post_path(source).split("/", 1)[0] or "unknown"


def parse_row(line: int, record: Mapping[str, str]) -> ReportRow:
    """Parse one row; ValueError lists everything wrong with it."""
    errors: list[str] = []
    times: list[KyivTime] = []
    for column in ("time_start", "time_end"):
        try:
            times.append(parse_kyiv_time(record[column]))
        except ValueError as error:
            errors.append(f"{column} {error}")
    model = _clean(record["model"])
    weapon = weapon_of(model)
    if weapon is None:
        errors.append(f"model {record['model']!r} is not in the importer's weapon table")
    figures: dict[str, int] = {}
    for column, kind in FIGURE_KINDS:
        try:
            figures[kind] = parse_figure(record[column])
        except ValueError as error:
            errors.append(f"{column} {error}")
    if len(times) == 2 and _ends_before_start(times[0], times[1]):
        errors.append(f"window ends ({times[1].text}) before it starts ({times[0].text})")
    if errors or weapon is None:
        raise ValueError("; ".join(errors))
    return ReportRow(
        line=line,
        start=times[0],
        end=times[1],
        model=model,
        weapon=weapon,
        figures=figures,
        launch_place=_clean(record["launch_place"]),
        target=_clean(record["target"]),
        source=record["source"].strip(),
    )


def row_events(row: ReportRow, *, ordinal: int = 0) -> list[dict[str, Any]]:
    """The launch, shot_down and suppressed events of a row (zero figures make none)."""
    digest = hashlib.sha1(row.key(ordinal).encode(), usedforsecurity=False).hexdigest()[:12]
    note = f"report window {row.start.text} to {row.end.text} (Kyiv time); {row.source}"
    events = []
    for _, kind in FIGURE_KINDS:
        count = row.figures[kind]
        if count == 0:
            continue
        events.append(
            {
                "id": f"csv-{digest}-{kind}",
                "kind": kind,
                "weapon": row.weapon,
                "model": row.model[:MODEL_LENGTH],
                "count": count,
                "occurred_at": row.start.instant.isoformat(),
                "source": f"kaggle:{short_source(row.source)}"[:100],
                "note": note[:1000],
            }
        )
    return events


def _ends_before_start(start: KyivTime, end: KyivTime) -> bool:
    # A date-only end means "during that day", so only its date can be compared.
    if not end.has_time:
        return end.instant.date() < start.instant.date()
    return end.instant < start.instant


def _post_path(source: str) -> str:
    return _URL_HOST.sub("", source.strip())


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
