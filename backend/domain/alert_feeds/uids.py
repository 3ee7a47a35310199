"""The numeric region ids of the alert services, as ISO 3166-2 codes.

alerts.in.ua's `location_oblast_uid` is the `alert_region_uid` column of data/regions.csv,
taken from the uid table of the alerts-ua/alerts-in-ua-py client (see data/SOURCES.md).
api.ukrainealarm.com numbers its `State` regions the same way (3 Khmelnytskyi ... 31 Kyiv
city), as the J-A-A-M/ukraine_alarm_map project, which reads that API, uses them; its
districts and communities have ids of their own, placed through GET /api/v3/regions.
"""

from __future__ import annotations

import csv
import io
from importlib.resources import files
from types import MappingProxyType


def _read() -> dict[str, str]:
    text = files("backend.domain").joinpath("data/regions.csv").read_text(encoding="utf-8")
    return {row["alert_region_uid"]: row["iso_3166_2"] for row in csv.DictReader(io.StringIO(text))}


OBLAST_UIDS = MappingProxyType(_read())


def region_of_uid(uid: object) -> str | None:
    """The ISO code of an oblast uid (17 or "17"), else None."""
    if isinstance(uid, bool) or not isinstance(uid, (int, str)):
        return None
    return OBLAST_UIDS.get(str(uid).strip())
