"""Oblast outlines for the map, from the shipped geoBoundaries file, simplified once.

The map is drawn as plain filled scatter traces in longitude/latitude: no tiles, no map
styles, no fonts, nothing fetched. The simplification keeps the page light (the full file
has about 26,700 vertices) while staying true to within about a kilometre.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

Point = tuple[float, float]
Ring = list[Point]
# Degrees, about 1 km: the whole country comes to about 6,000 vertices instead of 26,700.
TOLERANCE = 0.01
# Decimals kept of each vertex: about 100 m, a tenth of the tolerance. The file's seven
# (a centimetre) made the outlines 135 KB of every page's first message instead of 84.
DECIMALS = 3
MIN_RING_POINTS = 4


@dataclass(frozen=True, slots=True)
class Outline:
    """One first-level unit: its code, name and simplified rings (lon, lat)."""

    code: str
    name: str
    rings: tuple[tuple[Point, ...], ...]

    def path(self) -> tuple[list[float | None], list[float | None]]:
        """Longitudes and latitudes of all rings, each closed and separated by None."""
        lons: list[float | None] = []
        lats: list[float | None] = []
        for ring in self.rings:
            if lons:
                lons.append(None)
                lats.append(None)
            lons += [lon for lon, _ in ring]
            lats += [lat for _, lat in ring]
        return lons, lats


def _distance(point: Point, start: Point, end: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - x1 - t * dx, y - y1 - t * dy)


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker simplification of an open polyline (iterative, no recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, first
        for i in range(first + 1, last):
            distance = _distance(points[i], points[first], points[last])
            if distance > farthest:
                farthest, index = distance, i
        if farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _simplify_ring(ring: Ring, tolerance: float) -> Ring | None:
    # Split the closed ring in two halves so the endpoints of each half are far apart.
    middle = len(ring) // 2
    simplified = simplify(ring[: middle + 1], tolerance)[:-1] + simplify(ring[middle:], tolerance)
    return simplified if len(simplified) >= MIN_RING_POINTS else None


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    coordinates = geometry["coordinates"]
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    return [[[(float(x), float(y)) for x, y in ring] for ring in polygon] for polygon in polygons]


def _rounded(ring: Ring) -> Ring:
    # Rounding can make neighbours equal: one of each such pair is drawn.
    kept: Ring = []
    for lon, lat in ring:
        point = (round(lon, DECIMALS), round(lat, DECIMALS))
        if not kept or kept[-1] != point:
            kept.append(point)
    return kept


@cache
def outlines(tolerance: float = TOLERANCE) -> tuple[Outline, ...]:
    """Every oblast's simplified outline, in code order."""
    text = files("backend.domain").joinpath("data/ukraine-adm1.geojson").read_text(encoding="utf-8")
    found = []
    for feature in json.loads(text)["features"]:
        properties = feature["properties"]
        rings = []
        for polygon in _polygons(feature["geometry"]):
            for ring in polygon:
                simplified = _simplify_ring(ring, tolerance)
                if simplified is not None:
                    rings.append(tuple(_rounded(simplified)))
        found.append(Outline(properties["shapeISO"], properties["shapeName"], tuple(rings)))
    return tuple(sorted(found, key=lambda outline: outline.code))
