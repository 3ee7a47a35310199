"""The dashboard's one palette: Okabe-Ito hues (told apart under every common colour-vision
deficiency) on a dark wall-screen ground, with shape or pattern as a second channel wherever
colour carries meaning. tests/unit/dashboard/test_palette.py holds the WCAG contrasts: text
at least 4.5:1 against what it sits on, graphics at least 3:1.

Okabe & Ito, "Color Universal Design" (2008): orange #E69F00, sky blue #56B4E9, yellow
#F0E442, vermillion #D55E00.
"""

from __future__ import annotations

# Ground and text.
PAPER = "#0d1117"
PANEL = "#161b22"
INK = "#e6edf3"
MUTED = "#a8b1bb"
BORDER = "#6e7681"
# The map: land clears the ground by 3:1, borders clear the land by 3:1.
LAND = "#5b6676"
LAND_BORDER = "#d0d7de"
LABEL_ON_LAND = "#ffffff"
LABEL_ON_ALERT = PAPER
# Air-raid alerts: a light fill (whole oblast) or the same colour hatched (part of it).
ALERT = "#f5b8c2"
# Events: colour and shape each tell the kind.
IMPACT = "#D55E00"
DEBRIS = "#F0E442"
SHOT_DOWN = "#56B4E9"
LAUNCH = "#E69F00"
NEUTRALIZED = SHOT_DOWN
MARKER_OUTLINE = PAPER
SYMBOLS = {"impact": "diamond", "debris": "triangle-up", "shot_down": "circle"}
# Replay: an amber frame and banner.
REPLAY = "#E69F00"
# Status pill colours (text on the dark ground).
LIVE = "#56d364"
WARN = "#e3b341"
DOWN = "#ff7b72"


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    darker, lighter = sorted((luminance(first), luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)
