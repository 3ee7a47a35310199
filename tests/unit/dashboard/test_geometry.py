"""Simplified oblast outlines: light, complete and faithful."""

from __future__ import annotations

from dashboard.geometry import outlines, simplify


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
