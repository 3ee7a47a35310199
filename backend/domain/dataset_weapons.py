"""The weapon classes of the model names in the Air Force dataset (`model` column).

Shared by `skywatch import-csv` and the migration of its earlier events (dataset_rows).
"""

from __future__ import annotations

import re

from backend.domain.schemas import Weapon

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
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Runs of white space made one space, ends stripped (the dataset pads its fields)."""
    return _SPACES.sub(" ", text).strip()


def weapon_of(model: str) -> Weapon | None:
    """The weapon class of a `model` string, or None when a part is not in the table."""
    parts = {_PARTS.get(clean(part).casefold()) for part in re.split(r"\s+and\s+", model.strip())}
    if None in parts or not parts:
        return None
    weapons = {weapon for weapon in parts if weapon is not None}
    return weapons.pop() if len(weapons) == 1 else "unknown"
