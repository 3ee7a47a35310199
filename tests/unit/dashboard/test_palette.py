"""The palette's WCAG contrasts: text at least 4.5:1, graphics at least 3:1."""

from __future__ import annotations

import pytest

from dashboard import palette
from dashboard.palette import contrast

TEXT = [
    (palette.INK, palette.PAPER),
    (palette.INK, palette.PANEL),
    (palette.MUTED, palette.PAPER),
    (palette.MUTED, palette.PANEL),
    (palette.LABEL_ON_LAND, palette.LAND),
    (palette.LABEL_ON_ALERT, palette.ALERT),
    (palette.LIVE, palette.PAPER),
    (palette.WARN, palette.PAPER),
    (palette.DOWN, palette.PAPER),
    (palette.REPLAY, palette.PAPER),
]
GRAPHICS = [
    (palette.LAND, palette.PAPER),
    (palette.LAND_BORDER, palette.LAND),
    (palette.ALERT, palette.LAND),
    (palette.MARKER_OUTLINE, palette.LAND),
    (palette.MARKER_OUTLINE, palette.ALERT),
    (palette.LAUNCH, palette.PAPER),
    (palette.NEUTRALIZED, palette.PAPER),
    (palette.IMPACT, palette.PAPER),
    (palette.DEBRIS, palette.PAPER),
]


def test_the_wcag_formula_on_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#777777") == pytest.approx(1.0)


@pytest.mark.parametrize(("ink", "ground"), TEXT)
def test_text_clears_aa(ink: str, ground: str) -> None:
    assert contrast(ink, ground) >= 4.5


@pytest.mark.parametrize(("mark", "ground"), GRAPHICS)
def test_graphics_clear_three_to_one(mark: str, ground: str) -> None:
    assert contrast(mark, ground) >= 3.0


def test_every_event_kind_has_its_own_shape() -> None:
    assert len(set(palette.SYMBOLS.values())) == len(palette.SYMBOLS)
