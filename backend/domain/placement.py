"""What POST /events accepted but could not place: the answer's `warnings`.

An event with an unknown city and no region is stored (it still counts in the night's
national totals) but on no region's row and not on the map; the poster should hear so at
once, not find out from a map with a hole in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Launches are counted where they start, outside Ukraine's regions: no region is their norm.
_PLACELESS_KINDS = frozenset({"launch"})


def placement_warnings(rows: Sequence[Mapping[str, Any]], *, batch: bool) -> list[dict[str, Any]]:
    """One {index, field, msg} per row stored without the place it should have."""
    warnings: list[dict[str, Any]] = []
    for position, row in enumerate(rows):
        if row["region"] is not None or row["kind"] in _PLACELESS_KINDS:
            continue
        index = position if batch else None
        if row["city"] is not None:
            msg = (
                f"unknown city {row['city']!r}: stored with no region"
                + ("" if row["lat"] is not None else " and no position")
                + "; send region (and lat, lon) to place it"
            )
            warnings.append({"index": index, "field": "city", "msg": msg})
        else:
            msg = "no region: stored and counted in the national totals, on no region's row" + (
                "" if row["lat"] is not None else " and not on the map"
            )
            warnings.append({"index": index, "field": "region", "msg": msg})
    return warnings
