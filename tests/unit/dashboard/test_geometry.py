"""Simplified oblast outlines: light, complete and faithful."""

from __future__ import annotations

from itertools import pairwise

from dashboard.geometry import DECIMALS, MIN_RING_POINTS, outlines, simplify


def test_every_unit_is_outlined_with_few_vertices() -> None:
    shapes = outlines()
    assert len(shapes) == 27
    assert all(shape.rings for shape in shapes)
    assert sum(len(ring) for shape in shapes for ring in shape.rings) < 8_000


def test_simplify_keeps_corners_and_drops_collinear_points() -> None:
    line = [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (2.0, 2.0)]
    assert simplify(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0)]


def test_paths_separate_rings_with_none() -> None:
    crimea = next(shape for shape in outlines() if shape.code == "UA-43")
    lons, lats = crimea.path()
    assert len(lons) == len(lats)
    assert lons.count(None) == len(crimea.rings) - 1


def test_vertices_keep_three_decimals_and_rings_stay_rings() -> None:
    rings = [ring for shape in outlines() for ring in shape.rings]
    points = [point for ring in rings for point in ring]
    assert all(round(value, DECIMALS) == value for point in points for value in point)
    assert all(len(ring) >= MIN_RING_POINTS for ring in rings)
    assert all(a != b for ring in rings for a, b in pairwise(ring))
